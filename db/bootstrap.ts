import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { secretFromEnv } from '../lib/config';
import { hashPassword } from '../lib/passwords';
import { passwordViolations, PASSWORD_POLICY_MESSAGE, PASSWORD_RULE_TEXT } from '../workflows/rules/password-policy';
import { openOrm } from './orm';

// The first ministry account of a fresh installation, from a secret file, for a deployment job
// (docker-compose.yml's `bootstrap`): nobody can sign in before it exists, and the other accounts are made
// by people signed in. Idempotent: once any ministry account exists it changes nothing, so the job may run
// on every `up`. The password from the file is a temporary one: it must be changed at the first sign-in,
// after which the file no longer opens anything.

export interface FirstAccount {
  login: string;
  email: string;
  firstName: string;
  lastName: string;
  password: string;
}

export class BootstrapError extends Error {}

/** The settings from the environment: BOOTSTRAP_LOGIN, _EMAIL, _FIRST_NAME, _LAST_NAME and _PASSWORD_FILE. */
export function firstAccountFromEnv(env: NodeJS.ProcessEnv): FirstAccount {
  const problems: string[] = [];
  const need = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) problems.push(`${name} is not set`);
    return v ?? '';
  };
  const login = need('BOOTSTRAP_LOGIN');
  const email = need('BOOTSTRAP_EMAIL');
  const firstName = need('BOOTSTRAP_FIRST_NAME');
  const lastName = need('BOOTSTRAP_LAST_NAME');
  const file = need('BOOTSTRAP_PASSWORD_FILE');
  if (login && !/^[a-z0-9][a-z0-9._-]{2,99}$/i.test(login)) problems.push('BOOTSTRAP_LOGIN: letters, digits, ".", "_" and "-" only, 3 to 100 characters');
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) problems.push(`BOOTSTRAP_EMAIL: "${email}" is not an e-mail address`);
  let password = '';
  if (file) {
    try {
      password = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      problems.push(`BOOTSTRAP_PASSWORD_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    const broken = password ? passwordViolations(password) : [];
    if (broken.length > 0) problems.push(`BOOTSTRAP_PASSWORD_FILE: ${PASSWORD_POLICY_MESSAGE} (${broken.map((r) => PASSWORD_RULE_TEXT[r]).join(', ')})`);
  }
  if (problems.length > 0) throw new BootstrapError(`first account not created:\n  ${problems.join('\n  ')}`);
  return { login, email, firstName, lastName, password };
}

/** Creates the first ministry account unless a ministry account exists. Audited; serialized against a parallel run. */
export async function bootstrapMinistryAccount(orm: MikroORM, a: FirstAccount): Promise<'created' | 'exists'> {
  const hash = await hashPassword(a.password);
  const em = orm.em.fork();
  return em.transactional(async (tx) => {
    // Every statement on the transaction's own connection, so the lock holds until it commits.
    const ctx = tx.getTransactionContext();
    const conn = { execute: <T extends Record<string, unknown>[] = Record<string, unknown>[]>(sql: string, params: unknown[] = []) => tx.getConnection().execute<T>(sql, params, 'all', ctx) };
    await conn.execute("select pg_advisory_xact_lock(hashtext('obieg-bootstrap'))");
    const ministry = await conn.execute<{ login: string }[]>("select a.login from accounts a join role_assignments r on r.account_id = a.id where r.role = 'ministry' limit 1");
    if (ministry.length > 0) return 'exists';
    if ((await conn.execute('select 1 from accounts where login = ?', [a.login])).length > 0) {
      throw new BootstrapError(`first account not created: login ${a.login} belongs to an account without the ministry role`);
    }
    const id = randomUUID();
    await conn.execute(
      `insert into accounts (id, login, email, first_name, last_name, password_hash, must_change_password, password_changed_at, status, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, true, now(), 'active', now(), now())`,
      [id, a.login, a.email, a.firstName, a.lastName, hash],
    );
    await conn.execute("insert into role_assignments (id, account_id, role, voivodeship, unit_code, area, created_at) values (?, ?, 'ministry', null, null, null, now())", [randomUUID(), id]);
    await conn.execute(
      "insert into audit_log (at, actor, account_id, action, target, outcome, status, ip, detail) values (now(), 'bootstrap', ?, 'account.bootstrap', ?, 'ok', null, null, '{}')",
      [id, a.login],
    );
    return 'created';
  });
}

async function main(): Promise<void> {
  const url = secretFromEnv('DATABASE_URL');
  if (!url) throw new BootstrapError('DATABASE_URL (or DATABASE_URL_FILE) must be set');
  const account = firstAccountFromEnv(process.env);
  const orm = await openOrm(url, 2);
  try {
    const outcome = await bootstrapMinistryAccount(orm, account);
    process.stdout.write(
      outcome === 'created'
        ? `first ministry account ${account.login} created; sign in with the password from the file and change it\n`
        : 'a ministry account exists already; nothing changed\n',
    );
  } finally {
    await orm.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
