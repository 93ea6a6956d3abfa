import request from 'supertest';
import { startCaseWorkflow } from '../../api/cases/start';
import { registrationCaseId } from '../../api/registration/routes';
import { registrationWaitingFor } from '../../workflows/rules/registration';
import type { RegistrationInput } from '../../workflows/messages';
import { application, SCAN_PDF, tokenFor } from '../support/fixtures';
import { recipients } from '../support/smtp';
import { eventually, startSystem, type TestSystem } from '../support/system';
import { startOwnTemporal, type OwnTemporal } from './support/temporal';

// Fault c (issue 14 item 6): the Temporal server (a dev server of this test's own, on its SQLite file) is
// stopped and started again on the same file while cases wait: three on timers (a registration whose
// reminder and expiry are seconds away, set through its policy) and two on people (one awaiting the signed
// scan, one with the decision task open). After the restart the timers fire (each case reminded once, then
// expired, with its mails), the scan is received and both tasks are completed: the cases carry on.

const SECOND_IN_DAYS = 1 / 86_400;
const REMIND_AFTER_S = 25;
const EXPIRE_AFTER_S = 50;
let server: OwnTemporal;
let sys: TestSystem;
let admin26: string;

beforeAll(async () => {
  server = await startOwnTemporal();
  sys = await startSystem({ temporalAddress: server.address });
  admin26 = await tokenFor(sys.db.orm, 'adm-woj-26-restart', 'voivodeship_admin', '26');
}, 180_000);
afterAll(async () => {
  await sys?.close();
  await server?.destroy();
});

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const subjectsTo = (email: string) => sys.smtp.messages.filter((m) => recipients(m).includes(email)).map((m) => m.subject ?? '');

/** A registration whose wait for the scan reminds and expires within seconds (the API's policy counts whole days). */
async function startShortRegistration(email: string): Promise<string> {
  const app = application({ email });
  const caseId = registrationCaseId(app.unit.terytCode, email);
  const input: RegistrationInput = {
    caseId,
    voivodeship: '26',
    application: app,
    policy: { reminderAfterDays: [REMIND_AFTER_S * SECOND_IN_DAYS], expireAfterDays: EXPIRE_AFTER_S * SECOND_IN_DAYS },
    passwordPolicy: { maxAgeDays: 30, reminderDaysBefore: [7, 3, 1] },
  };
  await startCaseWorkflow(
    sys.client,
    sys.config,
    { workflowType: 'registrationWorkflow', caseId, args: [input], caseType: 'registration', unitCode: app.unit.terytCode, voivodeship: '26', status: 'submitted' },
    { em: sys.db.orm.em.fork(), title: `Rejestracja jednostki i użytkownika: ${app.unit.name}`, waitingFor: registrationWaitingFor('submitted'), data: { application: app } },
  );
  return caseId;
}

async function caseStatus(id: string): Promise<{ status: string; deadline: string | null }> {
  const r = await request(sys.app).get(`/api/cases/${id}`).set(auth(admin26));
  return { status: r.body.status, deadline: r.body.deadlines?.[0]?.at ?? null };
}

async function openTask(caseId: string): Promise<string> {
  return eventually(async () => {
    const r = await request(sys.app).get('/api/tasks').set(auth(admin26));
    return (r.body as { caseId: string; id: string }[]).find((t) => t.caseId === caseId)?.id;
  }, 60_000, `the decision task of ${caseId}`);
}

test('the Temporal server restarted on its store: waiting cases carry on, their timers fire, their tasks complete', async () => {
  const timerEmails = ['zegar.1', 'zegar.2', 'zegar.3'].map((n) => `${n}@mopr.kielce.example`);
  const taskEmails = ['zadanie.1', 'zadanie.2'].map((n) => `${n}@mopr.kielce.example`);
  const tasks: string[] = [];
  for (const email of taskEmails) tasks.push((await request(sys.app).post('/api/registrations').send(application({ email })).expect(201)).body.id);
  for (const id of tasks) await eventually(async () => (await caseStatus(id)).status === 'awaiting_scan', 120_000, `${id} awaiting its scan`);
  // One case has its scan in and the decision task open.
  await request(sys.app).post(`/api/cases/${tasks[0]}/scans`).set(auth(admin26)).field('channel', 'epuap').attach('file', SCAN_PDF, 'skan.pdf').expect(201);
  const firstTask = await openTask(tasks[0]);
  await eventually(async () => (await caseStatus(tasks[0])).status === 'awaiting_decision', 60_000, 'awaiting the decision');
  // Then the cases on timers: the restart follows as soon as each waits.
  const timers = await Promise.all(timerEmails.map(startShortRegistration));
  for (const id of timers) await eventually(async () => (await caseStatus(id)).status === 'awaiting_scan', 120_000, `${id} awaiting its scan`);
  const runsBefore = await Promise.all([...timers, ...tasks].map(async (id) => (await sys.client.workflow.getHandle(id).describe()).runId));

  // The restart, while every timer case still waits for its expiry.
  const before = server.pid();
  const stoppedAt = Date.now();
  for (const id of timers) expect(Date.parse((await caseStatus(id)).deadline!)).toBeGreaterThan(stoppedAt);
  await server.stop();
  await new Promise((r) => setTimeout(r, 3000));
  await server.start();
  expect(server.pid()).not.toBe(before);
  console.log(`Temporal dev server down ${Math.round((Date.now() - stoppedAt) / 1000)} s`);

  // The same runs, from the same store.
  const runsAfter = await Promise.all([...timers, ...tasks].map(async (id) => (await sys.client.workflow.getHandle(id).describe()).runId));
  expect(runsAfter).toEqual(runsBefore);

  // People's steps: the waiting case gets its scan and its task; both decisions go through.
  await request(sys.app).post(`/api/cases/${tasks[1]}/scans`).set(auth(admin26)).field('channel', 'email').attach('file', SCAN_PDF, 'skan.pdf').expect(201);
  const secondTask = await openTask(tasks[1]);
  for (const taskId of [firstTask, secondTask]) {
    const r = await request(sys.app).post(`/api/tasks/${taskId}/complete`).set(auth(admin26)).send({ decision: 'accept' }).expect(200);
    expect(r.body.outcome).toBe('accepted');
  }
  for (const id of tasks) await eventually(async () => (await caseStatus(id)).status === 'accepted', 60_000, `${id} accepted`);

  // The timers: each case reminded once and then expired, with its mails.
  for (const id of timers) await eventually(async () => (await caseStatus(id)).status === 'expired', 120_000, `${id} expired`);
  for (const email of timerEmails) {
    const subjects = subjectsTo(email);
    expect(subjects.filter((s) => s.startsWith('Formularz rejestracyjny do podpisu'))).toHaveLength(1);
    expect(subjects.filter((s) => s.startsWith('Przypomnienie'))).toHaveLength(1);
    expect(subjects.filter((s) => s.startsWith('Wniosek rejestracyjny wygasł'))).toHaveLength(1);
    expect(subjects).toHaveLength(3);
  }
  for (const email of taskEmails) {
    const subjects = subjectsTo(email);
    expect(subjects.filter((s) => s === 'Konto w Centralnej Aplikacji Statystycznej zostało utworzone')).toHaveLength(1);
    expect(subjects).toHaveLength(2);
  }
  // The expired runs complete (the status is written a step before the run ends).
  for (const id of timers) expect((await sys.client.workflow.getHandle(id).result()).status).toBe('expired');
}, 480_000);
