import { createHash } from 'node:crypto';
import request from 'supertest';
import { hashPassword } from '../../lib/passwords';
import { ensureAccount, issueToken } from '../../db/demo';
import { flashQuery } from '../../api/flash';
import { application } from '../support/fixtures';
import { recipients } from '../support/smtp';
import { startSystem, type TestSystem } from '../support/system';

// Abuse resistance (issue 14 item 4) with the real allowances (RATE_LIMIT_FACTOR=1): the password
// reminder cannot lock anyone out, repeated requests are throttled with 429 and Retry-After, every
// answer carries the security headers, a malformed session cookie is a 401, and flash messages show
// only what the server signed.

let sys: TestSystem;
const PASSWORD = 'Dobre#Haslo2026';

beforeAll(async () => {
  sys = await startSystem({ env: { RATE_LIMIT_FACTOR: '1' } });
});
afterAll(async () => {
  await sys?.close();
});

const q = (sql: string, params: unknown[] = []) => sys.db.orm.em.fork().getConnection().execute(sql, params);

async function person(login: string): Promise<string> {
  await ensureAccount(sys.db.orm, { login, firstName: 'Olga', lastName: 'Nadużycie', role: 'voivodeship_admin', voivodeship: '26' });
  await q('update accounts set password_hash = ?, must_change_password = false, password_changed_at = now(), email = ? where login = ?', [await hashPassword(PASSWORD), `${login}@ops.example`, login]);
  return issueToken(sys.db.orm, login, 'integracja');
}

const reminderLinks = () => sys.smtp.messages.filter((m) => m.subject === 'Przypomnienie hasła do systemu obieg');

test('25 reminders in a row: throttled with 429 and Retry-After, one mail per link, the password and API token keep working', async () => {
  const token = await person('olga');
  const answers = [];
  for (let i = 0; i < 25; i++) answers.push(await request(sys.app).post('/api/auth/password-reminder').set('X-Forwarded-For', '203.0.113.7').send({ login: 'olga' }));
  const accepted = answers.filter((r) => r.status === 202);
  const throttled = answers.filter((r) => r.status === 429);
  expect(accepted.length).toBe(3);
  expect(throttled.length).toBe(22);
  expect(Number(throttled[0].headers['retry-after'])).toBeGreaterThan(0);
  expect(throttled[0].body.error).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: expect.stringMatching(/^Zbyt wiele prób w krótkim czasie\. Spróbuj ponownie za \d+ min\.$/) });

  // One mail per accepted reminder, each with its own link, and nothing else.
  await sys.smtp.waitFor(() => reminderLinks().length === 3, 60_000);
  const links = reminderLinks().map((m) => /token=([A-Za-z0-9_-]{43})/.exec(m.text ?? '')![1]);
  expect(new Set(links).size).toBe(3);
  expect(reminderLinks().every((m) => recipients(m).join() === 'olga@ops.example')).toBe(true);
  await new Promise((r) => setTimeout(r, 2000));
  expect(reminderLinks()).toHaveLength(3);
  expect(sys.smtp.messages.filter((m) => m.subject === 'Nowe hasło tymczasowe do systemu obieg')).toHaveLength(0);

  // Nothing changed: the old password signs in, the integration's token works.
  const signIn = await request(sys.app).post('/api/auth/login').send({ login: 'olga', password: PASSWORD }).expect(200);
  expect(signIn.body.mustChangePassword).toBe(false);
  await request(sys.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);

  // The owner opens one link: one temporary password; the other links are used up with it.
  await request(sys.app).post('/api/auth/password-reminder/link').send({ token: links[1] }).expect(202);
  await sys.smtp.waitFor((m) => m.subject === 'Nowe hasło tymczasowe do systemu obieg', 60_000);
  for (const other of [links[0], links[2], links[1]]) await request(sys.app).post('/api/auth/password-reminder/link').send({ token: other }).expect(410);
});

