import request from 'supertest';
import { hashPassword, verifyPassword } from '../../lib/passwords';
import { ensureAccount } from '../../db/demo';
import { PASSWORD_POLICY_MESSAGE } from '../../workflows/rules/password-policy';
import { recipients } from '../support/smtp';
import { eventually, startSystem, type TestSystem } from '../support/system';

// Sign-in, passwords, sessions and tokens as people meet them, through the HTTP API with real
// PostgreSQL, Temporal and SMTP.

let sys: TestSystem;
const GOOD = 'Dobre#Haslo2026';

beforeAll(async () => {
  sys = await startSystem({ env: { LOGIN_LOCK_MINUTES: '15', SESSION_IDLE_MINUTES: '30' } });
});
afterAll(async () => {
  await sys?.close();
});

const q = (sql: string, params: unknown[] = []) => sys.db.orm.em.fork().getConnection().execute(sql, params);

async function person(login: string, opts: { password?: string; mustChange?: boolean; changedDaysAgo?: number } = {}) {
  await ensureAccount(sys.db.orm, { login, firstName: 'Jan', lastName: 'Kowalski', role: 'staff', voivodeship: '26' });
  await q("update role_assignments set unit_code = '2661011', area = 'PS' where account_id = (select id from accounts where login = ?)", [login]);
  const changed = new Date(Date.now() - (opts.changedDaysAgo ?? 1) * 86_400_000);
  await q('update accounts set password_hash = ?, must_change_password = ?, password_changed_at = ?, email = ? where login = ?', [
    await hashPassword(opts.password ?? GOOD),
    opts.mustChange ?? false,
    changed,
    `${login}@ops.example`,
    login,
  ]);
}

async function signIn(login: string, password = GOOD) {
  const res = await request(sys.app).post('/api/auth/login').send({ login, password });
  const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
  return { res, cookie, csrf: res.body.csrfToken as string };
}

const audits = async (login: string) => (await q('select action, outcome from audit_log where actor = ? order by id', [login])).map((r) => `${r.action}:${r.outcome}`);

test('a correct sign-in sets an HttpOnly session cookie that opens the API', async () => {
  await person('jan');
  const { res, cookie } = await signIn('jan');
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ login: 'jan', mustChangePassword: false });
  expect(res.headers['set-cookie'][0]).toMatch(/HttpOnly/);
  const me = await request(sys.app).get('/api/me').set('Cookie', cookie!).expect(200);
  expect(me.body.assignments).toEqual([{ role: 'staff', voivodeship: '26', unitCode: '2661011', area: 'PS' }]);
  expect(await audits('jan')).toEqual(['sign_in:ok']);
});

test('a wrong password or an unknown login answers the seed message "Błędny login lub hasło", the same for both', async () => {
  await person('ewa');
  const wrong = await request(sys.app).post('/api/auth/login').send({ login: 'ewa', password: 'Zle#Haslo1' }).expect(401);
  const unknown = await request(sys.app).post('/api/auth/login').send({ login: 'nie-ma-takiego', password: 'Zle#Haslo1' }).expect(401);
  expect(wrong.body.error).toEqual({ code: 'BAD_CREDENTIALS', message: 'Błędny login lub hasło' });
  expect(unknown.body.error).toEqual(wrong.body.error);
});

test('the 5th failed attempt locks the account; a correct password is refused until the lock ends', async () => {
  await person('adam');
  for (let i = 1; i <= 4; i++) await request(sys.app).post('/api/auth/login').send({ login: 'adam', password: `Zle#Haslo${i}` }).expect(401);
  const fifth = await request(sys.app).post('/api/auth/login').send({ login: 'adam', password: 'Zle#Haslo5' }).expect(423);
  expect(fifth.body.error.code).toBe('ACCOUNT_LOCKED');
  expect(fifth.body.error.message).toContain('czasowo zablokowane');
  await request(sys.app).post('/api/auth/login').send({ login: 'adam', password: GOOD }).expect(423);
  const [{ minutes }] = await q("select round(extract(epoch from locked_until - now()) / 60)::int as minutes from accounts where login = 'adam'");
  expect(minutes).toBe(15);
  // The lock ends after LOGIN_LOCK_MINUTES.
  await q("update accounts set locked_until = now() - interval '1 second' where login = 'adam'");
  await request(sys.app).post('/api/auth/login').send({ login: 'adam', password: GOOD }).expect(200);
  expect(await audits('adam')).toEqual([
    'sign_in:failed', 'sign_in:failed', 'sign_in:failed', 'sign_in:failed', 'account_locked:denied', 'sign_in_while_locked:denied', 'sign_in:ok',
  ]);
});

