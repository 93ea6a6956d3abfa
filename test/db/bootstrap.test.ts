import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapMinistryAccount, BootstrapError, firstAccountFromEnv } from '../../db/bootstrap';
import { verifyPassword } from '../../lib/passwords';
import { createTestDb, type TestDb } from '../support/db';

// The first ministry account of a fresh installation (db/bootstrap.ts, compose's `bootstrap` job), on real
// PostgreSQL: created once from the secret file, never again, never over someone else's login.

let db: TestDb;
let dir: string;
beforeAll(async () => {
  db = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'obieg-bootstrap-'));
});
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const passwordFile = (content: string) => {
  const file = join(dir, `p-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, content, { mode: 0o600 });
  return file;
};
const env = (over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  BOOTSTRAP_LOGIN: 'm.kowalska',
  BOOTSTRAP_EMAIL: 'm.kowalska@mrips.example',
  BOOTSTRAP_FIRST_NAME: 'Maria',
  BOOTSTRAP_LAST_NAME: 'Kowalska',
  BOOTSTRAP_PASSWORD_FILE: passwordFile('Pierwsze!Haslo1\n'),
  ...over,
});

test('bad settings are refused before anything is written, each named, the password never printed', () => {
  let message = '';
  try {
    firstAccountFromEnv(env({ BOOTSTRAP_LOGIN: '', BOOTSTRAP_EMAIL: 'nie-adres', BOOTSTRAP_PASSWORD_FILE: passwordFile('krotkie\n') }));
  } catch (err) {
    expect(err).toBeInstanceOf(BootstrapError);
    message = (err as Error).message;
  }
  expect(message).toContain('BOOTSTRAP_LOGIN is not set');
  expect(message).toContain('BOOTSTRAP_EMAIL: "nie-adres" is not an e-mail address');
  expect(message).toContain('BOOTSTRAP_PASSWORD_FILE: Hasło nie spełnia reguł polityki bezpieczeństwa');
  expect(message).not.toContain('krotkie');
  expect(() => firstAccountFromEnv(env({ BOOTSTRAP_PASSWORD_FILE: join(dir, 'brak') }))).toThrow(/BOOTSTRAP_PASSWORD_FILE: cannot read .*brak \(ENOENT\)/);
});

test('creates the first ministry account once, with the file password to be changed at first sign-in; a second run changes nothing', async () => {
  const conn = db.orm.em.fork().getConnection();
  // Another account holding the login, without the ministry role: refused, nothing written.
  await conn.execute("insert into accounts (id, login, email, first_name, last_name, must_change_password, status, created_at, updated_at) values (gen_random_uuid(), 'zajety', 'z@x.example', 'Z', 'Z', false, 'active', now(), now())");
  await expect(bootstrapMinistryAccount(db.orm, firstAccountFromEnv(env({ BOOTSTRAP_LOGIN: 'zajety' })))).rejects.toThrow('login zajety belongs to an account without the ministry role');

  // Two jobs at once (two `up`s): one account.
  const outcomes = await Promise.all([bootstrapMinistryAccount(db.orm, firstAccountFromEnv(env())), bootstrapMinistryAccount(db.orm, firstAccountFromEnv(env()))]);
  expect(outcomes.sort()).toEqual(['created', 'exists']);
  const [account] = await conn.execute("select a.id, a.password_hash, a.must_change_password, a.email from accounts a join role_assignments r on r.account_id = a.id where r.role = 'ministry'");
  expect(account).toMatchObject({ must_change_password: true, email: 'm.kowalska@mrips.example' });
  expect(await verifyPassword(account.password_hash, 'Pierwsze!Haslo1')).toBe(true);
  expect(await conn.execute("select actor, action, target, outcome from audit_log where action = 'account.bootstrap'")).toEqual([
    { actor: 'bootstrap', action: 'account.bootstrap', target: 'm.kowalska', outcome: 'ok' },
  ]);

  // Later runs (every `docker compose up`) with another password file: the account and its password stay.
  expect(await bootstrapMinistryAccount(db.orm, firstAccountFromEnv(env({ BOOTSTRAP_LOGIN: 'ktos.inny', BOOTSTRAP_PASSWORD_FILE: passwordFile('Inne!Haslo22') })))).toBe('exists');
  const after = await conn.execute("select login, password_hash from accounts a join role_assignments r on r.account_id = a.id where r.role = 'ministry'");
  expect(after).toEqual([{ login: 'm.kowalska', password_hash: account.password_hash }]);
});
