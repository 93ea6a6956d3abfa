import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditEntry } from '../db/entities';

/** An audit entry as callers give it: the database sets id and time. */
export type AuditInput = Omit<AuditEntry, 'id' | 'at' | 'detail'> & { detail?: AuditEntry['detail'] };

/** Appends to the audit trail. Callers pass ids and codes, never passwords or tokens. */
export async function audit(em: EntityManager, e: AuditInput): Promise<void> {
  await em.getConnection().execute(
    'insert into audit_log (at, actor, account_id, action, target, outcome, status, ip, detail) values (now(), ?, ?, ?, ?, ?, ?, ?, ?)',
    [e.actor, e.accountId ?? null, e.action, e.target ?? null, e.outcome, e.status ?? null, e.ip ?? null, JSON.stringify(e.detail ?? {})],
  );
}