test('a temporary password must be changed before anything else, under the password policy and its messages', async () => {
  await person('ola', { password: 'Tymczasowe#1', mustChange: true });
  const { res, cookie, csrf } = await signIn('ola', 'Tymczasowe#1');
  expect(res.body.mustChangePassword).toBe(true);
  const blocked = await request(sys.app).get('/api/tasks').set('Cookie', cookie!).expect(403);
  expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  await request(sys.app).get('/api/me').set('Cookie', cookie!).expect(200);

  const change = (currentPassword: string, newPassword: string, withCsrf = true) =>
    request(sys.app).post('/api/auth/password').set('Cookie', cookie!).set(withCsrf ? { 'X-CSRF-Token': csrf } : {}).send({ currentPassword, newPassword });

  expect((await change('Tymczasowe#1', 'Nowe#Haslo9', false).expect(403)).body.error.code).toBe('CSRF_TOKEN_INVALID');
  const old = await change('Niepoprawne#1', 'Nowe#Haslo9').expect(400);
  expect(old.body.error.message).toBe('Stare hasło nie jest poprawne');
  for (const [weak, rule] of [
    ['Kr#1a', 'co najmniej 8 znaków'],
    ['BezCyfry#abc', 'co najmniej jedna cyfra'],
    ['BezZnaku123a', 'co najmniej jeden znak specjalny'],
    ['male#litery123', 'co najmniej jedna wielka litera'],
    ['WIELKIE#123456', 'co najmniej jedna mała litera'],
  ]) {
    const r = await change('Tymczasowe#1', weak).expect(400);
    expect(r.body.error.message).toBe(PASSWORD_POLICY_MESSAGE);
    expect(r.body.error.message).toBe('Hasło nie spełnia reguł polityki bezpieczeństwa');
    expect(r.body.error.details.map((d: { message: string }) => d.message)).toEqual([`Wymagane: ${rule}`]);
  }
  await change('Tymczasowe#1', 'Nowe#Haslo9').expect(204);
  await request(sys.app).get('/api/tasks').set('Cookie', cookie!).expect(200);
  const [a] = await q("select password_hash, must_change_password from accounts where login = 'ola'");
  expect(a.must_change_password).toBe(false);
  expect(await verifyPassword(a.password_hash, 'Nowe#Haslo9')).toBe(true);
  // The change starts the account's 30-day password cycle.
  const [{ id }] = await q("select id from accounts where login = 'ola'");
  await eventually(async () => (await sys.client.workflow.getHandle(`password-expiry-${id}`).describe()).status.name === 'RUNNING', 10_000, 'expiry workflow');
});

test('a password older than 30 days must be changed at sign-in', async () => {
  await person('stary', { changedDaysAgo: 31 });
  const { res, cookie } = await signIn('stary');
  expect(res.body.mustChangePassword).toBe(true);
  await request(sys.app).get('/api/tasks').set('Cookie', cookie!).expect(403);
});

test('a session idle for 30 minutes ends, and the end is in the audit trail', async () => {
  await person('piotr');
  const { cookie } = await signIn('piotr');
  await request(sys.app).get('/api/me').set('Cookie', cookie!).expect(200);
  await q("update sessions set last_seen_at = now() - interval '29 minutes' where account_id = (select id from accounts where login = 'piotr')");
  await request(sys.app).get('/api/me').set('Cookie', cookie!).expect(200);
  await q("update sessions set last_seen_at = now() - interval '30 minutes 1 second' where account_id = (select id from accounts where login = 'piotr')");
  const expired = await request(sys.app).get('/api/me').set('Cookie', cookie!).expect(401);
  expect(expired.body.error).toMatchObject({ code: 'SESSION_EXPIRED' });
  expect(expired.body.error.message).toContain('30 minutach bezczynności');
  await request(sys.app).get('/api/me').set('Cookie', cookie!).expect(401);
  expect(await audits('piotr')).toContain('session_expired:ok');
});

test('signing out ends the session', async () => {
  await person('marta');
  const { cookie, csrf } = await signIn('marta');
  await request(sys.app).post('/api/auth/logout').set('Cookie', cookie!).set('X-CSRF-Token', csrf).expect(204);
  await request(sys.app).get('/api/me').set('Cookie', cookie!).expect(401);
});

