import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RegistrationDecision } from './registration';
import type { ReportPlan, ReportPolicy, ScheduledPeriodKind } from '../rules/reporting-calendar';

// ---- Report submission deadlines (process 3, seeds 001, 002, 003) ----

/** Precomputed by the API from the reporting calendar (workflows/rules/reporting-calendar.ts). */
export type { ReportPlan } from '../rules/reporting-calendar';

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
  /** seed 002 §I.4-5: who takes over when both are absent (from the head's standing designation). */
  secondLevel?: ReportPerson | null;
  designatedBy: string;
}

/** The head's standing designation for the area (seed 002), as a new report takes it up. */
export interface StandingReportPeople {
  responsible: ReportPerson;
  substitute: ReportPerson | null;
  secondLevel: ReportPerson | null;
  designatedBy: string;
}

/** The responsible person is away (or back): the unit's open tasks move to the substitute (or back). */
export interface ReportAbsence {
  absent: boolean;
  by: string;
  /** Whose absence: the responsible person's (the default) or the substitute's (seed 002 §I.4-5). */
  person?: 'responsible' | 'substitute';
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
  /** seed 002 §I.4-5 (issue 16); absent from views of runs before it. */
  secondLevel?: string | null;
  substituteAbsent?: boolean;
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
  /**
   * The task queue of the reports it starts, when the campaign runs on a queue of its own
   * (TEMPORAL_STARTS_TASK_QUEUE); absent (and in runs started before it existed): the campaign's own queue.
   */
  caseTaskQueue?: string;
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
