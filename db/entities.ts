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

export type Role = 'ministry' | 'voivodeship_admin' | 'unit_head' | 'local_admin' | 'staff';

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

export const entities = [
  UnitSchema,
  AccountSchema,
  SessionSchema,
  AuditEntrySchema,
  RoleAssignmentSchema,
  ApiTokenSchema,
  CaseSchema,
  CaseEventSchema,
  TaskSchema,
  BlobSchema,
  CaseDocumentSchema,
  OutboxMailSchema,
];
