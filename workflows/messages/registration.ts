import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ReportingArea, UnitType } from './common';
import type { PasswordExpiryInput } from './accounts';

// ---- Registration of a unit and/or user (seed 000) ----

export interface RegistrationApplication {
  /** true: a new unit and its first user; false: a new user of a unit already registered. */
  registerUnit: boolean;
  unit: {
    /** TERYT code of the gmina (7 digits) or powiat (4 digits) the unit serves. */
    terytCode: string;
    type: UnitType;
    name: string;
    street: string;
    postalCode: string;
    city: string;
    email: string;
    phone: string;
  };
  applicant: {
    firstName: string;
    lastName: string;
    position: string;
    email: string;
    phone: string;
  };
  areas: ReportingArea[];
}

export interface RegistrationPolicy {
  reminderAfterDays: number[];
  expireAfterDays: number;
}

export interface RegistrationInput {
  caseId: string;
  voivodeship: string;
  application: RegistrationApplication;
  policy: RegistrationPolicy;
  /** For the new account's 30-day password cycle. */
  passwordPolicy: PasswordExpiryInput['policy'];
}

export type RegistrationStatus =
  | 'submitted'
  | 'awaiting_scan'
  | 'awaiting_decision'
  | 'correction_requested'
  | 'accepted'
  | 'expired';

export const REGISTRATION_CLOSED: RegistrationStatus[] = ['accepted', 'expired'];

export type ScanChannel = 'epuap' | 'email';

export interface ScanSubmission {
  documentId: string;
  sha256: string;
  mediaType: string;
  size: number;
  filename: string;
  channel: ScanChannel;
  receivedBy: string;
}

export interface RegistrationDecision {
  taskId: string;
  decision: 'accept' | 'reject';
  reason?: string;
  decidedBy: string;
}

export interface RegistrationView {
  status: RegistrationStatus;
  deadline: string | null;
  remindersSent: number;
  scans: number;
  openTaskId: string | null;
  accountId: string | null;
}

export const getRegistrationStatus = defineQuery<RegistrationView>('getStatus');
export const submitScan = defineUpdate<RegistrationView, [ScanSubmission]>('submitScan');
export const decideApplication = defineUpdate<RegistrationView, [RegistrationDecision]>('decideApplication');
/** The human task that decideApplication completes. */
export const DECISION_TASK_KIND = 'registration-decision';

/** Bulk actions of administrators: move the current deadline, or remind the applicant now. */
export interface DeadlineExtension {
  days: number;
  reason: string;
  by: string;
}
export const extendDeadline = defineUpdate<RegistrationView, [DeadlineExtension]>('extendDeadline');
export const remindNow = defineUpdate<RegistrationView, [{ by: string }]>('remindNow');

/** Error types shared by update validators and the API, which maps them to HTTP statuses. */
export const ErrorTypes = {
  notAwaitingScan: 'CASE_NOT_AWAITING_SCAN',
  notAwaitingDecision: 'CASE_NOT_AWAITING_DECISION',
  taskMismatch: 'TASK_NOT_OPEN',
  reasonRequired: 'REASON_REQUIRED',
  noOpenDeadline: 'CASE_HAS_NO_OPEN_DEADLINE',
  invalidExtension: 'INVALID_EXTENSION',
} as const;
