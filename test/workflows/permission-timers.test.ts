import request from 'supertest';
import { getPermissionRequestStatus } from '../../workflows/messages';
import { tokenFor } from '../support/fixtures';
import { recipients } from '../support/smtp';
import { eventually, startSystem, type TestSystem } from '../support/system';

// Reminders to the voivodeship administrators and expiry of a permission request, in the time-skipping
// test server: two weeks pass in seconds.

const DAY = 24 * 60 * 60 * 1000;
let sys: TestSystem;
let staff: string;
let staffId: string;
let admin26: string;

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const conn = () => sys.db.orm.em.fork().getConnection();

beforeAll(async () => {
  sys = await startSystem({ timeSkipping: true });
  staff = await tokenFor(sys.db.orm, 'lzolkiewska', 'staff', '26');
  [{ id: staffId }] = await conn().execute('select id from accounts where login = ?', ['lzolkiewska']);
  await conn().execute("update role_assignments set unit_code = '2661011', area = 'PS' where account_id = ?", [staffId]);
  // Two active administrators of 26, one disabled, and one of another voivodeship.
  admin26 = await tokenFor(sys.db.orm, 'adm-woj-26', 'voivodeship_admin', '26');
  await tokenFor(sys.db.orm, 'adm-woj-26-zastepca', 'voivodeship_admin', '26');
  await tokenFor(sys.db.orm, 'adm-woj-26-byly', 'voivodeship_admin', '26');
  await conn().execute("update accounts set status = 'disabled' where login = 'adm-woj-26-byly'");
  await tokenFor(sys.db.orm, 'adm-woj-12', 'voivodeship_admin', '12');
});
afterAll(async () => {
  await sys?.close();
});

const reminders = (caseId: string) =>
  sys.smtp.messages.filter((m) => (m.subject ?? '').startsWith('Przypomnienie: wniosek o rozszerzenie uprawnień') && (m.text ?? '').includes(caseId));
const remindersTo = (caseId: string) => reminders(caseId).flatMap(recipients).sort();

async function file(area: string): Promise<string> {
  const res = await request(sys.app).post('/api/permission-requests').set(auth(staff)).send({ unitCode: '2661011', area }).expect(201);
  const handle = sys.client.workflow.getHandle(res.body.id);
  await eventually(async () => (await handle.query(getPermissionRequestStatus)).openTaskId !== null, 30_000, 'decision task open');
  return res.body.id;
}

async function eventTypes(id: string): Promise<string[]> {
  const rows = await conn().execute<{ type: string }[]>('select type from case_events where case_id = ? order by at, id', [id]);
  return rows.map((r: { type: string }) => r.type);
}

