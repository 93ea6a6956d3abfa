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
