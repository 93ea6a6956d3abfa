import { defineQuery, defineSignal } from '@temporalio/workflow';

// ---- Accounts ----

export interface PasswordExpiryInput {
  accountId: string;
  /** When the current password was set (ISO). */
  changedAt: string;
  policy: { maxAgeDays: number; reminderDaysBefore: number[] };
}

export interface PasswordExpiryView {
  changedAt: string;
  expiresAt: string;
  remindersSent: number;
  forced: boolean;
}

/** A new password was set: the 30-day cycle starts again from changedAt. */
export const passwordChanged = defineSignal<[{ changedAt: string }]>('passwordChanged');
export const getPasswordExpiry = defineQuery<PasswordExpiryView>('getPasswordExpiry');

export const passwordExpiryWorkflowId = (accountId: string) => `password-expiry-${accountId}`;

/** How long a password reminder's link is valid (issue 14: the reminder itself changes nothing). */
export const PASSWORD_REMINDER_LINK_MINUTES = 60;
/** The owner opened the reminder's link (the API checked and used up its token): issue the temporary password. */
export const passwordReminderLinkOpened = defineSignal('passwordReminderLinkOpened');
export const passwordReminderWorkflowId = (accountId: string, requestId: string) => `password-reminder-${accountId}-${requestId}`;
