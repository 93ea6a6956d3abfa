import request from 'supertest';
import { csizsConnectionWorkflowId, getCsizsStatus } from '../../workflows/messages';
import { CAMPAIGN_500_PLUS_2016, shiftCalendarDays } from '../../workflows/rules/csizs-campaign';
import { tokenFor } from '../support/fixtures';
import { eventually, startSystem, type TestSystem } from '../support/system';

// seed 004 against the real dev server and PostgreSQL: the campaign started in one API call, steps
// completed for a few units, and the monitoring adding up per voivodeship, for all 2,477 gminas. While
// developing, CSIZS_SAMPLE=1 takes the gminas of two voivodeships only (lubuskie and świętokrzyskie, 184).
const ALL = process.env.CSIZS_SAMPLE !== '1';
const VOIVODESHIPS = ALL ? null : ['08', '26'];

const CAMPAIGN = 'csizs-all-gminas';
let sys: TestSystem;
let ministry: string;
let adm26: string;
let local: string;

beforeAll(async () => {
  sys = await startSystem();
  ministry = await tokenFor(sys.db.orm, 'mrpips-all', 'ministry', null);
  adm26 = await tokenFor(sys.db.orm, 'adm-all-26', 'voivodeship_admin', '26');
  local = await tokenFor(sys.db.orm, 'ladm-all-2661011', 'local_admin', '26');
  await sys.db.orm.em.fork().getConnection().execute("update role_assignments set unit_code = '2661011' where role = 'local_admin'");
});
afterAll(async () => {
  await sys?.close();
});

test('starting the campaign for every participating gmina, completing steps for a few, monitoring per voivodeship', async () => {
  // A calendar a year ahead: no deadline passes while the test runs.
  const calendar = shiftCalendarDays(CAMPAIGN_500_PLUS_2016, Math.ceil((Date.now() - Date.UTC(2016, 2, 16)) / 86_400_000) + 365);
  const conn = sys.db.orm.em.fork().getConnection();
  const expected = (
    await conn.execute<{ voivodeship: string; n: number }[]>("select voivodeship, count(*)::int as n from units where kind = 'gmina' group by voivodeship order by voivodeship")
  ).filter((r) => !VOIVODESHIPS || VOIVODESHIPS.includes(r.voivodeship));
  const total = expected.reduce((a, r) => a + r.n, 0);
  const unitCodes = VOIVODESHIPS
    ? (await conn.execute<{ code: string }[]>("select code from units where kind = 'gmina' order by code")).map((r) => r.code).filter((c) => VOIVODESHIPS.includes(c.slice(0, 2)))
    : undefined;
  const created = await request(sys.app).post('/api/csizs-campaigns').set('Authorization', `Bearer ${ministry}`).send({ id: CAMPAIGN, calendar, unitCodes }).expect(201);
  expect(created.body).toMatchObject({ totalUnits: ALL ? 2477 : total, startedUnits: 0 });
  // Not the ministry: refused.
  await request(sys.app).post(`/api/csizs-campaigns/${CAMPAIGN}/start`).set('Authorization', `Bearer ${adm26}`).expect(403);

  const t0 = Date.now();
  const started = await request(sys.app).post(`/api/csizs-campaigns/${CAMPAIGN}/start`).set('Authorization', `Bearer ${ministry}`).expect(202);
  expect(Date.now() - t0).toBeLessThan(5_000);
  expect(started.body.status).toBe('starting');
  // Repeating the call while it runs starts nothing twice.
  await request(sys.app).post(`/api/csizs-campaigns/${CAMPAIGN}/start`).set('Authorization', `Bearer ${ministry}`).expect(202);
  let progress: unknown;
  await eventually(async () => {
    const r = await request(sys.app).get(`/api/csizs-campaigns/${CAMPAIGN}`).set('Authorization', `Bearer ${ministry}`);
    progress = r.body;
    return r.body.status === 'started' && r.body.startedUnits === total;
  }, ALL ? 1_800_000 : 240_000, 'all units started').catch((err) => {
    throw new Error(`${err}; last progress ${JSON.stringify(progress)}`);
  });
  console.log(`campaign of ${total} units started in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await request(sys.app).post(`/api/csizs-campaigns/${CAMPAIGN}/start`).set('Authorization', `Bearer ${ministry}`).expect(202);

  const { count } = await sys.client.workflow.count(`ObiegCaseType = 'csizs' AND WorkflowId STARTS_WITH 'csizs-${CAMPAIGN}-'`);
  expect(count).toBe(total);

  // Kielce reports its first steps (seed 004 pkt 1–4); the notification follows the installation (pkt 2).
  const step = (token: string, body: Record<string, unknown>) =>
    request(sys.app).post(`/api/csizs-campaigns/${CAMPAIGN}/units/2661011/steps`).set('Authorization', `Bearer ${token}`).send(body);
  await step(local, { step: 'cas_report', vendor: 'Otago' }).expect(200);
  await step(local, { step: 'local_admin' }).expect(200);
  await step(local, { step: 'infrastructure' }).expect(200);
  expect((await step(local, { step: 'notification' })).body.error.code).toBe('FORBIDDEN');
  // The voivodeship cannot just tick the step off: it completes by accepting the notification (Załącznik 2).
  expect((await step(adm26, { step: 'notification' }).expect(409)).body.error.code).toBe('CSIZS_STEP_HAS_OWN_PATH');
  const out = await step(local, { step: 'package_verified' }).expect(409);
  expect(out.body.error.code).toBe('CSIZS_STEP_OUT_OF_ORDER');
  const view = await sys.client.workflow.getHandle(csizsConnectionWorkflowId(CAMPAIGN, '2661011')).query(getCsizsStatus);
  expect(view).toMatchObject({ vendor: 'Otago', currentStep: 'installation', completed: ['cas_report', 'local_admin', 'infrastructure'] });
  // A unit outside the campaign's list, and a call outside a checkpoint window.
  const foreign = await request(sys.app).post(`/api/csizs-campaigns/${CAMPAIGN}/units/9999999/calls`).set('Authorization', `Bearer ${ministry}`).send({ checkpoint: 'checkpoint_1', outcome: 'confirmed' }).expect(404);
  expect(foreign.body.error.code).toBe('CSIZS_UNIT_NOT_IN_CAMPAIGN');
  const early = await request(sys.app).post(`/api/csizs-campaigns/${CAMPAIGN}/units/2661011/calls`).set('Authorization', `Bearer ${ministry}`).send({ checkpoint: 'checkpoint_1', outcome: 'confirmed' }).expect(409);
  expect(early.body.error.code).toBe('CSIZS_NOT_ON_CALL_LIST');

  const m = await request(sys.app).get(`/api/csizs-campaigns/${CAMPAIGN}/monitoring`).set('Authorization', `Bearer ${ministry}`).expect(200);
  expect(Object.keys(m.body.perVoivodeship).sort()).toEqual(expected.map((r) => r.voivodeship));
  for (const { voivodeship, n } of expected) {
    const v = m.body.perVoivodeship[voivodeship];
    expect(v.total).toBe(n);
    expect(Object.values(v.perStep as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(n);
  }
  expect(m.body.perVoivodeship['26'].perStep).toMatchObject({ installation: 1, cas_report: expected.find((r) => r.voivodeship === '26')!.n - 1 });
  expect(m.body.perStep).toMatchObject({ cas_report: total - 1, installation: 1, connected: 0 });
  expect(m.body.lateUnits).toEqual([]);
}, ALL ? 2_000_000 : 400_000);
