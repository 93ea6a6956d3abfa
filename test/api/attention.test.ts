import request from 'supertest';
import { WorkflowFailedError } from '@temporalio/client';
import { createApp } from '../../api/app';
import { startCaseWorkflow } from '../../api/cases/start';
import { registrationCaseId } from '../../api/registration/routes';
import { ensureAccount } from '../../db/demo';
import { createLogger } from '../../lib/logger';
import { hashPassword } from '../../lib/passwords';
import { registrationWaitingFor } from '../../workflows/rules/registration';
import type { RegistrationInput } from '../../workflows/messages';
import { application, tokenFor } from '../support/fixtures';
import { recipients } from '../support/smtp';
import { eventually, startSystem, type TestSystem } from '../support/system';

// Issue 14 item 2: no invisible stuck case. An error no retry can fix fails its activity at once; a case
// whose activity failed so, or keeps failing past ATTENTION_AFTER_ATTEMPTS, is "wymaga interwencji" on its
// page (with a reason that names no one), in the list's filter and the overview's count, and the operator
// gets a mail. A case URL answered with 201 shows the case at once.

const OPERATOR = 'dyzurny@obieg.example';
const PASSWORD = 'Interwencja!2026';
let sys: TestSystem;
let admin26: string;
let cookie: string;

beforeAll(async () => {
  sys = await startSystem({ env: { ATTENTION_AFTER_ATTEMPTS: '2', OPERATOR_EMAIL: OPERATOR } });
  admin26 = await tokenFor(sys.db.orm, 'adm-woj-26-att', 'voivodeship_admin', '26');
  await ensureAccount(sys.db.orm, { login: 'adm-woj-26-web', firstName: 'Anna', lastName: 'Nowak', role: 'voivodeship_admin', voivodeship: '26' });
  await sys.db.orm.em
    .fork()
    .getConnection()
    .execute('update accounts set password_hash = ?, password_changed_at = now(), must_change_password = false where login = ?', [await hashPassword(PASSWORD), 'adm-woj-26-web']);
  const signIn = await request(sys.app).post('/api/auth/login').send({ login: 'adm-woj-26-web', password: PASSWORD }).expect(200);
  cookie = signIn.headers['set-cookie']![0].split(';')[0];
});
afterAll(async () => {
  await sys?.close();
});

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const page = async (path: string) => (await request(sys.app).get(path).set('Cookie', cookie).expect(200)).text;

test('a case URL answered with 201 shows the case at once, before any worker has touched it', async () => {
  // An API whose workflows no worker polls: only the API's own write can make the case visible.
  const { app } = createApp({ orm: sys.db.orm, temporal: sys.client, config: { ...sys.config, TEMPORAL_TASK_QUEUE: 'no-worker-polls-this' }, log: createLogger('api-test', 'error') });
  const created = await request(app).post('/api/registrations').send(application({ email: 'natychmiast@mopr.kielce.example' })).expect(201);
  const shown = await request(app).get(created.body.url).set(auth(admin26)).expect(200);
  expect(shown.body).toMatchObject({ id: created.body.id, status: 'submitted', title: 'Rejestracja jednostki i użytkownika: Miejski Ośrodek Pomocy Rodzinie w Kielcach', attention: null });
  await sys.client.workflow.getHandle(created.body.id).terminate('test done');
});

