import type { EntityManager } from '@mikro-orm/postgresql';

// Cases, their history (case_events) and documents in raw SQL, for activities. Each function runs on
// `em.execute`, so it joins the transaction of the em it is given, as the activities did before.

/** Appends an event to a case's history, once per idempotency key. */
export async function insertCaseEventOnce(
  em: EntityManager,
  e: { caseId: string; at: Date; actor: string; type: string; message: string; data: string; key: string },
): Promise<void> {
  await em.execute(
    `insert into case_events (case_id, at, actor, type, message, data, idempotency_key)
     values (?, ?, ?, ?, ?, ?, ?) on conflict (idempotency_key) do nothing`,
    [e.caseId, e.at, e.actor, e.type, e.message, e.data, e.key],
  );
}

/** Records a case document's metadata (its content is in blob storage), once per id. */
export async function insertDocumentOnce(
  em: EntityManager,
  d: { id: string; caseId: string; kind: string; title: string; mediaType: string; size: number; sha256: string; filename: string; source: string; createdBy: string },
): Promise<void> {
  await em.execute(
    `insert into documents (id, case_id, kind, title, media_type, size, sha256, filename, source, created_by, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict (id) do nothing`,
    [d.id, d.caseId, d.kind, d.title, d.mediaType, d.size, d.sha256, d.filename, d.source, d.createdBy],
  );
}

/** Records the file of a reply to a report's data request among the report's documents, once per id. */
export async function insertDataReplyDocumentOnce(
  em: EntityManager,
  d: { id: string; reportId: string; title: string; mediaType: string; size: number; sha256: string; filename: string; createdBy: string },
): Promise<void> {
  await em.execute(
    `insert into documents (id, case_id, kind, title, media_type, size, sha256, filename, source, created_by, created_at)
     values (?, ?, 'data-reply', ?, ?, ?, ?, ?, 'email', ?, now()) on conflict (id) do nothing`,
    [d.id, d.reportId, d.title, d.mediaType, d.size, d.sha256, d.filename, d.createdBy],
  );
}

/** Records one file of a generated registration form among the case's documents, once per id. */
export async function insertRegistrationFormDocumentOnce(
  em: EntityManager,
  d: { id: string; caseId: string; mediaType: string; size: number; sha256: string; filename: string },
): Promise<void> {
  await em.execute(
    `insert into documents (id, case_id, kind, title, media_type, size, sha256, filename, source, created_by, created_at)
     values (?, ?, 'registration-form', 'Formularz rejestracyjny do podpisu', ?, ?, ?, ?, 'generated', 'system', now())
     on conflict (id) do nothing`,
    [d.id, d.caseId, d.mediaType, d.size, d.sha256, d.filename],
  );
}

type Connection = ReturnType<EntityManager['getConnection']>;

/** Whether a document with the id is recorded (one row, or none), on a connection outside any transaction. */
export function documentExists(conn: Connection, id: string): Promise<unknown[]> {
  return conn.execute('select 1 from documents where id = ?', [id]);
}

/** Deletes a document's record, on a connection outside any transaction. */
export async function deleteDocument(conn: Connection, id: string): Promise<void> {
  await conn.execute('delete from documents where id = ?', [id]);
}

/** As insertDocumentOnce, on a connection outside any transaction. */
export function insertDocumentOnceOnConnection(
  conn: Connection,
  d: { id: string; caseId: string; kind: string; title: string; mediaType: string; size: number; sha256: string; filename: string; source: string; createdBy: string },
): Promise<unknown> {
  return conn.execute(
    `insert into documents (id, case_id, kind, title, media_type, size, sha256, filename, source, created_by, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict (id) do nothing`,
    [d.id, d.caseId, d.kind, d.title, d.mediaType, d.size, d.sha256, d.filename, d.source, d.createdBy],
  );
}

