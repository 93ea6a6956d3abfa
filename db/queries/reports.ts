import type { EntityManager } from '@mikro-orm/postgresql';

// Reports' data requests (report_data_requests) in raw SQL, for activities. Each function runs on
// `em.execute`, so it joins the transaction of the em it is given, as the activities did before.

/** Opens a data request of a report, once per id. */
export async function insertDataRequestOnce(
  em: EntityManager,
  r: { id: string; reportId: string; recipientName: string; subject: string; dueDate: string; requestedBy: string },
): Promise<void> {
  await em.execute(
    `insert into report_data_requests (id, report_id, recipient_name, subject, due_date, status, overdue, requested_by, created_at)
     values (?, ?, ?, ?, ?, 'open', false, ?, now()) on conflict (id) do nothing`,
    [r.id, r.reportId, r.recipientName, r.subject, r.dueDate, r.requestedBy],
  );
}

/** Counts the request's first reminder (a retry or a later reminder does not count again). */
export async function countFirstDataRequestReminder(em: EntityManager, requestId: string): Promise<void> {
  await em.execute('update report_data_requests set reminders = reminders + 1 where id = ? and reminders = 0', [requestId]);
}

/** Closes the data request with `status` (e.g. cancelled). */
export async function closeDataRequestWithStatus(em: EntityManager, requestId: string, status: string): Promise<void> {
  await em.execute('update report_data_requests set status = ?, closed_at = now() where id = ?', [status, requestId]);
}

/** Marks the data request overdue. */
export async function markDataRequestOverdue(em: EntityManager, requestId: string): Promise<void> {
  await em.execute('update report_data_requests set overdue = true where id = ?', [requestId]);
}

/** Records the reply to a data request (its text, its document if any) and closes the request as answered. */
export async function recordDataRequestAnswer(
  em: EntityManager,
  a: { requestId: string; text: string; documentId: string | null; answeredBy: string },
): Promise<void> {
  await em.execute(
    `update report_data_requests set status = 'answered', answer_text = ?, document_id = ?, answered_by = ?, closed_at = now() where id = ?`,
    [a.text, a.documentId, a.answeredBy, a.requestId],
  );
}

// Reports, their forms, campaigns, drafts and versions.

/** Sets the report row's status, overdue flag and due date where given (always its updated_at). */
export async function updateReportState(em: EntityManager, s: { reportId: string; status?: string; overdue?: boolean; dueDate?: string }): Promise<void> {
  const sets: string[] = ['updated_at = now()'];
  const args: unknown[] = [];
  if (s.status !== undefined) {
    sets.push('status = ?');
    args.push(s.status);
  }
  if (s.overdue !== undefined) {
    sets.push('overdue = ?');
    args.push(s.overdue);
  }
  if (s.dueDate !== undefined) {
    sets.push('due_date = ?');
    args.push(s.dueDate);
  }
  await em.execute(`update reports set ${sets.join(', ')} where id = ?`, [...args, s.reportId]);
}

export interface ReportFormRow<P, R> {
  code: string;
  name: string;
  area: string;
  unit_kind: string;
  period: P;
  due_rule: R;
  active: boolean;
}

/** The report form (empty when there is none). */
export function reportForm<P, R>(em: EntityManager, code: string): Promise<ReportFormRow<P, R>[]> {
  return em.execute<ReportFormRow<P, R>[]>('select code, name, area, unit_kind, period, due_rule, active from report_forms where code = ?', [code]);
}

/** Who opened the campaign (empty when there is none). */
export function campaignCreatedBy(em: EntityManager, campaignId: string): Promise<{ created_by: string }[]> {
  return em.execute<{ created_by: string }[]>('select created_by from report_campaigns where id = ?', [campaignId]);
}

/** A report's read-model row as not started, once per id. */
export async function insertReportRowOnce(
  em: EntityManager,
  r: { id: string; campaignId: string; formCode: string; period: string; unitCode: string; voivodeship: string; dueDate: string },
): Promise<void> {
  await em.execute(
    `insert into reports (id, campaign_id, form_code, period, unit_code, voivodeship, status, overdue, due_date, versions, updated_at)
     values (?, ?, ?, ?, ?, ?, 'not_started', false, ?, 0, now()) on conflict (id) do nothing`,
    [r.id, r.campaignId, r.formCode, r.period, r.unitCode, r.voivodeship, r.dueDate],
  );
}

/** Keeps a saved draft, once per idempotency key. */
export async function insertReportDraftOnce(em: EntityManager, d: { reportId: string; content: string; savedBy: string; key: string }): Promise<void> {
  await em.execute(
    `insert into report_drafts (report_id, content, saved_at, saved_by, idempotency_key) values (?, ?, now(), ?, ?)
     on conflict (idempotency_key) do nothing`,
    [d.reportId, d.content, d.savedBy, d.key],
  );
}

export interface ReportVersionReceiptRow {
  receipt_number: string;
  sha256: string;
  submitted_at: Date;
  submitted_by: string;
}

/** The receipt of a submitted version (empty when not submitted). */
export function reportVersionReceipt(em: EntityManager, reportId: string, version: number): Promise<ReportVersionReceiptRow[]> {
  return em.execute<ReportVersionReceiptRow[]>(
    'select receipt_number, sha256, submitted_at, submitted_by from report_versions where report_id = ? and version = ?',
    [reportId, version],
  );
}

/** Records a submitted version with its receipt. */
export async function insertReportVersion(
  em: EntityManager,
  v: { reportId: string; version: number; content: string; sha256: string; receiptNumber: string; submittedAt: Date; submittedBy: string },
): Promise<void> {
  await em.execute(
    `insert into report_versions (report_id, version, content, sha256, receipt_number, submitted_at, submitted_by) values (?, ?, ?, ?, ?, ?, ?)`,
    [v.reportId, v.version, v.content, v.sha256, v.receiptNumber, v.submittedAt, v.submittedBy],
  );
}

/** Sets the report's count of versions. */
export async function setReportVersions(em: EntityManager, reportId: string, versions: number): Promise<void> {
  await em.execute('update reports set versions = ? where id = ?', [versions, reportId]);
}
