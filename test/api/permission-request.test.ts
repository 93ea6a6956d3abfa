import request from 'supertest';
import { getPermissionRequestStatus } from '../../workflows/messages';
import { tokenFor } from '../support/fixtures';
import { recipients } from '../support/smtp';
import { eventually, startSystem, type TestSystem } from '../support/system';

// seed 000 "Wnioskuj o rozszerzenie uprawnień", as people do it, through the HTTP API against the real
// Temporal dev server, PostgreSQL and a real SMTP peer.

let sys: TestSystem;
let admin26: string;
let admin12: string;
let ministry: string;
let staff: string;
let colleague: string;
let staffId: string;

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const conn = () => sys.db.orm.em.fork().getConnection();
const count = async (table: string) => (await conn().execute(`select count(*)::int as n from ${table}`))[0].n as number;

/** A staff member of one unit and area: tokenFor gives the role, the scope is set directly. */
async function staffOf(login: string, unitCode: string, area: string): Promise<[string, string]> {
  const token = await tokenFor(sys.db.orm, login, 'staff', unitCode.slice(0, 2));
  const [{ id }] = await conn().execute('select id from accounts where login = ?', [login]);
  await conn().execute("update role_assignments set unit_code = ?, area = ? where account_id = ? and role = 'staff'", [unitCode, area, id]);
  return [token, id];
}

const roles = async (accountId: string) =>
  conn().execute<{ voivodeship: string; unit_code: string; area: string }[]>("select voivodeship, unit_code, area from role_assignments where account_id = ? and role = 'staff' order by area", [accountId]);

async function taskOf(caseId: string, token: string) {
  return eventually(async () => {
    const r = await request(sys.app).get('/api/tasks').set(auth(token));
    return r.body.find((t: { caseId: string }) => t.caseId === caseId);
  }, 30_000, `decision task of ${caseId}`);
}

beforeAll(async () => {
  sys = await startSystem();
  admin26 = await tokenFor(sys.db.orm, 'adm-woj-26', 'voivodeship_admin', '26');
  admin12 = await tokenFor(sys.db.orm, 'adm-woj-12', 'voivodeship_admin', '12');
  ministry = await tokenFor(sys.db.orm, 'ministerstwo', 'ministry', null);
  [staff, staffId] = await staffOf('lzolkiewska', '2661011', 'PS');
  [colleague] = await staffOf('kolega-mopr', '2661011', 'SR');
});
afterAll(async () => {
  await sys?.close();
});