/** Sets a report's case status, deadline and waiting-for where given, closes it if asked (always its updated_at). */
export async function updateReportCase(
  em: EntityManager,
  s: { reportId: string; status?: string; deadline?: string | null; waitingFor?: string | null; closed?: boolean },
): Promise<void> {
  const csets: string[] = ['updated_at = now()'];
  const cargs: unknown[] = [];
  if (s.status !== undefined) {
    csets.push('status = ?');
    cargs.push(s.status);
  }
  if (s.deadline !== undefined) {
    csets.push('deadline = ?');
    cargs.push(s.deadline ? new Date(s.deadline) : null);
  }
  if (s.waitingFor !== undefined) {
    csets.push('waiting_for = ?');
    cargs.push(s.waitingFor);
  }
  if (s.closed) csets.push('closed_at = coalesce(closed_at, now())');
  await em.execute(`update cases set ${csets.join(', ')} where id = ?`, [...cargs, s.reportId]);
}

/** A report's case as not started, once per id. */
export async function insertReportCaseOnce(
  em: EntityManager,
  c: { id: string; unitCode: string; voivodeship: string; title: string; waitingFor: string; deadline: Date; data: string; runId: string },
): Promise<void> {
  await em.execute(
    `insert into cases (id, type, status, unit_code, voivodeship, title, waiting_for, deadline, data, run_id, created_at, updated_at)
     values (?, 'report', 'not_started', ?, ?, ?, ?, ?, ?, ?, now(), now()) on conflict (id) do nothing`,
    [c.id, c.unitCode, c.voivodeship, c.title, c.waitingFor, c.deadline, c.data, c.runId],
  );
}

/** Records a report's receipt as JSON among its documents, once per id. */
export async function insertJsonReceiptDocumentOnce(em: EntityManager, d: { id: string; reportId: string; title: string; size: number; sha256: string; filename: string }): Promise<void> {
  await em.execute(
    `insert into documents (id, case_id, kind, title, media_type, size, sha256, filename, source, created_by, created_at)
     values (?, ?, 'report-receipt', ?, 'application/json', ?, ?, ?, 'generated', 'system', now()) on conflict (id) do nothing`,
    [d.id, d.reportId, d.title, d.size, d.sha256, d.filename],
  );
}

/** Records a report's receipt as PDF among its documents, once per id. */
export async function insertPdfReceiptDocumentOnce(em: EntityManager, d: { id: string; reportId: string; title: string; size: number; sha256: string; filename: string }): Promise<void> {
  await em.execute(
    `insert into documents (id, case_id, kind, title, media_type, size, sha256, filename, source, created_by, created_at)
     values (?, ?, 'report-receipt', ?, 'application/pdf', ?, ?, ?, 'generated', 'system', now()) on conflict (id) do nothing`,
    [d.id, d.reportId, d.title, d.size, d.sha256, d.filename],
  );
}

/** Whether a document with the id is recorded (one row, or none), through the em. */
export function documentExistsInEm(em: EntityManager, id: string): Promise<unknown[]> {
  return em.execute('select 1 from documents where id = ?', [id]);
}

/**
 * The row of a case the API is about to start (issue 14 item 2): a case URL answered with 201 shows the
 * case from that moment. Returns whether this call wrote it (false: the case had a row already). The
 * workflow's openCase then fills in the rest (its run, the application).
 */
export async function insertStartingCaseOnce(
  em: EntityManager,
  c: { id: string; type: string; status: string; unitCode: string; voivodeship: string; title: string; waitingFor: string | null; accountId: string | null; data: Record<string, unknown> },
): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `insert into cases (id, type, status, unit_code, voivodeship, title, waiting_for, account_id, data, run_id, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, '', now(), now()) on conflict (id) do nothing returning id`,
    [c.id, c.type, c.status, c.unitCode, c.voivodeship, c.title.slice(0, 300), c.waitingFor, c.accountId, JSON.stringify(c.data)],
  );
  return rows.length > 0;
}

/** Takes back a row insertStartingCaseOnce wrote when its workflow could not be started. */
export async function deleteStartingCase(em: EntityManager, id: string): Promise<void> {
  await em.execute(`delete from cases where id = ? and run_id = ''`, [id]);
}
