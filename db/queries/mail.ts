import type { EntityManager } from '@mikro-orm/postgresql';

// The outbox in raw SQL, for activities. Each function runs on `em.execute`, so it joins the
// transaction of the em it is given, as the activities did before.

/** Records a mail in the outbox as pending, once per id (its idempotency key). */
export async function insertPendingOutboxMailOnce(
  em: EntityManager,
  m: { id: string; caseId: string | null; recipient: string; subject: string; template: string; html: string | null; text: string | null; redacted: boolean; messageId: string },
): Promise<void> {
  await em.execute(
    `insert into outbox (id, case_id, recipient, subject, template, html, text, redacted, status, attempts, message_id, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, now()) on conflict (id) do nothing`,
    [m.id, m.caseId, m.recipient, m.subject, m.template, m.html, m.text, m.redacted, m.messageId],
  );
}

/** Counts a failed attempt to send the mail and records why (`lastError`, already shortened by the caller). */
export async function markOutboxMailFailed(em: EntityManager, id: string, lastError: string): Promise<void> {
  await em.execute(`update outbox set status = 'failed', attempts = attempts + 1, last_error = ? where id = ?`, [lastError, id]);
}

/** Counts a successful attempt and marks the mail sent now. */
export async function markOutboxMailSent(em: EntityManager, id: string): Promise<void> {
  await em.execute(`update outbox set status = 'sent', attempts = attempts + 1, last_error = null, sent_at = now() where id = ?`, [id]);
}

export interface StoredOutboxMail {
  recipient: string;
  subject: string;
  html: string | null;
  text: string | null;
  redacted: boolean;
  message_id: string;
}

/** A stored mail as it can be resent (empty when there is no such mail). */
export function storedOutboxMail(em: EntityManager, id: string): Promise<StoredOutboxMail[]> {
  return em.execute<StoredOutboxMail[]>('select recipient, subject, html, text, redacted, message_id from outbox where id = ?', [id]);
}

/** Whether the mail with the id was sent (one row, or none), on a connection outside any transaction. */
export function outboxMailSent(conn: ReturnType<EntityManager['getConnection']>, id: string): Promise<unknown[]> {
  return conn.execute("select 1 from outbox where id = ? and status = 'sent'", [id]);
}