test('another area of the own unit: request, decision task for the voivodeship, acceptance, role at once, mail', async () => {
  const body = { unitCode: '2661011', area: 'SR', justification: 'Przejmuję sprawozdania świadczeń rodzinnych po odejściu koleżanki' };
  const created = await request(sys.app).post('/api/permission-requests').set(auth(staff)).send(body).expect(201);
  const caseId: string = created.body.id;
  expect(created.body).toEqual({ id: `permission-${staffId}-2661011-SR`, created: true, status: 'awaiting_decision', url: `/api/cases/${caseId}` });
  expect(created.headers.location).toBe(created.body.url);

  // The decision task goes to the voivodeship administrator of the unit's voivodeship (26), due at expiry.
  const task = await taskOf(caseId, admin26);
  expect(task).toMatchObject({ kind: 'permission-decision', role: 'voivodeship_admin', voivodeship: '26', unitCode: '2661011' });
  expect(task.title).toContain('lzolkiewska');
  expect(task.title).toContain('obszar SR');

  // Another voivodeship's administrator neither sees nor decides it.
  expect((await request(sys.app).get('/api/tasks').set(auth(admin12))).body).toEqual([]);
  await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin12)).send({ decision: 'accept' }).expect(403);
  await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin12)).expect(403);
  // The requester cannot decide their own request.
  await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(staff)).send({ decision: 'accept' }).expect(403);

  // The requester follows their own case; the ministry and the voivodeship see it; a colleague does not.
  const own = await eventually(async () => {
    const r = await request(sys.app).get(`/api/cases/${caseId}`).set(auth(staff));
    return r.status === 200 && r.body.tasks.length === 1 && r.body.deadlines.length > 0 ? r.body : null;
  }, 20_000, 'case visible to the requester');
  expect(own).toMatchObject({ type: 'permission', status: 'awaiting_decision', statusLabel: 'Oczekuje na decyzję', voivodeship: '26' });
  expect(own.unit).toEqual({ code: '2661011', name: 'Kielce (gmina miejska)' });
  expect(own.waitingFor).toMatch(/decyzję administratora wojewódzkiego/);
  expect(own.history[0].message).toContain('Uzasadnienie: Przejmuję sprawozdania');
  expect(Math.round((Date.parse(own.tasks[0].dueAt) - Date.parse(own.createdAt)) / 86_400_000)).toBe(14);
  await request(sys.app).get(`/api/cases/${caseId}`).set(auth(ministry)).expect(200);
  await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin26)).expect(200);
  await request(sys.app).get(`/api/cases/${caseId}`).set(auth(colleague)).expect(403);

  // The same request again finds the open case.
  const again = await request(sys.app).post('/api/permission-requests').set(auth(staff)).send(body).expect(200);
  expect(again.body).toEqual({ id: caseId, created: false, status: 'awaiting_decision', url: `/api/cases/${caseId}` });
  expect(await count('cases')).toBe(1);

  // Accepted: the role is in place when the answer comes, and the very next request carries it.
  const accepted = await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin26)).send({ decision: 'accept' }).expect(200);
  expect(accepted.body).toEqual({ taskId: task.id, caseId, outcome: 'accepted', caseStatus: 'granted' });
  expect(await roles(staffId)).toEqual([
    { voivodeship: '26', unit_code: '2661011', area: 'PS' },
    { voivodeship: '26', unit_code: '2661011', area: 'SR' },
  ]);
  const me = await request(sys.app).get('/api/me').set(auth(staff)).expect(200);
  expect(me.body.assignments).toContainEqual({ role: 'staff', voivodeship: '26', unitCode: '2661011', area: 'SR' });
  await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin26)).send({ decision: 'accept' }).expect(409);

  const mail = await sys.smtp.waitFor((m) => (m.subject ?? '').startsWith('Rozszerzenie uprawnień przyznane'));
  expect(mail.subject).toBe('Rozszerzenie uprawnień przyznane: obszar SR — Kielce (gmina miejska)');
  expect(recipients(mail)).toEqual(['lzolkiewska@obieg.local']);
  expect(mail.text).toContain('Uprawnienia zostały nadane');
  expect(mail.text).toContain(`Numer sprawy: ${caseId}`);

  const done = await eventually(async () => {
    const r = await request(sys.app).get(`/api/cases/${caseId}`).set(auth(staff));
    return r.body.status === 'granted' && r.body.mail.length === 1 && r.body.history.length >= 6 ? r.body : null;
  }, 20_000, 'case granted');
  expect(done.statusLabel).toBe('Uprawnienia nadane');
  expect(done.closedAt).not.toBeNull();
  expect(done.waitingFor).toBeNull();
  expect(done.deadlines).toEqual([]);
  expect(done.tasks.map((t: { outcome: string; completedBy: string }) => [t.outcome, t.completedBy])).toEqual([['accepted', 'adm-woj-26']]);
  expect(done.history.map((e: { type: string }) => e.type)).toEqual(['case_opened', 'receipt_issued', 'task_opened', 'request_accepted', 'permission_granted', 'case_closed', 'mail_sent']);
  expect(done.history.find((e: { type: string }) => e.type === 'request_accepted').actor).toBe('adm-woj-26');
  expect((await sys.client.workflow.getHandle(caseId).result()).status).toBe('granted');

  // Asking again for what is now held is refused.
  const held = await request(sys.app).post('/api/permission-requests').set(auth(staff)).send(body).expect(409);
  expect(held.body.error.code).toBe('PERMISSION_ALREADY_HELD');
});