test('the password reminder mails a single-use link; opening it mails a new temporary password (and unlocks); the answer is the same for an unknown login', async () => {
  await person('zofia');
  await q("update accounts set locked_until = now() + interval '10 minutes' where login = 'zofia'");
  const known = await request(sys.app).post('/api/auth/password-reminder').send({ login: 'zofia' }).expect(202);
  const unknown = await request(sys.app).post('/api/auth/password-reminder').send({ login: 'ktos-nieznany' }).expect(202);
  expect(unknown.body).toEqual(known.body);
  const linkMail = await sys.smtp.waitFor((m) => m.subject === 'Przypomnienie hasła do systemu obieg');
  expect(recipients(linkMail)).toEqual(['zofia@ops.example']);
  // The reminder alone changed nothing: the password is the same until the link is opened.
  expect((await q("select must_change_password from accounts where login = 'zofia'"))[0].must_change_password).toBe(false);
  const token = /\/haslo\/przypomnienie\?token=([A-Za-z0-9_-]{43})/.exec(linkMail.text ?? '')![1];
  expect(JSON.stringify(await q('select * from password_reminders'))).not.toContain(token);
  await request(sys.app).post('/api/auth/password-reminder/link').send({ token }).expect(202);
  const mail = await sys.smtp.waitFor((m) => m.subject === 'Nowe hasło tymczasowe do systemu obieg');
  expect(recipients(mail)).toEqual(['zofia@ops.example']);
  const temp = /Hasło tymczasowe:\s*(\S+)/.exec(mail.text ?? '')![1];
  const { res } = await signIn('zofia', temp);
  expect(res.status).toBe(200);
  expect(res.body.mustChangePassword).toBe(true);
  expect(sys.smtp.messages.filter((m) => recipients(m).some((r) => r.startsWith('ktos')))).toHaveLength(0);
  const [outbox] = await q("select html, text from outbox where template = 'password-reminder'");
  expect(outbox).toEqual({ html: null, text: null });
  expect(await q("select html, text from outbox where template = 'password-reminder-link'")).toEqual([{ html: null, text: null }]);
  // Single use: the same link again issues nothing.
  const again = await request(sys.app).post('/api/auth/password-reminder/link').send({ token }).expect(410);
  expect(again.body.error.code).toBe('REMINDER_LINK_INVALID');
});

test('personal API tokens: created by their owner, shown once, stored hashed, revoked by the owner only', async () => {
  await person('tomasz');
  await person('inny');
  const { cookie, csrf } = await signIn('tomasz');
  const created = await request(sys.app).post('/api/tokens').set('Cookie', cookie!).set('X-CSRF-Token', csrf).send({ name: 'skrypt raportowy' }).expect(201);
  const token: string = created.body.token;
  expect(token).toMatch(/^obg_/);
  expect(JSON.stringify(await q('select * from api_tokens'))).not.toContain(token);
  await request(sys.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
  const list = await request(sys.app).get('/api/tokens').set('Authorization', `Bearer ${token}`).expect(200);
  expect(list.body).toHaveLength(1);
  expect(JSON.stringify(list.body)).not.toContain(token);

  const other = await signIn('inny');
  await request(sys.app).delete(`/api/tokens/${created.body.id}`).set('Cookie', other.cookie!).set('X-CSRF-Token', other.csrf).expect(404);
  await request(sys.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
  await request(sys.app).delete(`/api/tokens/${created.body.id}`).set('Authorization', `Bearer ${token}`).expect(204);
  const revoked = await request(sys.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
  expect(revoked.body.error.code).toBe('INVALID_TOKEN');
  expect(await audits('tomasz')).toEqual(expect.arrayContaining(['token_created:ok', 'token_revoked:ok']));
});

describe('under overload', () => {
  let small: TestSystem;
  beforeAll(async () => {
    small = await startSystem({ env: { MAX_ACTIVE_SESSIONS: '2' } });
  });
  afterAll(async () => {
    await small?.close();
  });

  test('sign-in says clearly that logins are limited on purpose once the session limit is reached', async () => {
    for (const login of ['u1', 'u2', 'u3']) {
      await ensureAccount(small.db.orm, { login, firstName: 'A', lastName: 'B', role: 'staff', voivodeship: '26' });
      await small.db.orm.em.fork().getConnection().execute('update accounts set password_hash = ?, password_changed_at = now() where login = ?', [await hashPassword(GOOD), login]);
    }
    await request(small.app).post('/api/auth/login').send({ login: 'u1', password: GOOD }).expect(200);
    await request(small.app).post('/api/auth/login').send({ login: 'u2', password: GOOD }).expect(200);
    const third = await request(small.app).post('/api/auth/login').send({ login: 'u3', password: GOOD }).expect(503);
    expect(third.body.error.code).toBe('LOGINS_LIMITED');
    expect(third.body.error.message).toContain('celowe ograniczenie, a nie awaria');
  });
});
