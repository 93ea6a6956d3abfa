import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CallRecord, CampaignPlan, CsizsCheckpoint, CsizsStep, DomainRegistration, StepCompletion } from '../rules/csizs-campaign';

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
  /** seed 004 pkt 7a–c: NTP source, Emp@tia address, the Emp@tia certificate's SHA-256 (absent in views of older cases). */
  registration?: DomainRegistration | null;
  /** seed 004 pkt 9: the PIU reader roles granted to the unit's staff. */
  piuRoles?: string[] | null;
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
  /**
   * The task queue of the connections it starts, when this starter runs on a queue of its own
   * (TEMPORAL_STARTS_TASK_QUEUE); absent (and in runs started before it existed): the starter's own queue.
   */
  caseTaskQueue?: string;
}

/** Where the package password waits for the phone call: one per connection, read once. */
export const packagePasswordSecretId = (workflowId: string) => `package-password:${workflowId}`;
/** How long a package password may wait for its phone call. */
export const PACKAGE_PASSWORD_TTL_MS = 14 * 24 * 60 * 60 * 1000;