test('another unit, rejected with a reason: the requester is told why and gets nothing', async () => {
  // Kraków (voivodeship 12): the administrator of 12 decides, not the requester's own voivodeship.
  const created = await request(sys.app).post('/api/permission-requests').set(auth(staff)).send({ unitCode: '1261011', area: 'FA' }).expect(201);
  const caseId: string = created.body.id;
  const task = await taskOf(caseId, admin12);
  expect(task).toMatchObject({ kind: 'permission-decision', voivodeship: '12', unitCode: '1261011' });
  expect((await request(sys.app).get('/api/tasks').set(auth(admin26))).body.filter((t: { caseId: string }) => t.caseId === caseId)).toEqual([]);
  await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin26)).send({ decision: 'reject', reason: 'Nie nasza jednostka' }).expect(403);
  // The requester follows it although they hold no role in voivodeship 12.
  await request(sys.app).get(`/api/cases/${caseId}`).set(auth(staff)).expect(200);

  const noReason = await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin12)).send({ decision: 'reject' }).expect(400);
  expect(noReason.body.error.details.map((d: { path: string }) => d.path)).toContain('body.reason');

  const reason = 'Wnioskodawca nie jest pracownikiem jednostki w Krakowie';
  const rejected = await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin12)).send({ decision: 'reject', reason }).expect(200);
  expect(rejected.body).toMatchObject({ outcome: 'rejected', caseStatus: 'rejected' });

  const mail = await sys.smtp.waitFor((m) => (m.subject ?? '').startsWith('Wniosek o rozszerzenie uprawnień odrzucony'));
  expect(mail.subject).toBe('Wniosek o rozszerzenie uprawnień odrzucony — Kraków (gmina miejska)');
  expect(recipients(mail)).toEqual(['lzolkiewska@obieg.local']);
  expect(mail.text).toContain(`Powód: ${reason}`);

  expect((await sys.client.workflow.getHandle(caseId).result()).status).toBe('rejected');
  const done = (await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin12)).expect(200)).body;
  expect(done).toMatchObject({ status: 'rejected', statusLabel: 'Odrzucony', waitingFor: null, voivodeship: '12' });
  expect(done.history.map((e: { type: string }) => e.type)).toEqual(['case_opened', 'receipt_issued', 'task_opened', 'request_rejected', 'case_closed', 'mail_sent']);
  expect(done.history.find((e: { type: string }) => e.type === 'request_rejected').message).toContain(reason);
  expect((await roles(staffId)).map((r) => r.area)).toEqual(['PS', 'SR']);
  expect((await sys.client.workflow.getHandle(caseId).query(getPermissionRequestStatus)).status).toBe('rejected');
});

describe('bad input: refused with the reason, nothing written', () => {
  test.each([
    ['an unknown unit', { unitCode: '2699999', area: 'SR' }, 422, 'UNKNOWN_UNIT', 'body.unitCode'],
    ['a voivodeship code is not a unit', { unitCode: '26', area: 'SR' }, 400, 'VALIDATION_FAILED', 'body.unitCode'],
    ['an unknown area', { unitCode: '2661011', area: 'XYZ' }, 400, 'VALIDATION_FAILED', 'body.area'],
    ['no area', { unitCode: '2661011' }, 400, 'VALIDATION_FAILED', 'body.area'],
    ['a too long justification', { unitCode: '2661011', area: 'FA', justification: 'x'.repeat(1001) }, 400, 'VALIDATION_FAILED', 'body.justification'],
    ['an unexpected field', { unitCode: '2661011', area: 'FA', role: 'voivodeship_admin' }, 400, 'VALIDATION_FAILED', 'body'],
    ['an area already held', { unitCode: '2661011', area: 'PS' }, 409, 'PERMISSION_ALREADY_HELD', 'body.area'],
  ])('%s', async (_name, body, status, code, path) => {
    const before = { cases: await count('cases'), tasks: await count('tasks'), roles: await count('role_assignments') };
    const res = await request(sys.app).post('/api/permission-requests').set(auth(staff)).send(body).expect(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect({ cases: await count('cases'), tasks: await count('tasks'), roles: await count('role_assignments') }).toEqual(before);
  });

  test('without signing in', async () => {
    const before = await count('cases');
    const res = await request(sys.app).post('/api/permission-requests').send({ unitCode: '2661011', area: 'FA' }).expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    expect(await count('cases')).toBe(before);
  });

  test('every refusal is in the audit trail as permission_requested', async () => {
    const rows = await conn().execute<{ outcome: string; status: number }[]>("select outcome, status from audit_log where action = 'permission_requested' order by id");
    expect(rows.map((r) => r.status)).toEqual(expect.arrayContaining([201, 200, 409, 422, 400, 401]));
  });
});
