import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { hashToken, newApiToken } from '../lib/tokens';
import type { Role } from './entities';

export interface DemoAccount {
  login: string;
  firstName: string;
  lastName: string;
  role: Role;
  voivodeship: string | null;
}

export const VOIVODESHIPS = ['02', '04', '06', '08', '10', '12', '14', '16', '18', '20', '22', '24', '26', '28', '30', '32'];

/** The ministry's operator and one voivodeship administrator per voivodeship. */
export function demoAccounts(): DemoAccount[] {
  return [
    { login: 'ministerstwo', firstName: 'Anna', lastName: 'Ministerialna', role: 'ministry', voivodeship: null },
    ...VOIVODESHIPS.map((v) => ({ login: `adm-woj-${v}`, firstName: 'Administrator', lastName: `Wojewódzki ${v}`, role: 'voivodeship_admin' as Role, voivodeship: v })),
  ];
}

/** Creates an account with one role assignment unless its login exists; returns the account id. */
export async function ensureAccount(orm: MikroORM, a: DemoAccount): Promise<string> {
  const conn = orm.em.fork().getConnection();
  await conn.execute(
    `insert into accounts (id, login, email, first_name, last_name, must_change_password, status, created_at, updated_at)
     values (?, ?, ?, ?, ?, false, 'active', now(), now()) on conflict (login) do nothing`,
    [randomUUID(), a.login, `${a.login}@obieg.local`, a.firstName, a.lastName],
  );
  const [{ id }] = await conn.execute<{ id: string }[]>('select id from accounts where login = ?', [a.login]);
  await conn.execute(
    `insert into role_assignments (id, account_id, role, voivodeship, unit_code, area, created_at)
     values (?, ?, ?, ?, null, null, now()) on conflict do nothing`,
    [randomUUID(), id, a.role, a.voivodeship],
  );
  return id;
}

/** Issues a personal API token for an account; only its hash is stored, the token is returned once. */
export async function issueToken(orm: MikroORM, login: string, name: string): Promise<string> {
  const conn = orm.em.fork().getConnection();
  const rows = await conn.execute<{ id: string }[]>('select id from accounts where login = ?', [login]);
  if (!rows[0]) throw new Error(`no account with login ${login}`);
  const token = newApiToken();
  await conn.execute('insert into api_tokens (id, account_id, name, token_hash, created_at) values (?, ?, ?, ?, now())', [
    randomUUID(),
    rows[0].id,
    name,
    hashToken(token),
  ]);
  return token;
}

export async function tokenIsValid(orm: MikroORM, token: string): Promise<boolean> {
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute('select 1 from api_tokens where token_hash = ? and revoked_at is null', [hashToken(token)]);
  return rows.length > 0;
}
