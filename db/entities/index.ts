import { TimestampedSchema } from './base';
import { UnitSchema } from './reference';
import { AccountSchema, ApiTokenSchema, RoleAssignmentSchema, SessionSchema } from './accounts';
import { AuditEntrySchema } from './audit';
import { CaseCountSchema, CaseDocumentSchema, CaseEventSchema, CaseSchema, TaskSchema } from './cases';
import { BlobSchema, SealedSecretSchema } from './storage';
import { OutboxMailSchema } from './mail';
import { ReportCampaignSchema, ReportDataRequestSchema, ReportDraftSchema, ReportFormSchema, ReportSchema, ReportVersionSchema } from './reports';
import { CsizsCallSchema, CsizsCampaignSchema, CsizsCheckpointSchema, CsizsUnitSchema } from './csizs';
import { VoivodeshipOfficeSchema } from './offices';
import { ReceiptSchema } from './receipts';
import { LetterSchema } from './letters';
import { ReportAreaDesignationSchema } from './designations';

// The read model, one file per aggregate. Workflows own process state; activities project it here for
// the API and dashboards. `import … from 'db/entities'` keeps giving every entity and type.

export * from './base';
export * from './reference';
export * from './accounts';
export * from './audit';
export * from './cases';
export * from './storage';
export * from './mail';
export * from './reports';
export * from './csizs';
export * from './offices';
export * from './receipts';
export * from './letters';
export * from './designations';

/** Every entity for the ORM's discovery (db/orm.ts), the abstract base included. */
export const entities = [
  TimestampedSchema,
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
  VoivodeshipOfficeSchema,
  ReceiptSchema,
  LetterSchema,
  ReportAreaDesignationSchema,
];
