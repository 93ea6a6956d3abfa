import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

// Every message, DTO and search attribute of the workflows, defined once for the worker and the API.

export const DEFAULT_TASK_QUEUE = 'obieg';

export const REPORTING_AREAS = ['PS', 'WRiSPZ', 'SR', 'FA', 'OP-3', 'ON', 'KDR', 'SW'] as const;
export type ReportingArea = (typeof REPORTING_AREAS)[number];

export const UNIT_TYPES = ['OPS', 'MOPS', 'MOPR', 'GOPS', 'PCPR', 'UG', 'UM', 'SP', 'INNA'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

export const SA = {
  caseType: defineSearchAttributeKey('ObiegCaseType', 'KEYWORD'),
  status: defineSearchAttributeKey('ObiegStatus', 'KEYWORD'),
  unit: defineSearchAttributeKey('ObiegUnit', 'KEYWORD'),
  voivodeship: defineSearchAttributeKey('ObiegVoivodeship', 'KEYWORD'),
  deadline: defineSearchAttributeKey('ObiegDeadline', 'DATETIME'),
  lateStep: defineSearchAttributeKey('ObiegLateStep', 'KEYWORD'),
};

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

/** Error types shared by update validators and the API, which maps them to HTTP statuses. */
export const ErrorTypes = {
  notAwaitingScan: 'CASE_NOT_AWAITING_SCAN',
  notAwaitingDecision: 'CASE_NOT_AWAITING_DECISION',
  taskMismatch: 'TASK_NOT_OPEN',
  reasonRequired: 'REASON_REQUIRED',
} as const;

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
