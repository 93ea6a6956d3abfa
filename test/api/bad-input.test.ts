import request from 'supertest';
import { WorkflowNotFoundError } from '@temporalio/common';
import { registrationCaseId } from '../../api/registration/routes';
import { getRegistrationStatus } from '../../workflows/messages';
import { application, SCAN_PDF, tokenFor } from '../support/fixtures';
import { eventually, startSystem, type TestSystem } from '../support/system';

// Every kind of bad input gets a 4xx JSON error that names the problem; nothing is written and the
// workflow is untouched.

let sys: TestSystem;
let admin26: string;
let admin12: string;
let ministry: string;

beforeAll(async () => {
  sys = await startSystem();
  admin26 = await tokenFor(sys.db.orm, 'adm-woj-26', 'voivodeship_admin', '26');
  admin12 = await tokenFor(sys.db.orm, 'adm-woj-12', 'voivodeship_admin', '12');
  ministry = await tokenFor(sys.db.orm, 'ministerstwo', 'ministry', null);
});
afterAll(async () => {
  await sys?.close();
});

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const count = async (table: string) => {
  const [row] = await sys.db.orm.em.fork().getConnection().execute(`select count(*)::int as n from ${table}`);
  return row.n as number;
};
const snapshot = async () => ({ cases: await count('cases'), blobs: await count('blobs'), documents: await count('documents'), tasks: await count('tasks') });

async function openCase(email: string): Promise<string> {
  const res = await request(sys.app).post('/api/registrations').send(application({ email })).expect(201);
  await eventually(async () => (await sys.client.workflow.getHandle(res.body.id).query(getRegistrationStatus)).status === 'awaiting_scan', 30_000, 'awaiting scan');
  await eventually(async () => (await snapshot()).documents > 0, 10_000, 'documents');
  return res.body.id;
}