test('an unknown login is throttled exactly like a known one (the limit says nothing about the login)', async () => {
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await request(sys.app).post('/api/auth/password-reminder').set('X-Forwarded-For', '203.0.113.8').send({ login: 'nie-ma-takiego' })).status);
  expect(statuses).toEqual([202, 202, 202, 429, 429]);
});

test('sign-in is limited per login, whatever the address', async () => {
  await person('piotr');
  const statuses: number[] = [];
  for (let i = 0; i < 22; i++) statuses.push((await request(sys.app).post('/api/auth/login').set('X-Forwarded-For', `198.51.100.${i}`).send({ login: 'piotr', password: 'Zle#Haslo1' })).status);
  expect(statuses.slice(0, 20).every((s) => s === 401 || s === 423)).toBe(true);
  expect(statuses.slice(20)).toEqual([429, 429]);
  // "Zmiana hasła" without signing in checks the password too: counted with sign-in, so no way around it.
  const viaChange = await request(sys.app).post('/api/auth/temporary-password').set('X-Forwarded-For', '198.51.100.99').send({ login: 'piotr', currentPassword: 'Zle#Haslo1', newPassword: 'Nowe#Haslo2026x' });
  expect(viaChange.status).toBe(429);
});

test('registrations are limited per applicant e-mail', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    const app = application({ email: 'powtarzajacy@ops.example' });
    app.unit.terytCode = '9999999'; // not in TERC: refused after the limit is counted, so no case is started
    statuses.push((await request(sys.app).post('/api/registrations').set('X-Forwarded-For', `192.0.2.${i}`).send(app)).status);
  }
  expect(statuses.slice(0, 10).every((s) => s === 422)).toBe(true);
  expect(statuses[10]).toBe(429);
});

describe('security headers', () => {
  test.each(['/logowanie', '/api/units?q=Kielce', '/openapi.json', '/nie-ma-takiej-strony', '/healthz'])('%s carries them', async (path) => {
    const res = await request(sys.app).get(path);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('the page style sheet is allowed by its hash, and pages hold no script', async () => {
    const res = await request(sys.app).get('/logowanie').expect(200);
    const style = /<style>([\s\S]*?)<\/style>/.exec(res.text)![1];
    const hash = createHash('sha256').update(style, 'utf8').digest('base64');
    expect(res.headers['content-security-policy']).toContain(`'sha256-${hash}'`);
    expect(res.text).not.toMatch(/<script/i);
  });
});

describe('a malformed session cookie', () => {
  test.each([['bad percent-encoding', 'obieg_session=%E0%A4%A'], ['a forged value', 'obieg_session=x"y;z'], ['two cookies', 'obieg_session=a; obieg_session=b'], ['an empty value', 'obieg_session=']])('(%s) is answered 401 on the API', async (_name, cookie) => {
    const res = await request(sys.app).get('/api/me').set('Cookie', cookie);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/zaloguj się/i);
  });

  test('sends a page to the sign-in, and does not stop a public route', async () => {
    const page = await request(sys.app).get('/zadania').set('Cookie', 'obieg_session=%E0%A4%A');
    expect(page.status).toBe(302);
    expect(page.headers.location).toMatch(/^\/logowanie/);
    await request(sys.app).get('/api/units?q=Kielce').set('Cookie', 'obieg_session=%E0%A4%A').expect(200);
  });
});

describe('flash messages', () => {
  test('text put in the address by someone else is not shown', async () => {
    const res = await request(sys.app).get('/logowanie?blad=Twoje%20konto%20zablokowano%2C%20zadzwo%C5%84%20pod%20123&ok=Wygrana').expect(200);
    expect(res.text).not.toContain('zadzwoń');
    expect(res.text).not.toContain('Wygrana');
  });

  test('a message the server signed is shown; changing its text drops it', async () => {
    const signed = flashQuery('ok', 'Wylogowano');
    expect((await request(sys.app).get(`/logowanie?${signed}`).expect(200)).text).toContain('Wylogowano');
    const forged = signed.replace('Wylogowano', 'Zadzwo%C5%84');
    expect((await request(sys.app).get(`/logowanie?${forged}`).expect(200)).text).not.toContain('Zadzwoń');
  });
});
