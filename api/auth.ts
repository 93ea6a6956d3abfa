import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { sha256 } from '../lib/blobs';
import type { Principal } from './access';
import { HttpError } from './errors';

// Personal API tokens: "obg_" + 32 random bytes; only their SHA-256 is stored.
export const newApiToken = (): string => `obg_${randomBytes(32).toString('base64url')}`;
export const hashToken = (token: string): string => sha256(token);

export function createAuthenticator(orm: MikroORM) {
  return async (req: Request): Promise<Principal | null> => {
    const header = req.get('authorization');
    if (!header) return null;
    const m = /^Bearer\s+(obg_[A-Za-z0-9_-]{43})$/.exec(header.trim());
    if (!m) throw new HttpError(401, 'INVALID_TOKEN', 'Token dostępu jest niepoprawny, unieważniony lub wygasł');
    const conn = orm.em.fork().getConnection();
    const rows = await conn.execute<{ account_id: string; login: string; status: string }[]>(
      `update api_tokens t set last_used_at = now() from accounts a
       where t.token_hash = ? and t.revoked_at is null and a.id = t.account_id
       returning t.account_id, a.login, a.status`,
      [hashToken(m[1])],
    );
    const row = rows[0];
    if (!row || row.status !== 'active') throw new HttpError(401, 'INVALID_TOKEN', 'Token dostępu jest niepoprawny, unieważniony lub wygasł');
    const assignments = await conn.execute<Principal['assignments']>(
      'select role, voivodeship, unit_code as "unitCode", area from role_assignments where account_id = ?',
      [row.account_id],
    );
    return { accountId: row.account_id, login: row.login, assignments };
  };
}
