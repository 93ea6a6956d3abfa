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

// ---- Permission extension (seed 000 "Wnioskuj o rozszerzenie uprawnień") ----

/** What is asked for: staff rights in one reporting area of one unit (gmina 7 digits or powiat 4). */
export interface PermissionTarget {
  unitCode: string;
  area: ReportingArea;
}

export interface PermissionPolicy {
  reminderAfterDays: number[];
  expireAfterDays: number;
}

export interface PermissionRequestInput {
  caseId: string;
  /** The requester: the account that receives the role on acceptance. */
  accountId: string;
  requesterLogin: string;
  target: PermissionTarget;
  /** Of the target unit: its voivodeship administrators decide. */
  voivodeship: string;
  unitName: string;
  justification: string | null;
  policy: PermissionPolicy;
}

export type PermissionStatus = 'awaiting_decision' | 'granted' | 'rejected' | 'expired';

export const PERMISSION_CLOSED: PermissionStatus[] = ['granted', 'rejected', 'expired'];

/** Same payload as every decision task (api/task-kinds.ts). */
export type PermissionDecision = RegistrationDecision;

export interface PermissionRequestView {
  status: PermissionStatus;
  deadline: string | null;
  remindersSent: number;
  openTaskId: string | null;
  target: PermissionTarget;
}

export const getPermissionRequestStatus = defineQuery<PermissionRequestView>('getStatus');
export const decidePermissionRequest = defineUpdate<PermissionRequestView, [PermissionDecision]>('decidePermissionRequest');

/** The business key: one open request per account and grant, so a repeated request finds the open case. */
export const permissionRequestWorkflowId = (accountId: string, target: PermissionTarget) =>
  `permission-${accountId}-${target.unitCode}-${target.area}`;

// ---- Identity merge (scalanie tożsamości kont) ----

export interface IdentityMergeInput {
  caseId: string;
  /** The requester: the account that stays and receives the other's roles and history. */
  survivorId: string;
  survivorLogin: string;
  /** The account merged away; it confirms the request by signing in as itself. */
  otherId: string;
  otherLogin: string;
  unitCode: string;
  voivodeship: string;
  approver: { role: 'voivodeship_admin' | 'ministry'; voivodeship: string | null };
  policy: { confirmationDays: number };
}

export type IdentityMergeStatus = 'awaiting_confirmation' | 'awaiting_approval' | 'merged' | 'rejected' | 'expired';

export const IDENTITY_MERGE_CLOSED: IdentityMergeStatus[] = ['merged', 'rejected', 'expired'];

export const IDENTITY_MERGE_APPROVAL_TASK_KIND = 'identity-merge-approval';

export interface IdentityMergeConfirmation {
  /** The signed-in account that confirms; only the account being merged may. */
  accountId: string;
  confirmedBy: string;
}

/** Same payload as every decision task (api/task-kinds.ts). */
export type IdentityMergeDecision = RegistrationDecision;

export interface IdentityMergeView {
  status: IdentityMergeStatus;
  deadline: string | null;
  confirmedBy: string | null;
  openTaskId: string | null;
}

export const getIdentityMergeStatus = defineQuery<IdentityMergeView>('getStatus');
export const confirmIdentityMerge = defineUpdate<IdentityMergeView, [IdentityMergeConfirmation]>('confirmIdentityMerge');
export const decideIdentityMerge = defineUpdate<IdentityMergeView, [IdentityMergeDecision]>('decideIdentityMerge');

/** The business key: one open merge per ordered pair of accounts (survivor first). */
export const identityMergeWorkflowId = (survivorId: string, otherId: string) => `identity-merge-${survivorId}-${otherId}`;

/** Error types of the merge's update validators; the API maps them to HTTP statuses (api/temporal-errors.ts). */
export const IdentityMergeErrorTypes = {
  notAwaitingConfirmation: 'MERGE_NOT_AWAITING_CONFIRMATION',
  notConfirmer: 'MERGE_CONFIRMATION_NOT_ALLOWED',
} as const;
