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
