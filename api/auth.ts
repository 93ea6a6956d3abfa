import type { Request, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readRows } from '../db/sql';
import { hashToken } from '../lib/tokens';
import { audit } from '../lib/audit';
import { sessionIdle, SIGN_IN_MESSAGES } from '../workflows/rules/accounts';
import type { Principal } from './access';
import { HttpError } from './errors';

// Two ways in: a session cookie for people (dashboard, ends after SESSION_IDLE_MINUTES of inactivity)
// and personal API tokens for programs ("obg_…"). Only SHA-256 digests of either are stored.

export const SESSION_COOKIE = 'obieg_session';
// The token primitives live in lib/tokens.ts (db/demo.ts needs them too); routes keep importing them here.
export { hashToken, newApiToken, newSessionSecret } from '../lib/tokens';

/** A cookie of the request, parsed by the `cookie` library (a malformed header is no cookie, not an error). */
export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  return parseCookies(header)[name] ?? null;
}

/** What newSessionSecret makes: 32 random bytes, base64url. */
const SESSION_SECRET = /^[A-Za-z0-9_-]{43}$/;

export function setSessionCookie(res: Response, secret: string, secure: boolean): void {
  res.cookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

const invalidToken = () => new HttpError(401, 'INVALID_TOKEN', 'Token dostępu jest niepoprawny, unieważniony lub wygasł');

interface AccountRow {
  account_id: string;
  login: string;
  status: string;
  must_change_password: boolean;
}

export function createAuthenticator(orm: MikroORM, opts: { idleMinutes: number }) {
  const principalFor = async (row: AccountRow, extra: Pick<Principal, 'via' | 'sessionId' | 'csrfToken'>): Promise<Principal> => {
    const assignments = await orm.em
      .fork()
      .getConnection()
      .execute<Principal['assignments']>('select role, voivodeship, unit_code as "unitCode", area from role_assignments where account_id = ?', [row.account_id]);
    return { accountId: row.account_id, login: row.login, assignments, mustChangePassword: row.must_change_password, ...extra };
  };

  return async (req: Request): Promise<Principal | null> => {
    const conn = orm.em.fork().getConnection();
    const header = req.get('authorization');
    if (header) {
      const m = /^Bearer\s+(obg_[A-Za-z0-9_-]{43})$/.exec(header.trim());
      if (!m) throw invalidToken();
      const rows = await conn.execute<AccountRow[]>(
        `update api_tokens t set last_used_at = now() from accounts a
         where t.token_hash = ? and t.revoked_at is null and a.id = t.account_id
         returning t.account_id, a.login, a.status, a.must_change_password`,
        [hashToken(m[1])],
      );
      if (!rows[0] || rows[0].status !== 'active') throw invalidToken();
      return principalFor(rows[0], { via: 'token' });
    }
    const secret = readCookie(req, SESSION_COOKIE);
    if (!secret) return null;
    // A cookie we never set (malformed, forged, from another program) is a sign-in to redo, not a fault.
    if (!SESSION_SECRET.test(secret)) throw new HttpError(401, 'SESSION_INVALID', 'Niepoprawne ciasteczko sesji: zaloguj się ponownie.');
    const id = hashToken(secret);
    // One round trip per page view, a statement planned once: the session, its account and its roles.
    const rows = await readRows<AccountRow & { last_seen_at: Date; db_now: Date; ended_at: Date | null; csrf_token: string; seen_long_ago: boolean; assignments: Principal['assignments'] }>(
      orm.em.fork(),
      `select s.account_id, s.last_seen_at, now() as db_now, s.ended_at, s.csrf_token, a.login, a.status, a.must_change_password,
         s.last_seen_at < now() - interval '20 seconds' as seen_long_ago,
         (select coalesce(json_agg(json_build_object('role', r.role, 'voivodeship', r.voivodeship, 'unitCode', r.unit_code, 'area', r.area)), '[]')
          from role_assignments r where r.account_id = s.account_id) as assignments
       from sessions s join accounts a on a.id = s.account_id where s.id = ?`,
      [id],
    );
    const s = rows[0];
    if (!s || s.ended_at || s.status !== 'active') throw new HttpError(401, 'SESSION_EXPIRED', SIGN_IN_MESSAGES.sessionEnded);
    // The database's clock wrote last_seen_at, so it judges idleness too: one clock for a session's life.
    if (sessionIdle(new Date(s.last_seen_at).getTime(), new Date(s.db_now).getTime(), opts.idleMinutes)) {
      await conn.execute("update sessions set ended_at = now(), end_reason = 'idle' where id = ? and ended_at is null", [id]);
      await audit(orm.em.fork(), { actor: s.login, accountId: s.account_id, action: 'session_expired', outcome: 'ok', ip: req.ip, detail: { reason: 'idle' } });
      throw new HttpError(401, 'SESSION_EXPIRED', SIGN_IN_MESSAGES.sessionEnded);
    }
    // Idle time is counted in minutes: one write a minute per session is enough, not one per request.
    if (s.seen_long_ago) await conn.execute("update sessions set last_seen_at = now() where id = ? and last_seen_at < now() - interval '20 seconds'", [id]);
    return { accountId: s.account_id, login: s.login, assignments: s.assignments, mustChangePassword: s.must_change_password, via: 'session', sessionId: id, csrfToken: s.csrf_token };
  };
}
