import { EntitySchema } from '@mikro-orm/core';
import type { Role } from '../../domain/roles';
import { TimestampedSchema, type Timestamped, createdAt } from './base';

// Cases (one per long-running process) with their counts, history, tasks and documents: the read model
// the workflows project through activities for the API and dashboards.

/** A case: one long-running process for one subject. id = the workflow id (a business key). */
export interface Case extends Timestamped {
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
  closedAt?: Date | null;
  /** "wymaga interwencji": why an operator is needed (no personal data), and since when. */
  attentionReason?: string | null;
  attentionAt?: Date | null;
}

export const CaseSchema = new EntitySchema<Case, Timestamped>({
  name: 'Case',
  extends: TimestampedSchema,
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
    closedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    attentionReason: { type: 'string', length: 300, nullable: true },
    attentionAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
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
    createdAt: createdAt(),
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
    createdAt: createdAt(),
  },
});
