import { EntitySchema } from '@mikro-orm/core';

// The audit trail, written by the API (lib/audit.ts) and read by nobody but operators.

/** The audit trail: every sign-in, failure, lock, permission change and case action, with who and when. */
export interface AuditEntry {
  id: number;
  at: Date;
  actor: string;
  accountId?: string | null;
  action: string;
  target?: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  status?: number | null;
  ip?: string | null;
  detail: Record<string, unknown>;
}

export const AuditEntrySchema = new EntitySchema<AuditEntry>({
  name: 'AuditEntry',
  tableName: 'audit_log',
  indexes: [{ properties: ['at'] }, { properties: ['accountId', 'at'] }],
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    at: { type: 'Date', columnType: 'timestamptz' },
    actor: { type: 'string', length: 120 },
    accountId: { type: 'uuid', nullable: true },
    action: { type: 'string', length: 80 },
    target: { type: 'string', length: 300, nullable: true },
    outcome: { type: 'string', length: 16 },
    status: { type: 'integer', nullable: true },
    ip: { type: 'string', length: 64, nullable: true },
    detail: { type: 'json', default: '{}' },
  },
});
