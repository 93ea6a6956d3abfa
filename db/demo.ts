import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { hashToken, newApiToken } from '../lib/tokens';
import { generateTemporaryPassword, hashPassword, verifyPassword } from '../lib/passwords';
import type { Role } from './entities';

export interface DemoAccount {
  login: string;
  firstName: string;
  lastName: string;
  role: Role;
  voivodeship: string | null;
  /** For unit roles: the unit (TERYT) and, for staff, the reporting area. */
  unitCode?: string | null;
  area?: string | null;
}

export const VOIVODESHIPS = ['02', '04', '06', '08', '10', '12', '14', '16', '18', '20', '22', '24', '26', '28', '30', '32'];

/** The ministry's operator and one voivodeship administrator per voivodeship. */
export function demoAccounts(): DemoAccount[] {
  return [
    { login: 'ministerstwo', firstName: 'Anna', lastName: 'Ministerialna', role: 'ministry', voivodeship: null },
    ...VOIVODESHIPS.map((v) => ({ login: `adm-woj-${v}`, firstName: 'Administrator', lastName: `Wojewódzki ${v}`, role: 'voivodeship_admin' as Role, voivodeship: v })),
  ];
}

/** The demo scenario's unit (Kielce) and the gminas of Świętokrzyskie whose reports it fills. */
export const DEMO_UNIT = '2661011';
export const DEMO_REPORT_UNITS = ['2661011', '2601013', '2601043', '2602042', '2602052', '2601022'];

/**
 * The unit people of the demo scenario (scripts/demo-scenario.ts): in Kielce a head, a local administrator
 * and a staff member of area PS; a head in each other gmina whose report the scenario moves on.
 */
export function demoUnitAccounts(): DemoAccount[] {
  return [
    { login: `kier-${DEMO_UNIT}`, firstName: 'Krystyna', lastName: 'Kierownik', role: 'unit_head', voivodeship: '26', unitCode: DEMO_UNIT },
    { login: `ladm-${DEMO_UNIT}`, firstName: 'Leszek', lastName: 'Lokalny', role: 'local_admin', voivodeship: '26', unitCode: DEMO_UNIT },
    { login: `prac-${DEMO_UNIT}`, firstName: 'Paweł', lastName: 'Pracownik', role: 'staff', voivodeship: '26', unitCode: DEMO_UNIT, area: 'PS' },
    ...DEMO_REPORT_UNITS.filter((u) => u !== DEMO_UNIT).map((u) => ({ login: `kier-${u}`, firstName: 'Kierownik', lastName: `Jednostki ${u}`, role: 'unit_head' as Role, voivodeship: '26', unitCode: u })),
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
     values (?, ?, ?, ?, ?, ?, now()) on conflict do nothing`,
    [randomUUID(), id, a.role, a.voivodeship, a.unitCode ?? null, a.area ?? null],
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

/** The living demo and its known passwords are for development: refused when NODE_ENV is production. */
export function refuseInProduction(what: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV === 'production') throw new Error(`${what} is for development only (NODE_ENV=production)`);
}

/**
 * A known password for a demo account (development only): the one given when it still signs in with it,
 * else a new one, unless the person has set their own since (then null: theirs is kept).
 */
export async function ensureDemoPassword(orm: MikroORM, login: string, known: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  refuseInProduction('a demo password', env);
  const conn = orm.em.fork().getConnection();
  const [row] = await conn.execute<{ password_hash: string | null }[]>('select password_hash from accounts where login = ?', [login]);
  if (!row) throw new Error(`no account with login ${login}`);
  if (row.password_hash) return known && (await verifyPassword(row.password_hash, known)) ? known : null;
  const password = generateTemporaryPassword(14);
  await conn.execute('update accounts set password_hash = ?, password_changed_at = now(), must_change_password = false where login = ?', [await hashPassword(password), login]);
  return password;
}
