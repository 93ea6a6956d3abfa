import { randomBytes, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { audit } from '../lib/audit';
import { KEY_ID_PATTERN, KeyRingError, legacyKeyId, parseKeyRing, type KeyRing } from '../lib/payload-codec';
import { dataConverter } from '../lib/temporal';
import { startWorkflow } from '../lib/workflow-types';

// The operator's commands on the server (db/cli.ts): each changes one account or mail, or reads one case's
// history, and writes one audit row (actor "operator:<user>", action "cli.<command>").

export class OperatorError extends Error {}

const operator = () => `operator:${process.env.SUDO_USER ?? process.env.USER ?? 'unknown'}`;

async function accountId(orm: MikroORM, login: string): Promise<string> {
  const [row] = await orm.em.fork().getConnection().execute<{ id: string }[]>('select id from accounts where login = ?', [login]);
  if (!row) throw new OperatorError(`no account with login ${login}`);
  return row.id;
}

async function record(orm: MikroORM, action: string, target: string, accountIdOf: string | null, detail: Record<string, unknown> = {}) {
  await audit(orm.em.fork(), { actor: operator(), accountId: accountIdOf, action: `cli.${action}`, target, outcome: 'ok', detail });
}

/** Lifts a sign-in lockout (failed attempts) now. */
export async function unlockAccount(orm: MikroORM, login: string): Promise<void> {
  const id = await accountId(orm, login);
  await orm.em.fork().getConnection().execute('update accounts set failed_logins = 0, locked_until = null where id = ?', [id]);
  await record(orm, 'unlock', login, id);
}

/** Disables an account: no sign-in, its sessions end and its API tokens are revoked. */
export async function disableAccount(orm: MikroORM, login: string): Promise<{ sessions: number; tokens: number }> {
  const id = await accountId(orm, login);
  const conn = orm.em.fork().getConnection();
  await conn.execute("update accounts set status = 'disabled' where id = ?", [id]);
  const sessions = await conn.execute<{ id: string }[]>("update sessions set ended_at = now(), end_reason = 'disabled' where account_id = ? and ended_at is null returning id", [id]);
  const tokens = await conn.execute<{ id: string }[]>('update api_tokens set revoked_at = now() where account_id = ? and revoked_at is null returning id', [id]);
  await record(orm, 'disable', login, id, { sessions: sessions.length, tokens: tokens.length });
  return { sessions: sessions.length, tokens: tokens.length };
}

/** Revokes every API token of an account. */
export async function revokeTokens(orm: MikroORM, login: string): Promise<number> {
  const id = await accountId(orm, login);
  const rows = await orm.em.fork().getConnection().execute<{ id: string }[]>('update api_tokens set revoked_at = now() where account_id = ? and revoked_at is null returning id', [id]);
  await record(orm, 'revoke-tokens', login, id, { tokens: rows.length });
  return rows.length;
}

/** Sends an outbox message again (not one that carried a password: it was redacted after sending). */
export async function resendMail(orm: MikroORM, temporal: Client, taskQueue: string, mailId: string): Promise<string> {
  const [row] = await orm.em.fork().getConnection().execute<{ redacted: boolean }[]>('select redacted from outbox where id = ?', [mailId]);
  if (!row) throw new OperatorError(`no mail ${mailId} in the outbox`);
  if (row.redacted) throw new OperatorError(`mail ${mailId} carried a password and cannot be resent; use the password reminder`);
  const workflowId = `mail-resend-${randomUUID()}`;
  await startWorkflow(temporal, 'mailResendWorkflow', { workflowId, taskQueue, args: [{ mailId }] });
  await record(orm, 'resend-mail', mailId, null, { workflowId });
  return workflowId;
}

/** What rotate-payload-key prints: the new key ring's settings, to set on every process at once. */
export interface PayloadKeyRotation {
  /** The new key's id: the active one once the settings are in service. */
  id: string;
  /** The value for PAYLOAD_KEYS (or the PAYLOAD_KEYS_FILE secret): the ring's keys but PAYLOAD_KEY's, and the new one. */
  payloadKeys: string;
  /** The ids the ring will hold, the new one last. */
  ring: string[];
  /** The id that sealed until now. */
  previousId: string;
  /** PAYLOAD_KEY stays set as it is (its key keeps its derived id in the ring). */
  keepsPayloadKey: boolean;
}

/** A key id for today, unique in the ring: 2027-01-15, then 2027-01-15.2, … */
function freshKeyId(ring: KeyRing, today: Date): string {
  const base = today.toISOString().slice(0, 10);
  let id = base;
  for (let n = 2; ring.keys[id] !== undefined; n += 1) id = `${base}.${n}`;
  return id;
}

/**
 * Rotates the payload key ring (lib/payload-codec.ts): a new random key joins the ring of the current
 * settings (PAYLOAD_KEY, PAYLOAD_KEYS, PAYLOAD_KEY_ID) and becomes the active one; every key already in it
 * stays, so histories sealed before keep opening. Writes nothing but the audit row (ids only, no key): the
 * operator puts the printed settings in service.
 */
export async function rotatePayloadKey(
  orm: MikroORM,
  current: { PAYLOAD_KEY?: string; PAYLOAD_KEYS?: string; PAYLOAD_KEY_ID?: string },
  opts: { id?: string; today?: Date } = {},
): Promise<PayloadKeyRotation> {
  let ring: KeyRing;
  try {
    ring = parseKeyRing(current);
  } catch (err) {
    if (err instanceof KeyRingError) throw new OperatorError(`the current payload key settings do not load (${err.message}); rotate from working settings`);
    throw err;
  }
  const id = opts.id ?? freshKeyId(ring, opts.today ?? new Date());
  if (!KEY_ID_PATTERN.test(id)) throw new OperatorError(`key id "${id}": use 1 to 64 letters, digits, ".", "_" or "-"`);
  if (ring.keys[id] !== undefined) throw new OperatorError(`key id "${id}" is in the ring already; choose another`);
  const legacyId = current.PAYLOAD_KEY ? legacyKeyId(Buffer.from(current.PAYLOAD_KEY, 'base64')) : undefined;
  const entries = Object.entries(ring.keys).filter(([k]) => k !== legacyId);
  entries.push([id, randomBytes(32).toString('base64')]);
  const payloadKeys = entries.map(([k, v]) => `${k}:${v}`).join(',');
  // The settings printed must load: the same check the processes make at start.
  const next = parseKeyRing({ PAYLOAD_KEY: current.PAYLOAD_KEY, PAYLOAD_KEYS: payloadKeys, PAYLOAD_KEY_ID: id });
  const rotation = { id, payloadKeys, ring: Object.keys(next.keys), previousId: ring.activeId, keepsPayloadKey: legacyId !== undefined };
  await record(orm, 'rotate-payload-key', id, null, { previous: ring.activeId, ring: rotation.ring });
  return rotation;
}

const decodeJson = (p: Payload): unknown => {
  const encoding = p.metadata?.[METADATA_ENCODING_KEY] && Buffer.from(p.metadata[METADATA_ENCODING_KEY]).toString();
  const data = Buffer.from(p.data ?? new Uint8Array());
  if (encoding === 'json/plain') return JSON.parse(data.toString('utf8'));
  if (encoding === 'binary/null') return null;
  return { encoding, data: data.toString('base64') };
};

/** A case's workflow history with every payload unsealed and shown as JSON (the codec, on the server). */
export async function caseHistory(orm: MikroORM, temporal: Client, payloadKeys: KeyRing | string, caseId: string): Promise<unknown[]> {
  const history = await temporal.workflow.getHandle(caseId).fetchHistory();
  const codec = dataConverter(payloadKeys).payloadCodecs![0];
  const walk = async (v: unknown): Promise<unknown> => {
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
    if (Array.isArray(v)) return Promise.all(v.map(walk));
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && 'data' in o && Object.keys(o).every((k) => k === 'metadata' || k === 'data' || k === 'externalPayloads')) {
      const [plain] = await codec.decode([o as Payload]);
      return decodeJson(plain);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) if (x !== null && x !== undefined) out[k] = await walk(x);
    return out;
  };
  const events = (await walk(history.events ?? [])) as unknown[];
  await record(orm, 'case-history', caseId, null, { events: events.length });
  return events;
}