test('undecided: the administrators of 26 are reminded after 3 and 7 days; after 14 the request expires and the requester is told', async () => {
  const id = await file('SR');
  const handle = sys.client.workflow.getHandle(id);
  const started = (await handle.describe()).startTime.getTime();
  const { deadline } = await handle.query(getPermissionRequestStatus);
  expect(Math.round((Date.parse(deadline!) - started) / DAY)).toBe(14);

  await sys.env.sleep(2 * DAY);
  expect((await handle.query(getPermissionRequestStatus)).remindersSent).toBe(0);
  expect(reminders(id)).toEqual([]);

  await sys.env.sleep(1 * DAY + 60_000);
  await eventually(async () => (await handle.query(getPermissionRequestStatus)).remindersSent === 1, 20_000, 'first reminder');
  await eventually(async () => reminders(id).length === 2, 20_000, 'first reminder mails');
  expect(remindersTo(id)).toEqual(['adm-woj-26-zastepca@obieg.local', 'adm-woj-26@obieg.local'].sort());
  const first = reminders(id)[0];
  expect(first.text).toContain('przypomnienie nr 1');
  expect(first.text).toContain('(login lzolkiewska)');
  expect(first.text).toContain('Obszar sprawozdawczy: SR');
  expect(first.text).toContain('wniosek wygaśnie');

  await sys.env.sleep(4 * DAY);
  await eventually(async () => (await handle.query(getPermissionRequestStatus)).remindersSent === 2, 20_000, 'second reminder');
  await eventually(async () => reminders(id).length === 4, 20_000, 'second reminder mails');
  expect(reminders(id).filter((m) => (m.text ?? '').includes('przypomnienie nr 2')).flatMap(recipients).sort()).toEqual(
    ['adm-woj-26-zastepca@obieg.local', 'adm-woj-26@obieg.local'].sort(),
  );

  await sys.env.sleep(6 * DAY);
  expect((await handle.query(getPermissionRequestStatus)).status).toBe('awaiting_decision');
  await sys.env.sleep(1 * DAY + 60_000);
  const final = await handle.result();
  expect(final).toMatchObject({ status: 'expired', remindersSent: 2, openTaskId: null });

  const expired = await sys.smtp.waitFor((m) => (m.subject ?? '').startsWith('Wniosek o rozszerzenie uprawnień wygasł'));
  expect(recipients(expired)).toEqual(['lzolkiewska@obieg.local']);
  expect(expired.text).toContain('w ciągu 14 dni');
  expect(reminders(id)).toHaveLength(4);
  expect(sys.smtp.messages.flatMap(recipients)).not.toContain('adm-woj-12@obieg.local');
  expect(sys.smtp.messages.flatMap(recipients)).not.toContain('adm-woj-26-byly@obieg.local');

  const [row] = await conn().execute('select status, closed_at, deadline, waiting_for from cases where id = ?', [id]);
  expect(row).toMatchObject({ status: 'expired', deadline: null, waiting_for: null });
  expect(row.closed_at).not.toBeNull();
  const [task] = await conn().execute('select id, status from tasks where case_id = ?', [id]);
  expect(task.status).toBe('cancelled');
  expect(await eventTypes(id)).toEqual(['case_opened', 'receipt_issued', 'task_opened', 'reminder_sent', 'reminder_sent', 'mail_sent', 'request_expired']);
  const roles = await conn().execute("select area from role_assignments where account_id = ? and role = 'staff'", [staffId]);
  expect(roles).toEqual([{ area: 'PS' }]);

  // A late decision finds nothing to decide.
  const late = await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin26)).send({ decision: 'accept' }).expect(409);
  expect(late.body.error.code).toBe('TASK_NOT_OPEN');
});

test('a decision on day 5 stops the reminders and the expiry', async () => {
  const id = await file('FA');
  const handle = sys.client.workflow.getHandle(id);

  await sys.env.sleep(5 * DAY);
  await eventually(async () => (await handle.query(getPermissionRequestStatus)).remindersSent === 1, 20_000, 'first reminder');
  const { openTaskId } = await handle.query(getPermissionRequestStatus);
  await request(sys.app).post(`/api/tasks/${encodeURIComponent(openTaskId!)}/complete`).set(auth(admin26)).send({ decision: 'accept' }).expect(200);

  await sys.env.sleep(20 * DAY);
  const final = await handle.result();
  expect(final).toMatchObject({ status: 'granted', remindersSent: 1 });
  await eventually(async () => reminders(id).length === 2, 20_000, 'first reminder mails');
  expect(reminders(id).every((m) => (m.text ?? '').includes('przypomnienie nr 1'))).toBe(true);
  await sys.smtp.waitFor((m) => m.subject === 'Rozszerzenie uprawnień przyznane: obszar FA — Kielce (gmina miejska)');
  expect(sys.smtp.messages.filter((m) => (m.subject ?? '').startsWith('Wniosek o rozszerzenie uprawnień wygasł'))).toHaveLength(1);
  expect(await eventTypes(id)).toEqual(['case_opened', 'receipt_issued', 'task_opened', 'reminder_sent', 'request_accepted', 'permission_granted', 'case_closed', 'mail_sent']);
  const roles = await conn().execute("select area from role_assignments where account_id = ? and role = 'staff' order by area", [staffId]);
  expect(roles).toEqual([{ area: 'FA' }, { area: 'PS' }]);
});
