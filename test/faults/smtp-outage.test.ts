import request from 'supertest';
import { ensureAccount } from '../../db/demo';
import { hashPassword } from '../../lib/passwords';
import { application, tokenFor } from '../support/fixtures';
import { recipients } from '../support/smtp';
import { eventually, startSystem, type TestSystem } from '../support/system';

// Fault e (issue 14 item 6): the SMTP relay refuses every connection for a minute while registrations come
// in. Their mails fail (visible in Poczta as "nieudana", with the attempt count), then, once the relay is
// back, each goes out exactly once: counted at the SMTP peer, not in the outbox.

const OUTAGE_MS = 60_000;
const PASSWORD = 'Poczta!Awaria2026';
let sys: TestSystem;
let admin26: string;
let cookie: string;

beforeAll(async () => {
  sys = await startSystem();
  admin26 = await tokenFor(sys.db.orm, 'adm-woj-26-smtp', 'voivodeship_admin', '26');
  await ensureAccount(sys.db.orm, { login: 'adm-woj-26-poczta', firstName: 'Anna', lastName: 'Nowak', role: 'voivodeship_admin', voivodeship: '26' });
  await sys.db.orm.em
    .fork()
    .getConnection()
    .execute('update accounts set password_hash = ?, password_changed_at = now(), must_change_password = false where login = ?', [await hashPassword(PASSWORD), 'adm-woj-26-poczta']);
  const signIn = await request(sys.app).post('/api/auth/login').send({ login: 'adm-woj-26-poczta', password: PASSWORD }).expect(200);
  cookie = signIn.headers['set-cookie']![0].split(';')[0];
});
afterAll(async () => {
  sys?.smtp.refuse(false);
  await sys?.close();
});

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

test('a minute of SMTP refusal: failures shown in Poczta, then every mail delivered once, none twice', async () => {
  const emails = ['awaria.1', 'awaria.2', 'awaria.3', 'awaria.4'].map((n) => `${n}@mopr.kielce.example`);
  sys.smtp.refuse(true);
  const outageStart = Date.now();
  const cases: string[] = [];
  for (const email of emails) cases.push((await request(sys.app).post('/api/registrations').send(application({ email })).expect(201)).body.id);

  // During the outage: each case's mail has failed at least once, and Poczta says so. (Each case renders its
  // PDF first, slow on a loaded machine: the relay keeps refusing until then, a minute at least.)
  await eventually(async () => {
    const rows = await sys.db.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from outbox where case_id in (?) and status = 'failed'`, [cases]);
    return rows[0].n === cases.length;
  }, 180_000, 'every mail failed while the relay refuses');
  const poczta = await request(sys.app).get('/poczta?status=failed').set('Cookie', cookie).expect(200);
  for (const id of cases) expect(poczta.text).toContain(encodeURIComponent(id));
  expect(poczta.text).toContain('nieudana');
  expect(sys.smtp.messages.filter((m) => recipients(m).some((r) => emails.includes(r)))).toHaveLength(0);

  await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - outageStart))));
  const refused = sys.smtp.refused;
  expect(refused).toBeGreaterThanOrEqual(cases.length * 2);
  sys.smtp.refuse(false);

  // After: every case moved on (its mail step completed), every mail arrived once. A mail's next attempt
  // may come as late as the retry policy's longest interval (STEP: 5 minutes) after the relay is back.
  const back = Date.now();
  for (const id of cases) {
    await eventually(async () => {
      const r = await request(sys.app).get(`/api/cases/${id}`).set(auth(admin26));
      return r.body.status === 'awaiting_scan' ? r.body : null;
    }, Math.max(0, back + 330_000 - Date.now()), `${id} awaiting the scan after the outage`);
  }
  for (const email of emails) expect(sys.smtp.messages.filter((m) => recipients(m).includes(email))).toHaveLength(1);
  const outbox = await sys.db.orm.em.fork().execute<{ status: string; attempts: number }[]>(`select status, attempts from outbox where case_id in (?)`, [cases]);
  expect(outbox).toHaveLength(cases.length);
  for (const m of outbox) {
    expect(m.status).toBe('sent');
    expect(m.attempts).toBeGreaterThan(1);
  }
  const sentPage = await request(sys.app).get('/poczta?status=sent').set('Cookie', cookie).expect(200);
  for (const id of cases) expect(sentPage.text).toContain(encodeURIComponent(id));
}, 660_000);