describe('registration payloads', () => {
  test.each([
    ['a missing applicant', (a: any) => delete a.applicant, 'body.applicant'],
    ['an invalid e-mail', (a: any) => (a.applicant.email = 'nie-email'), 'body.applicant.email'],
    ['a malformed postal code', (a: any) => (a.unit.postalCode = '25544'), 'body.unit.postalCode'],
    ['an unknown reporting area', (a: any) => (a.areas = ['PS', 'XYZ']), 'body.areas.1'],
    ['no reporting area', (a: any) => (a.areas = []), 'body.areas'],
    ['a repeated reporting area', (a: any) => (a.areas = ['PS', 'PS']), 'body.areas'],
    ['a TERYT code of the wrong shape', (a: any) => (a.unit.terytCode = '26610'), 'body.unit.terytCode'],
    ['an unexpected field', (a: any) => (a.unit.password = 'x'), 'body.unit'],
  ])('%s is refused with the field path, and no case is started', async (_name, spoil, path) => {
    const app = application({ email: 'zly.wniosek@mopr.kielce.example' });
    spoil(app);
    const res = await request(sys.app).post('/api/registrations').send(app).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toBe('Dane żądania są niepoprawne');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await count('cases')).toBe(0);
    await expect(sys.client.workflow.getHandle(registrationCaseId('2661011', 'zly.wniosek@mopr.kielce.example')).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  test('a validation message is in Polish', async () => {
    const app = application({ email: 'x' });
    const res = await request(sys.app).post('/api/registrations').send(app).expect(400);
    expect(res.body.error.details.find((d: { path: string }) => d.path === 'body.applicant.email').message).toBe('Niepoprawny adres e-mail');
  });

  test('malformed JSON is refused', async () => {
    const res = await request(sys.app).post('/api/registrations').set('content-type', 'application/json').send('{"registerUnit": tru').expect(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  test.each([
    ['a code not in TERC', '9999999'],
    ['a city district (RODZ 8), not a gmina', '1465028'],
  ])('an unknown unit (%s) is refused with 422', async (_name, code) => {
    const app = application({ email: 'nieznana.jednostka@mopr.kielce.example' });
    app.unit.terytCode = code;
    const res = await request(sys.app).post('/api/registrations').send(app).expect(422);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_UNIT', details: [{ path: 'body.unit.terytCode' }] });
    expect(await count('cases')).toBe(0);
  });
});

describe('scans and decisions', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = await openCase('skany@mopr.kielce.example');
  });

  const upload = (token: string, content: Buffer, name = 'skan.pdf', channel = 'epuap') =>
    request(sys.app).post(`/api/cases/${caseId}/scans`).set(auth(token)).field('channel', channel).attach('file', content, { filename: name, contentType: 'application/pdf' });

  test('no token, a forged token and a revoked token are refused with 401', async () => {
    await request(sys.app).get(`/api/cases/${caseId}`).expect(401);
    const forged = await request(sys.app).get(`/api/cases/${caseId}`).set(auth(`obg_${'A'.repeat(43)}`)).expect(401);
    expect(forged.body.error.code).toBe('INVALID_TOKEN');
    const token = await tokenFor(sys.db.orm, 'adm-woj-26-b', 'voivodeship_admin', '26');
    await sys.db.orm.em.fork().getConnection().execute("update api_tokens set revoked_at = now() where account_id = (select id from accounts where login = 'adm-woj-26-b')");
    await request(sys.app).get(`/api/cases/${caseId}`).set(auth(token)).expect(401);
  });

  test('a scan that is not a PDF, JPEG or PNG by its content is refused with 415, nothing stored', async () => {
    const before = await snapshot();
    const res = await upload(admin26, Buffer.from('To nie jest skan, tylko tekst udający PDF.'), 'skan.pdf').expect(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_FILE_TYPE');
    expect(await snapshot()).toEqual(before);
    expect((await sys.client.workflow.getHandle(caseId).query(getRegistrationStatus)).scans).toBe(0);
  });

  test('a scan over 10 MB is refused with 413, nothing stored', async () => {
    const before = await snapshot();
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)]);
    const res = await upload(admin26, big).expect(413);
    expect(res.body.error).toMatchObject({ code: 'FILE_TOO_LARGE', details: [{ path: 'file' }] });
    expect(res.body.error.message).toContain('10 MB');
    expect(await snapshot()).toEqual(before);
  });

  test('a scan without a file or with an unknown channel is refused with 400', async () => {
    const noFile = await request(sys.app).post(`/api/cases/${caseId}/scans`).set(auth(admin26)).field('channel', 'epuap').expect(400);
    expect(noFile.body.error.code).toBe('FILE_REQUIRED');
    const badChannel = await upload(admin26, SCAN_PDF, 'skan.pdf', 'fax').expect(400);
    expect(badChannel.body.error.details[0].path).toBe('channel');
  });

  test('someone outside the voivodeship can neither file a scan nor see the case; the ministry can see it', async () => {
    const before = await snapshot();
    await upload(admin12, SCAN_PDF).expect(403);
    expect(await snapshot()).toEqual(before);
    await request(sys.app).get(`/api/cases/${caseId}`).set(auth(ministry)).expect(200);
    await upload(ministry, SCAN_PDF).expect(403);
  });

  test('a decision by someone outside the voivodeship is refused and the task stays open', async () => {
    await upload(admin26, SCAN_PDF).expect(201);
    const task = await eventually(async () => (await request(sys.app).get('/api/tasks').set(auth(admin26))).body[0], 20_000, 'task');
    const res = await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin12)).send({ decision: 'accept' }).expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await sys.client.workflow.getHandle(caseId).query(getRegistrationStatus)).status).toBe('awaiting_decision');
    const [row] = await sys.db.orm.em.fork().getConnection().execute('select status from tasks where id = ?', [task.id]);
    expect(row.status).toBe('open');
  });

  test('a decision on a case no longer awaiting one is refused with 409, and a scan on a closed case too', async () => {
    const [task] = (await request(sys.app).get('/api/tasks').set(auth(admin26))).body;
    await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin26)).send({ decision: 'accept' }).expect(200);
    const again = await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin26)).send({ decision: 'reject', reason: 'Jednak nie' }).expect(409);
    expect(again.body.error.code).toBe('TASK_NOT_OPEN');
    await eventually(async () => (await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin26))).body.status === 'accepted', 20_000, 'accepted');
    const before = await snapshot();
    const late = await upload(admin26, Buffer.concat([SCAN_PDF, Buffer.from('% inny skan')])).expect(409);
    expect(late.body.error.code).toBe('CASE_NOT_AWAITING_SCAN');
    expect(await snapshot()).toEqual(before);
  });

  test('unknown cases, tasks and addresses are 404 with a Polish message', async () => {
    expect((await request(sys.app).get('/api/cases/registration-0000000-x').set(auth(admin26)).expect(404)).body.error.code).toBe('NOT_FOUND');
    await request(sys.app).post('/api/tasks/nie-ma/complete').set(auth(admin26)).send({ decision: 'accept' }).expect(404);
    const res = await request(sys.app).get('/api/nie-ma-takiego').expect(404);
    expect(res.body.error.message).toContain('Nie ma takiego adresu');
  });
});
