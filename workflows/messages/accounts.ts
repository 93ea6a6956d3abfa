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