test('data PostgreSQL cannot store: one attempt, the case "wymaga interwencji" everywhere, the operator mailed, no personal data', async () => {
  // The NUL reaches the worker as it did before the door refused it (item 1): the case row written as the
  // API writes it, the workflow started with the client.
  const app = application({ firstName: 'Bożydar', lastName: 'Wścibski\u0000Nul', email: 'bozydar.att@mopr.kielce.example', phone: '41 999 11 22' });
  const caseId = registrationCaseId(app.unit.terytCode, app.applicant.email);
  const input: RegistrationInput = {
    caseId,
    voivodeship: '26',
    application: app,
    policy: { reminderAfterDays: [7, 14], expireAfterDays: 30 },
    passwordPolicy: { maxAgeDays: 30, reminderDaysBefore: [7, 3, 1] },
  };
  await startCaseWorkflow(
    sys.client,
    sys.config,
    { workflowType: 'registrationWorkflow', caseId, args: [input], caseType: 'registration', unitCode: '2661011', voivodeship: '26', status: 'submitted' },
    { em: sys.db.orm.em.fork(), title: `Rejestracja jednostki i użytkownika: ${app.unit.name}`, waitingFor: registrationWaitingFor('submitted'), data: {} },
  );
  const handle = sys.client.workflow.getHandle(caseId);
  await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
  const failed = (await handle.fetchHistory()).events!.filter((e) => e.activityTaskStartedEventAttributes);
  expect(failed.map((e) => e.activityTaskStartedEventAttributes!.attempt)).toEqual([1]);

  const personal = /Bożydar|Wścibski|bozydar|41 999 11 22/;
  const json = await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin26)).expect(200);
  expect(json.body.attention.reason).toContain('dane sprawy nie dają się zapisać');
  expect(json.body.attention.reason).toContain('openCase');
  expect(json.body.attention.reason).not.toMatch(personal);

  const casePage = await page(`/sprawy/${encodeURIComponent(caseId)}`);
  expect(casePage).toContain('Wymaga interwencji');
  expect(casePage).toContain('dane sprawy nie dają się zapisać');
  expect(casePage).not.toMatch(personal);

  const filtered = await page('/sprawy?attention=1');
  expect(filtered).toContain(`/sprawy/${encodeURIComponent(caseId)}`);
  expect(filtered).toContain('wymaga interwencji');
  const unfiltered = await request(sys.app).get('/sprawy?attention=1&unit=1261').set('Cookie', cookie).expect(200);
  expect(unfiltered.text).not.toContain(encodeURIComponent(caseId));

  // Handlebars writes "=" in an attribute as &#x3D;, which the browser reads back as "=".
  expect(await page('/przeglad')).toMatch(/Wymaga interwencji: <a href="\/sprawy\?attention(=|&#x3D;)1"><strong class="late">1<\/strong><\/a>/);

  const mail = await sys.smtp.waitFor((m) => recipients(m).includes(OPERATOR));
  expect(mail.subject).toBe(`Sprawa wymaga interwencji (błąd przetwarzania): ${caseId}`);
  expect(mail.text).toContain('dane sprawy nie dają się zapisać');
  expect(`${mail.subject}\n${mail.text}`).not.toMatch(personal);
  expect(sys.smtp.messages.filter((m) => recipients(m).includes(OPERATOR))).toHaveLength(1);
});

test('a step that keeps failing is marked after ATTENTION_AFTER_ATTEMPTS tries, and unmarked when it goes through', async () => {
  // The SMTP relay refuses the applicant's first mails: the step retries (a transient error), the case is
  // marked at the second failed attempt, the mail then goes out once and the mark is gone.
  sys.smtp.failNext(3);
  const created = await request(sys.app).post('/api/registrations').send(application({ email: 'ponawianie@mopr.kielce.example' })).expect(201);
  const caseId: string = created.body.id;
  const marked = await eventually(async () => {
    const r = await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin26));
    return r.body.attention ? r.body.attention : null;
  }, 60_000, 'case marked for attention');
  expect(marked.reason).toMatch(/^Czynność ponawiana bez skutku \(krok „sendCaseMail”, [23] prób\)$/);
  await eventually(async () => {
    const r = await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin26));
    return r.body.status === 'awaiting_scan' && r.body.attention === null && r.body.mail.some((m: { status: string }) => m.status === 'sent');
  }, 60_000, 'mail sent and mark cleared');
  expect(sys.smtp.messages.filter((m) => recipients(m).includes('ponawianie@mopr.kielce.example'))).toHaveLength(1);
  await sys.client.workflow.getHandle(caseId).terminate('test done');
});
