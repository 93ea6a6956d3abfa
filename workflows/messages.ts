import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CallRecord, CampaignPlan, CsizsCheckpoint, CsizsStep, StepCompletion } from './rules/csizs-campaign';

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

/** The search attributes a case's workflow starts with: what the Temporal UI filters on. */
export function caseSearchAttributes(c: { caseType: string; unitCode: string; voivodeship: string; status?: string }) {
  return [
    { key: SA.caseType, value: c.caseType },
    { key: SA.unit, value: c.unitCode },
    { key: SA.voivodeship, value: c.voivodeship },
    ...(c.status ? [{ key: SA.status, value: c.status }] : []),
  ];
}

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
/** The human task that decidePermissionRequest completes. */
export const PERMISSION_DECISION_TASK_KIND = 'permission-decision';

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

// ---- Report submission deadlines (process 3, seeds 001, 002, 003) ----

/** Precomputed by the API from the reporting calendar (workflows/rules/reporting-calendar.ts). */
export type { ReportPlan } from './rules/reporting-calendar';
import type { ReportPlan, ReportPolicy, ScheduledPeriodKind } from './rules/reporting-calendar';

export const REPORT_STATUSES = ['not_started', 'draft', 'awaiting_data', 'submitted', 'returned', 'accepted'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
/** The unit may still type and submit. */
export const REPORT_EDITABLE: ReportStatus[] = ['not_started', 'draft', 'awaiting_data', 'returned'];

export const REPORT_VERIFICATION_TASK_KIND = 'report-verification';
/** The unit's own tasks: draft and submit the report; correct and resubmit it after a return. */
export const REPORT_PREPARATION_TASK_KIND = 'report-preparation';
export const REPORT_CORRECTION_TASK_KIND = 'report-correction';

/** An account of the unit; the API checks membership before the workflow hears of it. */
export interface ReportPerson {
  accountId: string;
  login: string;
}

/** seed 002: the unit head designates, per report, a responsible person and a substitute. */
export interface ReportPeopleDesignation {
  responsible: ReportPerson;
  substitute: ReportPerson | null;
  designatedBy: string;
}

/** The responsible person is away (or back): the unit's open tasks move to the substitute (or back). */
export interface ReportAbsence {
  absent: boolean;
  by: string;
}

export interface ReportInput {
  reportId: string;
  campaignId: string;
  formCode: string;
  formName: string;
  area: string;
  period: string;
  unitCode: string;
  unitName: string;
  voivodeship: string;
  plan: ReportPlan;
}

export interface ReportDraftInput {
  content: Record<string, unknown>;
  savedBy: string;
}

export interface ReportSubmission {
  content: Record<string, unknown>;
  submittedBy: string;
}

/** Urzędowe poświadczenie odbioru (seed 003): exact time, SHA-256 of what was received, a number. */
export interface ReportReceipt {
  reportId: string;
  version: number;
  receiptNumber: string;
  sha256: string;
  submittedAt: string;
  submittedBy: string;
}

export interface ReportDeadlineChange {
  /** Idempotency: one change id per ministry decision. */
  changeId: string;
  plan: ReportPlan;
  reason: string;
  changedBy: string;
}

export interface ReportView {
  status: ReportStatus;
  overdue: boolean;
  plan: ReportPlan;
  remindersSent: number;
  escalations: ('unit_head' | 'voivodeship_admin')[];
  versions: number;
  drafts: number;
  lastReceipt: ReportReceipt | null;
  openTaskId: string | null;
  deadlineChanges: number;
  responsible: string | null;
  substitute: string | null;
  responsibleAbsent: boolean;
  /** The unit's open task (preparation or correction) and who holds it now. */
  unitTaskId: string | null;
  assignee: string | null;
  /** Data requests sent to other departments or external units, and how many are still unanswered. */
  dataRequests: number;
  openDataRequests: string[];
}

export const getReportStatus = defineQuery<ReportView>('getStatus');
export const saveReportDraft = defineUpdate<ReportView, [ReportDraftInput]>('saveReportDraft');
export const submitReport = defineUpdate<ReportReceipt, [ReportSubmission]>('submitReport');
/** Verification by the voivodeship administrator: accept, or reject = return for correction with comments. */
export const decideReport = defineUpdate<ReportView, [RegistrationDecision]>('decideReport');
export const changeReportDeadline = defineSignal<[ReportDeadlineChange]>('changeReportDeadline');
export const designateReportPeople = defineUpdate<ReportView, [ReportPeopleDesignation]>('designateReportPeople');
export const setReportAbsence = defineUpdate<ReportView, [ReportAbsence]>('setReportAbsence');

// ---- Data requests of a report (a child workflow each) ----

/**
 * When the data are due: the API computes it from the reporting calendar (working days, 08:00 Warsaw).
 * reminderAt is null when the reminder day has already passed.
 */
export interface DataRequestPlan {
  dueDate: string;
  reminderAt: string | null;
  deadlineAt: string;
}

/** Asked by the unit: who (identified by e-mail, no account needed), what, and by when. */
export interface DataRequestAsk {
  /** The e-mail travels only in sealed payloads and the outbox; never in history text, search attributes or logs. */
  recipient: { name: string; email: string };
  subject: string;
  plan: DataRequestPlan;
  requestedBy: string;
}

export interface DataRequestInput extends DataRequestAsk {
  requestId: string;
  reportId: string;
  formCode: string;
  formName: string;
  period: string;
  unitName: string;
}

export type DataRequestStatus = 'open' | 'answered' | 'cancelled';

/** A reply received (by mail, phone or in person) and recorded by the unit; the file is in blob storage already. */
export interface DataReply {
  text: string;
  document: { documentId: string; sha256: string; mediaType: string; size: number; filename: string } | null;
  recordedBy: string;
}

export interface DataRequestView {
  requestId: string;
  status: DataRequestStatus;
  dueDate: string;
  overdue: boolean;
  remindersSent: number;
}

export const getDataRequestStatus = defineQuery<DataRequestView>('getStatus');
export const replyToDataRequest = defineUpdate<DataRequestView, [DataReply]>('replyToDataRequest');
export const cancelDataRequest = defineUpdate<DataRequestView, [{ reason: string; by: string }]>('cancelDataRequest');
/** On the report: start a data request (its child workflow); answers with the request's id. */
export const requestReportData = defineUpdate<{ requestId: string; status: ReportStatus }, [DataRequestAsk]>('requestReportData');

export const dataRequestWorkflowId = (reportId: string, n: number) => `${reportId}-data-${n}`;

export const reportWorkflowId = (formCode: string, period: string, unitCode: string) => `report-${formCode}-${period}-${unitCode}`;

export const ReportErrorTypes = {
  notEditable: 'REPORT_NOT_EDITABLE',
  invalidContent: 'REPORT_CONTENT_INVALID',
  personNotInUnit: 'REPORT_PERSON_NOT_IN_UNIT',
  substituteIsResponsible: 'REPORT_SUBSTITUTE_SAME_AS_RESPONSIBLE',
  noResponsible: 'REPORT_NO_RESPONSIBLE',
  noSubstitute: 'REPORT_NO_SUBSTITUTE',
  dataRequestClosed: 'DATA_REQUEST_CLOSED',
  dataRequestDueInvalid: 'DATA_REQUEST_DUE_INVALID',
  dataReplyEmpty: 'DATA_REPLY_EMPTY',
} as const;

export interface ReportCampaignInput {
  campaignId: string;
  /** Everything but the unit, shared by every report of the campaign. */
  base: Omit<ReportInput, 'reportId' | 'unitCode' | 'unitName' | 'voivodeship'>;
  units: { unitCode: string; unitName: string; voivodeship: string }[];
  /** Report workflows in flight at once while the campaign starts them; bounds the load on the server. */
  batchSize: number;
}

/**
 * The action of a form's Temporal Schedule: the period is computed inside the workflow from the
 * scheduled time (workflows/rules/reporting-calendar.ts lastEndedPeriod).
 */
export interface ScheduledReportCampaignInput {
  scheduledForm: { formCode: string; period: ScheduledPeriodKind; policy: ReportPolicy };
}

export const reportFormScheduleId = (formCode: string) => `report-form-${formCode}`;

export interface ReportCampaignView {
  total: number;
  started: number;
  alreadyRunning: number;
  /** Set for a scheduled run: the period it opened, and whether that campaign was opened already. */
  period?: string;
  alreadyOpened?: boolean;
}

export const getReportCampaignProgress = defineQuery<ReportCampaignView>('getStatus');
export const reportCampaignWorkflowId = (campaignId: string) => `report-campaign-${campaignId}`;

// ---- CSIZS connection campaign (seed 004) ----

export interface CsizsConnectionInput {
  campaignId: string;
  unitCode: string;
  voivodeship: string;
  vendors: string[];
  plan: CampaignPlan;
}

export type CsizsCheckpointStatus = 'pending' | 'open' | 'confirmed' | 'not_confirmed' | 'unreachable';

export interface CsizsConnectionView {
  campaignId: string;
  unitCode: string;
  vendor: string | null;
  completed: CsizsStep[];
  currentStep: CsizsStep | null;
  /** The first overdue step now (ObiegLateStep), and every step that passed its deadline undone. */
  lateStep: CsizsStep | null;
  lateAt: CsizsStep[];
  deadlines: Record<string, string>;
  checkpoints: Record<CsizsCheckpoint, CsizsCheckpointStatus>;
  escalation: { status: 'open' | 'recorded'; reason: string | null } | null;
  connected: boolean;
  notification: CsizsNotificationView | null;
  package: CsizsPackageView | null;
  /** When the local administrator changed the temporary password (never the password). */
  passwordChangedAt: string | null;
}

/** seed 004 pkt 2, Załącznik 2: the unit's data and its local administrator, sent by the head. */
export interface CsizsNotificationData {
  unitName: string;
  address: string;
  /** Social-security sub-areas the unit serves (pkt 2a). */
  areas: string[];
  localAdmin: { firstName: string; lastName: string; phone: string; email: string };
  head: { firstName: string; lastName: string; email: string };
}

export type CsizsNotificationStatus = 'awaiting_scan' | 'awaiting_review' | 'clarification' | 'rejected' | 'accepted';

export interface CsizsNotificationView {
  status: CsizsNotificationStatus;
  data: CsizsNotificationData;
  /** The generated PDF to sign, and the signed scan filed back. */
  documentId: string;
  scanDocumentId: string | null;
  rejectionReason: string | null;
  question: string | null;
  answer: string | null;
}

export interface CsizsNotificationScan {
  documentId: string;
  sha256: string;
  mediaType: string;
  size: number;
  filename: string;
  by: string;
}

export interface CsizsNotificationDecision {
  decision: 'accept' | 'reject' | 'clarify';
  /** reject: why; clarify: the question to the head. */
  reason?: string;
  by: string;
}

export interface CsizsPackageRequest {
  /** One certificate per domain system: its SHA-256 and a reference into the sealed store, never the certificate. */
  domainSystems: { name: string; certificateSha256: string; certificateSecretId: string }[];
  by: string;
}

export interface CsizsPackageView {
  status: 'sent' | 'handed_over';
  documentId: string;
  domainSystems: string[];
  certificateSha256: string[];
  localAdminLogin: string;
  sentAt: string;
  passwordHandedOverAt: string | null;
  passwordHandedOverBy: string | null;
}

export interface CsizsPasswordHandover {
  handedOverAt: string;
  by: string;
}

export interface CsizsEscalationRecord {
  reason: string;
  by: string;
}

export const getCsizsStatus = defineQuery<CsizsConnectionView>('getStatus');
export const completeCsizsStep = defineUpdate<CsizsConnectionView, [StepCompletion]>('completeCsizsStep');
export const recordCsizsCall = defineUpdate<CsizsConnectionView, [CallRecord]>('recordCsizsCall');
export const recordCsizsEscalation = defineUpdate<CsizsConnectionView, [CsizsEscalationRecord]>('recordCsizsEscalation');
export const submitCsizsNotification = defineUpdate<CsizsConnectionView, [CsizsNotificationData & { by: string }]>('submitCsizsNotification');
export const submitCsizsNotificationScan = defineUpdate<CsizsConnectionView, [CsizsNotificationScan]>('submitCsizsNotificationScan');
export const decideCsizsNotification = defineUpdate<CsizsConnectionView, [CsizsNotificationDecision]>('decideCsizsNotification');
export const answerCsizsClarification = defineUpdate<CsizsConnectionView, [{ answer: string; by: string }]>('answerCsizsClarification');
export const prepareCsizsPackage = defineUpdate<CsizsConnectionView, [CsizsPackageRequest]>('prepareCsizsPackage');
export const recordCsizsPasswordHandover = defineUpdate<CsizsConnectionView, [CsizsPasswordHandover]>('recordCsizsPasswordHandover');
/** From the password-change path: the account changed its password (the time only). */
export const csizsPasswordChanged = defineSignal<[{ accountId: string; changedAt: string }]>('csizsPasswordChanged');

/** Business keys: one connection per campaign and unit, one starter per campaign. */
export const csizsConnectionWorkflowId = (campaignId: string, unitCode: string) => `csizs-${campaignId}-${unitCode}`;
export const csizsCampaignWorkflowId = (campaignId: string, voivodeship: string | null) => `csizs-campaign-${campaignId}-${voivodeship ?? 'all'}`;

export interface CsizsCampaignInput {
  campaignId: string;
  /** The participants of one voivodeship, or null for all of them (one starter for the campaign). */
  voivodeship: string | null;
  /** Units are taken from the participants in code order, from this offset on. */
  offset: number;
  /** Connection starts in flight at once. */
  batchSize: number;
}
