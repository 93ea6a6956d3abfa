import { EntitySchema } from '@mikro-orm/core';

// The read model. Workflows own process state; activities project it here for the API and dashboards.

export type UnitKind = 'voivodeship' | 'powiat' | 'gmina';

/** A territorial unit from TERYT TERC: voivodeship "02", powiat "0201", gmina "0201011" (with RODZ). */
export interface Unit {
  code: string;
  kind: UnitKind;
  name: string;
  nameExtra: string;
  voivodeship: string;
  powiat?: string | null;
  rodz?: string | null;
  validOn: string;
}

export const UnitSchema = new EntitySchema<Unit>({
  name: 'Unit',
  tableName: 'units',
  properties: {
    code: { type: 'string', length: 7, primary: true },
    kind: { type: 'string', length: 16, index: true },
    name: { type: 'string', length: 200 },
    nameExtra: { type: 'string', length: 200 },
    voivodeship: { type: 'string', length: 2, index: true },
    powiat: { type: 'string', length: 4, nullable: true },
    rodz: { type: 'string', length: 1, nullable: true },
    validOn: { type: 'string', columnType: 'date' },
  },
});

export interface Account {
  id: string;
  login: string;
  email: string;
  firstName: string;
  lastName: string;
  passwordHash?: string | null;
  mustChangePassword: boolean;
  passwordChangedAt?: Date | null;
  status: 'active' | 'disabled' | 'merged';
  failedLogins: number;
  lockedUntil?: Date | null;
  /** Set when this account was merged into another (identity merge); it can no longer sign in. */
  mergedInto?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const AccountSchema = new EntitySchema<Account>({
  name: 'Account',
  tableName: 'accounts',
  properties: {
    id: { type: 'uuid', primary: true },
    login: { type: 'string', length: 100, unique: true },
    email: { type: 'string', length: 254 },
    firstName: { type: 'string', length: 100 },
    lastName: { type: 'string', length: 100 },
    passwordHash: { type: 'text', nullable: true, lazy: true },
    mustChangePassword: { type: 'boolean', default: true },
    passwordChangedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    status: { type: 'string', length: 16, default: 'active' },
    failedLogins: { type: 'integer', default: 0 },
    lockedUntil: { type: 'Date', columnType: 'timestamptz', nullable: true },
    mergedInto: { type: 'uuid', nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

/** A signed-in browser session; only a SHA-256 of the cookie value is kept. */
export interface Session {
  id: string;
  accountId: string;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  endedAt?: Date | null;
  endReason?: string | null;
}

export const SessionSchema = new EntitySchema<Session>({
  name: 'Session',
  tableName: 'sessions',
  indexes: [{ properties: ['endedAt', 'lastSeenAt'] }],
  properties: {
    id: { type: 'string', length: 64, primary: true },
    accountId: { type: 'uuid', index: true },
    csrfToken: { type: 'string', length: 64 },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
    lastSeenAt: { type: 'Date', columnType: 'timestamptz' },
    endedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    endReason: { type: 'string', length: 32, nullable: true },
  },
});

/** The audit trail: every sign-in, failure, lock, permission change and case action, with who and when. */
export interface AuditEntry {
  id: number;
  at: Date;
  actor: string;
  accountId?: string | null;
  action: string;
  target?: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  status?: number | null;
  ip?: string | null;
  detail: Record<string, unknown>;
}

export const AuditEntrySchema = new EntitySchema<AuditEntry>({
  name: 'AuditEntry',
  tableName: 'audit_log',
  indexes: [{ properties: ['at'] }, { properties: ['accountId', 'at'] }],
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    at: { type: 'Date', columnType: 'timestamptz' },
    actor: { type: 'string', length: 120 },
    accountId: { type: 'uuid', nullable: true },
    action: { type: 'string', length: 80 },
    target: { type: 'string', length: 300, nullable: true },
    outcome: { type: 'string', length: 16 },
    status: { type: 'integer', nullable: true },
    ip: { type: 'string', length: 64, nullable: true },
    detail: { type: 'json', default: '{}' },
  },
});

import type { Role } from '../domain/roles';
export type { Role };

/** One role held by one account in one scope: a voivodeship, a unit (and for staff, a reporting area). */
export interface RoleAssignment {
  id: string;
  accountId: string;
  role: Role;
  voivodeship?: string | null;
  unitCode?: string | null;
  area?: string | null;
  createdAt: Date;
}

export const RoleAssignmentSchema = new EntitySchema<RoleAssignment>({
  name: 'RoleAssignment',
  tableName: 'role_assignments',
  uniques: [{ properties: ['accountId', 'role', 'voivodeship', 'unitCode', 'area'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    accountId: { type: 'uuid', index: true },
    role: { type: 'string', length: 32 },
    voivodeship: { type: 'string', length: 2, nullable: true },
    unitCode: { type: 'string', length: 7, nullable: true },
    area: { type: 'string', length: 16, nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});

/** Personal API tokens for programs; only a SHA-256 of the token is kept. */
export interface ApiToken {
  id: string;
  accountId: string;
  name: string;
  tokenHash: string;
  createdAt: Date;
  revokedAt?: Date | null;
  lastUsedAt?: Date | null;
}

export const ApiTokenSchema = new EntitySchema<ApiToken>({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: {
    id: { type: 'uuid', primary: true },
    accountId: { type: 'uuid', index: true },
    name: { type: 'string', length: 100 },
    tokenHash: { type: 'string', length: 64, unique: true },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
    revokedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    lastUsedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});

/** A case: one long-running process for one subject. id = the workflow id (a business key). */
export interface Case {
  id: string;
  type: string;
  status: string;
  unitCode: string;
  voivodeship: string;
  title: string;
  /** For cases about one account (permission requests, identity merges): whose. */
  accountId?: string | null;
  waitingFor?: string | null;
  deadline?: Date | null;
  data: Record<string, unknown>;
  runId: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date | null;
}

export const CaseSchema = new EntitySchema<Case>({
  name: 'Case',
  tableName: 'cases',
  indexes: [{ properties: ['voivodeship', 'status'] }, { properties: ['type', 'status'] }],
  properties: {
    id: { type: 'string', length: 200, primary: true },
    type: { type: 'string', length: 40 },
    status: { type: 'string', length: 40 },
    unitCode: { type: 'string', length: 7, index: true },
    voivodeship: { type: 'string', length: 2 },
    title: { type: 'string', length: 300 },
    accountId: { type: 'uuid', nullable: true, index: true },
    waitingFor: { type: 'string', length: 300, nullable: true },
    deadline: { type: 'Date', columnType: 'timestamptz', nullable: true, index: true },
    data: { type: 'json', default: '{}' },
    runId: { type: 'string', length: 64 },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
    closedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});

/**
 * Cases counted per voivodeship, type, status, closed and (open cases) deadline day. Kept by triggers on
 * cases (migration 20261128090000), never written by the application; the dashboards read it.
 */
export interface CaseCount {
  voivodeship: string;
  type: string;
  status: string;
  closed: boolean;
  deadlineDay: string;
  n: number;
}

export const CaseCountSchema = new EntitySchema<CaseCount>({
  name: 'CaseCount',
  tableName: 'case_counts',
  properties: {
    voivodeship: { type: 'string', length: 2, primary: true },
    type: { type: 'string', length: 40, primary: true },
    status: { type: 'string', length: 40, primary: true },
    closed: { type: 'boolean', primary: true },
    deadlineDay: { type: 'string', columnType: 'date', primary: true },
    n: { type: 'integer' },
  },
});

/** Append-only case history. The idempotency key makes a retried activity write an event once. */
export interface CaseEvent {
  id: number;
  caseId: string;
  at: Date;
  actor: string;
  type: string;
  message: string;
  data: Record<string, unknown>;
  idempotencyKey: string;
}

export const CaseEventSchema = new EntitySchema<CaseEvent>({
  name: 'CaseEvent',
  tableName: 'case_events',
  indexes: [{ properties: ['caseId', 'at'] }],
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    caseId: { type: 'string', length: 200 },
    at: { type: 'Date', columnType: 'timestamptz' },
    actor: { type: 'string', length: 120 },
    type: { type: 'string', length: 60 },
    message: { type: 'text' },
    data: { type: 'json', default: '{}' },
    idempotencyKey: { type: 'string', length: 300, unique: true },
  },
});

export interface Task {
  id: string;
  caseId: string;
  kind: string;
  title: string;
  role: Role;
  voivodeship?: string | null;
  unitCode?: string | null;
  dueAt?: Date | null;
  status: 'open' | 'completed' | 'cancelled';
  outcome?: string | null;
  comment?: string | null;
  completedBy?: string | null;
  completedAt?: Date | null;
  /** Claimed by one person (login) from the role and scope the task is offered to. */
  claimedBy?: string | null;
  claimedAt?: Date | null;
  createdAt: Date;
}

export const TaskSchema = new EntitySchema<Task>({
  name: 'Task',
  tableName: 'tasks',
  indexes: [{ properties: ['status', 'role', 'voivodeship'] }, { properties: ['caseId'] }],
  properties: {
    id: { type: 'string', length: 250, primary: true },
    caseId: { type: 'string', length: 200 },
    kind: { type: 'string', length: 60 },
    title: { type: 'string', length: 300 },
    role: { type: 'string', length: 32 },
    voivodeship: { type: 'string', length: 2, nullable: true },
    unitCode: { type: 'string', length: 7, nullable: true },
    dueAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    status: { type: 'string', length: 16 },
    outcome: { type: 'string', length: 40, nullable: true },
    comment: { type: 'text', nullable: true },
    completedBy: { type: 'string', length: 120, nullable: true },
    completedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    claimedBy: { type: 'string', length: 120, nullable: true },
    claimedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});

/** Content-addressed file storage for generated documents and uploaded scans. */
export interface Blob {
  sha256: string;
  content: Buffer;
  size: number;
  createdAt: Date;
}

export const BlobSchema = new EntitySchema<Blob>({
  name: 'Blob',
  tableName: 'blobs',
  properties: {
    sha256: { type: 'string', length: 64, primary: true },
    content: { type: 'blob', lazy: true },
    size: { type: 'integer' },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});

export interface CaseDocument {
  id: string;
  caseId: string;
  kind: string;
  title: string;
  mediaType: string;
  size: number;
  sha256: string;
  filename: string;
  source: 'generated' | 'epuap' | 'email';
  createdBy: string;
  createdAt: Date;
}

export const CaseDocumentSchema = new EntitySchema<CaseDocument>({
  name: 'CaseDocument',
  tableName: 'documents',
  properties: {
    id: { type: 'string', length: 250, primary: true },
    caseId: { type: 'string', length: 200, index: true },
    kind: { type: 'string', length: 60 },
    title: { type: 'string', length: 300 },
    mediaType: { type: 'string', length: 100 },
    size: { type: 'integer' },
    sha256: { type: 'string', length: 64 },
    filename: { type: 'string', length: 255 },
    source: { type: 'string', length: 16 },
    createdBy: { type: 'string', length: 120 },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});

/** Every outgoing mail, keyed by its idempotency key; a redacted mail (it carried a secret) is never stored. */
export interface OutboxMail {
  id: string;
  caseId?: string | null;
  recipient: string;
  subject: string;
  template: string;
  html?: string | null;
  text?: string | null;
  redacted: boolean;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError?: string | null;
  messageId: string;
  createdAt: Date;
  sentAt?: Date | null;
}

export const OutboxMailSchema = new EntitySchema<OutboxMail>({
  name: 'OutboxMail',
  tableName: 'outbox',
  indexes: [{ properties: ['status'] }],
  properties: {
    id: { type: 'string', length: 300, primary: true },
    caseId: { type: 'string', length: 200, nullable: true, index: true },
    recipient: { type: 'string', length: 254 },
    subject: { type: 'string', length: 300 },
    template: { type: 'string', length: 80 },
    html: { type: 'text', nullable: true, lazy: true },
    text: { type: 'text', nullable: true, lazy: true },
    redacted: { type: 'boolean', default: false },
    status: { type: 'string', length: 16 },
    attempts: { type: 'integer', default: 0 },
    lastError: { type: 'text', nullable: true },
    messageId: { type: 'string', length: 300 },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
    sentAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});

/** A report form of the reporting calendar (process 3): who reports it, how often, and when it is due. */
export interface ReportForm {
  code: string;
  name: string;
  area: string;
  /** Which kind of unit reports it: every gmina or every powiat. */
  unitKind: 'gmina' | 'powiat';
  period: string;
  /** workflows/rules/reporting-calendar.ts DueRule. */
  dueRule: Record<string, unknown>;
  /** An inactive form's schedule is paused: no campaign opens by itself. */
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const ReportFormSchema = new EntitySchema<ReportForm>({
  name: 'ReportForm',
  tableName: 'report_forms',
  properties: {
    code: { type: 'string', length: 40, primary: true },
    name: { type: 'string', length: 300 },
    area: { type: 'string', length: 16 },
    unitKind: { type: 'string', length: 16 },
    period: { type: 'string', length: 16 },
    dueRule: { type: 'json' },
    active: { type: 'boolean', default: true },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

/** One opening of a form for a period (or a one-off survey) for a set of units. */
export interface ReportCampaign {
  id: string;
  formCode: string;
  period: string;
  dueDate: string;
  plan: Record<string, unknown>;
  unitCount: number;
  createdBy: string;
  createdAt: Date;
}

export const ReportCampaignSchema = new EntitySchema<ReportCampaign>({
  name: 'ReportCampaign',
  tableName: 'report_campaigns',
  properties: {
    id: { type: 'string', length: 120, primary: true },
    formCode: { type: 'string', length: 40 },
    period: { type: 'string', length: 40 },
    dueDate: { type: 'string', columnType: 'date' },
    plan: { type: 'json' },
    unitCount: { type: 'integer' },
    createdBy: { type: 'string', length: 120 },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});

/** The read model of one unit's report in a campaign; id = the report workflow id. */
export interface Report {
  id: string;
  campaignId: string;
  formCode: string;
  period: string;
  unitCode: string;
  voivodeship: string;
  status: string;
  overdue: boolean;
  dueDate: string;
  versions: number;
  updatedAt: Date;
}

export const ReportSchema = new EntitySchema<Report>({
  name: 'Report',
  tableName: 'reports',
  indexes: [{ properties: ['campaignId', 'voivodeship', 'status'] }],
  properties: {
    id: { type: 'string', length: 200, primary: true },
    campaignId: { type: 'string', length: 120 },
    formCode: { type: 'string', length: 40 },
    period: { type: 'string', length: 40 },
    unitCode: { type: 'string', length: 7 },
    voivodeship: { type: 'string', length: 2 },
    status: { type: 'string', length: 24 },
    overdue: { type: 'boolean', default: false },
    dueDate: { type: 'string', columnType: 'date' },
    versions: { type: 'integer', default: 0 },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

/** A report's data request to another department or an external unit (its workflow id); no e-mail here. */
export interface ReportDataRequest {
  id: string;
  reportId: string;
  recipientName: string;
  subject: string;
  dueDate: string;
  status: string;
  overdue: boolean;
  reminders: number;
  requestedBy: string;
  createdAt: Date;
  answerText?: string | null;
  documentId?: string | null;
  answeredBy?: string | null;
  closedAt?: Date | null;
}

export const ReportDataRequestSchema = new EntitySchema<ReportDataRequest>({
  name: 'ReportDataRequest',
  tableName: 'report_data_requests',
  indexes: [{ properties: ['reportId'] }],
  properties: {
    id: { type: 'string', length: 250, primary: true },
    reportId: { type: 'string', length: 200 },
    recipientName: { type: 'string', length: 200 },
    subject: { type: 'text' },
    dueDate: { type: 'string', columnType: 'date' },
    status: { type: 'string', length: 16 },
    overdue: { type: 'boolean', default: false },
    reminders: { type: 'integer', default: 0 },
    requestedBy: { type: 'string', length: 120 },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
    answerText: { type: 'text', nullable: true },
    documentId: { type: 'string', length: 250, nullable: true },
    answeredBy: { type: 'string', length: 120, nullable: true },
    closedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});

/** A submitted version with its receipt (UPO, seed 003); versions are never overwritten. */
export interface ReportVersion {
  id: number;
  reportId: string;
  version: number;
  content: Record<string, unknown>;
  sha256: string;
  receiptNumber: string;
  submittedAt: Date;
  submittedBy: string;
}

export const ReportVersionSchema = new EntitySchema<ReportVersion>({
  name: 'ReportVersion',
  tableName: 'report_versions',
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    reportId: { type: 'string', length: 200 },
    version: { type: 'integer' },
    content: { type: 'json' },
    sha256: { type: 'string', length: 64 },
    receiptNumber: { type: 'string', length: 80, unique: true },
    submittedAt: { type: 'Date', columnType: 'timestamptz' },
    submittedBy: { type: 'string', length: 120 },
  },
});

/** Every draft save is kept (seed 001: save before a break so nothing typed is lost). */
export interface ReportDraft {
  id: number;
  reportId: string;
  content: Record<string, unknown>;
  savedAt: Date;
  savedBy: string;
  idempotencyKey: string;
}

export const ReportDraftSchema = new EntitySchema<ReportDraft>({
  name: 'ReportDraft',
  tableName: 'report_drafts',
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    reportId: { type: 'string', length: 200, index: true },
    content: { type: 'json' },
    savedAt: { type: 'Date', columnType: 'timestamptz' },
    savedBy: { type: 'string', length: 120 },
    idempotencyKey: { type: 'string', length: 300, unique: true },
  },
});

// ---- CSIZS connection campaign (seed 004) ----

export interface CsizsCampaign {
  id: string;
  name: string;
  area: string;
  /** The calendar as written (local Warsaw dates) and resolved to instants. */
  calendar: Record<string, unknown>;
  plan: Record<string, unknown>;
  status: 'created' | 'starting' | 'started';
  totalUnits: number;
  startedUnits: number;
  /** Started units per voivodeship shard. */
  shardProgress: Record<string, number>;
  createdAt: Date;
  startedAt?: Date | null;
}

export const CsizsCampaignSchema = new EntitySchema<CsizsCampaign>({
  name: 'CsizsCampaign',
  tableName: 'csizs_campaigns',
  properties: {
    id: { type: 'string', length: 80, primary: true },
    name: { type: 'string', length: 200 },
    area: { type: 'string', length: 16 },
    calendar: { type: 'json' },
    plan: { type: 'json' },
    status: { type: 'string', length: 16 },
    totalUnits: { type: 'integer', default: 0 },
    startedUnits: { type: 'integer', default: 0 },
    shardProgress: { type: 'json' },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
    startedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});

/** One unit's connection state, projected by its workflow: never a password or certificate. */
export interface CsizsUnit {
  campaignId: string;
  unitCode: string;
  voivodeship: string;
  workflowId: string;
  vendor?: string | null;
  currentStep?: string | null;
  lateStep?: string | null;
  completed: Record<string, { at: string; by: string }>;
  connected: boolean;
  escalatedAt?: Date | null;
  escalationReason?: string | null;
  escalationBy?: string | null;
  packagePasswordHandedOverAt?: Date | null;
  notificationStatus?: string | null;
  notificationDocumentId?: string | null;
  notificationScanId?: string | null;
  notificationReason?: string | null;
  localAdminAccountId?: string | null;
  packageDocumentId?: string | null;
  packageSentAt?: Date | null;
  passwordChangedAt?: Date | null;
  updatedAt: Date;
}

export const CsizsUnitSchema = new EntitySchema<CsizsUnit>({
  name: 'CsizsUnit',
  tableName: 'csizs_units',
  properties: {
    campaignId: { type: 'string', length: 80, primary: true },
    unitCode: { type: 'string', length: 7, primary: true },
    voivodeship: { type: 'string', length: 2, index: true },
    workflowId: { type: 'string', length: 200 },
    vendor: { type: 'string', length: 100, nullable: true },
    currentStep: { type: 'string', length: 40, nullable: true },
    lateStep: { type: 'string', length: 40, nullable: true },
    completed: { type: 'json' },
    connected: { type: 'boolean', default: false },
    escalatedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    escalationReason: { type: 'text', nullable: true },
    escalationBy: { type: 'string', length: 120, nullable: true },
    packagePasswordHandedOverAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    notificationStatus: { type: 'string', length: 20, nullable: true },
    notificationDocumentId: { type: 'string', length: 250, nullable: true },
    notificationScanId: { type: 'string', length: 250, nullable: true },
    notificationReason: { type: 'text', nullable: true },
    localAdminAccountId: { type: 'string', length: 36, nullable: true, index: true },
    packageDocumentId: { type: 'string', length: 250, nullable: true },
    packageSentAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    passwordChangedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});

/** seed 004: a sealed secret on its way between the API and an activity, outside workflow history (lib/secret-store.ts). */
export interface SealedSecret {
  id: string;
  purpose: string;
  owner: string;
  sealed: Buffer;
  expiresAt: Date;
  readAt?: Date | null;
  createdAt: Date;
}

export const SealedSecretSchema = new EntitySchema<SealedSecret>({
  name: 'SealedSecret',
  tableName: 'secrets',
  properties: {
    id: { type: 'string', length: 200, primary: true },
    purpose: { type: 'string', length: 40 },
    owner: { type: 'string', length: 200, index: true },
    sealed: { type: 'blob' },
    expiresAt: { type: 'Date', columnType: 'timestamptz' },
    readAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});

/** A unit on a checkpoint's call list; status is the checkpoint's result so far. */
export interface CsizsCheckpointEntry {
  campaignId: string;
  unitCode: string;
  checkpoint: string;
  status: 'open' | 'confirmed' | 'not_confirmed' | 'unreachable';
  openedAt: Date;
  resolvedAt?: Date | null;
}

export const CsizsCheckpointSchema = new EntitySchema<CsizsCheckpointEntry>({
  name: 'CsizsCheckpoint',
  tableName: 'csizs_checkpoints',
  properties: {
    campaignId: { type: 'string', length: 80, primary: true },
    unitCode: { type: 'string', length: 7, primary: true },
    checkpoint: { type: 'string', length: 20, primary: true },
    status: { type: 'string', length: 16 },
    openedAt: { type: 'Date', columnType: 'timestamptz' },
    resolvedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});

/** Every phone call of a checkpoint: outcome, reason, who called and when. */
export interface CsizsCall {
  id: string;
  campaignId: string;
  unitCode: string;
  checkpoint: string;
  outcome: 'confirmed' | 'not_confirmed' | 'no_answer';
  reason?: string | null;
  calledBy: string;
  calledAt: Date;
}

export const CsizsCallSchema = new EntitySchema<CsizsCall>({
  name: 'CsizsCall',
  tableName: 'csizs_calls',
  properties: {
    id: { type: 'string', length: 200, primary: true },
    campaignId: { type: 'string', length: 80 },
    unitCode: { type: 'string', length: 7 },
    checkpoint: { type: 'string', length: 20 },
    outcome: { type: 'string', length: 16 },
    reason: { type: 'text', nullable: true },
    calledBy: { type: 'string', length: 120 },
    calledAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

export const entities = [
  UnitSchema,
  AccountSchema,
  SessionSchema,
  AuditEntrySchema,
  RoleAssignmentSchema,
  ApiTokenSchema,
  CaseSchema,
  CaseCountSchema,
  CaseEventSchema,
  TaskSchema,
  BlobSchema,
  CaseDocumentSchema,
  OutboxMailSchema,
  ReportFormSchema,
  ReportCampaignSchema,
  ReportSchema,
  ReportVersionSchema,
  ReportDraftSchema,
  ReportDataRequestSchema,
  CsizsCampaignSchema,
  CsizsUnitSchema,
  CsizsCheckpointSchema,
  CsizsCallSchema,
  SealedSecretSchema,
];
