import { EntitySchema } from '@mikro-orm/core';
import { TimestampedSchema, type Timestamped, createdAt } from './base';

// Reporting (process 3): forms of the calendar, campaigns, each unit's report with its drafts, versions
// and data requests.

/** A report form of the reporting calendar (process 3): who reports it, how often, and when it is due. */
export interface ReportForm extends Timestamped {
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
}

export const ReportFormSchema = new EntitySchema<ReportForm, Timestamped>({
  name: 'ReportForm',
  extends: TimestampedSchema,
  tableName: 'report_forms',
  properties: {
    code: { type: 'string', length: 40, primary: true },
    name: { type: 'string', length: 300 },
    area: { type: 'string', length: 16 },
    unitKind: { type: 'string', length: 16 },
    period: { type: 'string', length: 16 },
    dueRule: { type: 'json' },
    active: { type: 'boolean', default: true },
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
    createdAt: createdAt(),
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
    createdAt: createdAt(),
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
