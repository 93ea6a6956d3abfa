import request from 'supertest';
import { getRegistrationStatus } from '../../workflows/messages';
import { application, SCAN_PDF, tokenFor } from '../support/fixtures';
import { historyToJson } from '../support/history-json';
import { eventually, startSystem, type TestSystem } from '../support/system';

// A registration started on the current code takes the decision kernel (issue 12): its history carries
// the marker of 'registration-decision-kernel' before its first command, the task is completed before the
// account is created, and the administrator's 200 comes once the account exists and the case is closed.

let sys: TestSystem;
let admin: string;

beforeAll(async () => {
  sys = await startSystem();
  admin = await tokenFor(sys.db.orm, 'adm-woj-26', 'voivodeship_admin', '26');
});
afterAll(async () => {
  await sys?.close();
});

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

interface JsonEvent {
  eventId: string;
  eventType: string;
  activityTaskScheduledEventAttributes?: { activityType: { name: string } };
  activityTaskCompletedEventAttributes?: { scheduledEventId: string };
  markerRecordedEventAttributes?: { markerName: string; details: Record<string, { payloads: { data: string }[] }> };
}

async function events(caseId: string): Promise<JsonEvent[]> {
  return historyToJson(await sys.client.workflow.getHandle(caseId).fetchHistory()).events as JsonEvent[];
}

test('a new registration records the patch marker first, completes the task before creating the account, and answers once the account exists', async () => {
  const created = await request(sys.app).post('/api/registrations').send(application({ email: 'jadwiga.kernel@mopr.kielce.example' })).expect(201);
  const caseId: string = created.body.id;
  await eventually(async () => (await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin))).body.status === 'awaiting_scan', 30_000, 'awaiting scan');

  const early = await events(caseId);
  const firstCommand = early.find((e) => e.markerRecordedEventAttributes || e.activityTaskScheduledEventAttributes)!;
  expect(firstCommand.markerRecordedEventAttributes?.markerName).toBe('core_patch');
  const patch = JSON.parse(Buffer.from(firstCommand.markerRecordedEventAttributes!.details['patch-data'].payloads[0].data, 'base64').toString('utf8'));
  expect(patch).toEqual({ id: 'registration-decision-kernel', deprecated: false });

  await request(sys.app).post(`/api/cases/${caseId}/scans`).set(auth(admin)).field('channel', 'epuap').attach('file', SCAN_PDF, 'skan.pdf').expect(201);
  const task = await eventually(async () => {
    const r = await request(sys.app).get('/api/tasks').set(auth(admin));
    return r.body.find((t: { caseId: string }) => t.caseId === caseId);
  }, 20_000, 'decision task');

  const accepted = await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin)).send({ decision: 'accept' }).expect(200);
  expect(accepted.body).toMatchObject({ outcome: 'accepted', caseStatus: 'accepted' });
  // No waiting: the effects are in place when the answer comes.
  const now = (await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin))).body;
  expect(now.status).toBe('accepted');
  expect(now.closedAt).toBeTruthy();
  expect(now.tasks.map((t: { outcome: string }) => t.outcome)).toEqual(['accepted']);
  const { accountId } = await sys.client.workflow.getHandle(caseId).query(getRegistrationStatus);
  const [account] = await sys.db.orm.em.fork().getConnection().execute<{ status: string }[]>('select status from accounts where id = ?', [accountId]);
  expect(account).toEqual({ status: 'active' });

  // In the history: completeTask completed before createApplicantAccount was scheduled.
  const all = await events(caseId);
  const scheduled = (name: string) => all.find((e) => e.activityTaskScheduledEventAttributes?.activityType.name === name)!;
  const complete = scheduled('completeTask');
  const completedAt = all.findIndex((e) => e.activityTaskCompletedEventAttributes?.scheduledEventId === complete.eventId);
  expect(completedAt).toBeGreaterThan(0);
  expect(all.indexOf(scheduled('createApplicantAccount'))).toBeGreaterThan(completedAt);
});
