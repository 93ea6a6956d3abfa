import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { getReportCampaignProgress, reportCampaignWorkflowId, reportWorkflowId } from '../../workflows/messages';
import { tokenFor } from '../support/fixtures';
import { eventually, startSystem, type TestSystem } from '../support/system';
import { workingDayAhead } from '../support/calendar';

// A one-off survey for all 2,477 gminas through the API against the real dev server and PostgreSQL: the
// HTTP call returns at once, the roll-up counts every gmina as not started, per voivodeship as in TERC,
// and the campaign workflow goes on starting the 2,477 report workflows in the background (the time to
// start them all is measured by `npm run bench` (part 1), not here).

let sys: TestSystem;
let ministry: string;

/** Gminas per voivodeship counted straight from the TERC file (RODZ 1, 2, 3). */
function tercGminas(): Record<string, number> {
  const csv = readFileSync(join(__dirname, '..', '..', 'db', 'reference', 'TERC_2020-01-01.csv'), 'utf8');
  const out: Record<string, number> = {};
  for (const line of csv.split(/\r?\n/).slice(1)) {
    const [woj, , gmi, rodz] = line.split(';');
    if (gmi && ['1', '2', '3'].includes(rodz)) out[woj] = (out[woj] ?? 0) + 1;
  }
  return out;
}

beforeAll(async () => {
  sys = await startSystem();
  ministry = await tokenFor(sys.db.orm, 'mrpips-ankieta', 'ministry', null);
});
afterAll(async () => {
  await sys?.close();
});

// A working day about six weeks ahead: no reminder or escalation falls inside the test.
const DUE = workingDayAhead(45);

test('a one-off survey for all 2,477 gminas: opened at once, rolled up per voivodeship as in TERC', async () => {
  const auth = { Authorization: `Bearer ${ministry}` };
  await request(sys.app)
    .put('/api/report-forms/ANK-OPS-2027')
    .set(auth)
    .send({ name: 'Ankieta jednorazowa o zatrudnieniu w OPS', area: 'PS', unitKind: 'gmina', period: 'one-off', dueRule: { kind: 'fixed-date', date: DUE } })
    .expect(200);

  const t0 = Date.now();
  const opened = await request(sys.app).post('/api/report-campaigns').set(auth).send({ formCode: 'ANK-OPS-2027', period: 'ankieta-1', units: 'all' }).expect(202);
  const httpMs = Date.now() - t0;
  expect(opened.body).toMatchObject({ id: 'ANK-OPS-2027-ankieta-1', units: 2477, dueDate: DUE });
  expect(httpMs).toBeLessThan(15_000);

  const rollup = await request(sys.app).get(opened.body.rollupUrl).set(auth).expect(200);
  expect(rollup.body.total).toBe(2477);
  expect(rollup.body.national.not_started).toBe(2477);
  const terc = tercGminas();
  expect(Object.keys(terc)).toHaveLength(16);
  expect(Object.fromEntries(rollup.body.voivodeships.map((v: { code: string; total: number }) => [v.code, v.total]))).toEqual(terc);
  for (const v of rollup.body.voivodeships) expect(v.counts.not_started).toBe(v.total);
  expect(rollup.body.voivodeships.find((v: { code: string }) => v.code === '14').name).toBe('MAZOWIECKIE');

  // Opening the same survey twice is refused and changes nothing.
  expect((await request(sys.app).post('/api/report-campaigns').set(auth).send({ formCode: 'ANK-OPS-2027', period: 'ankieta-1', units: 'all' }).expect(409)).body.error.code).toBe('CAMPAIGN_EXISTS');

  // The report workflows start in the background, in batches, while the API goes on answering.
  const handle = sys.client.workflow.getHandle(reportCampaignWorkflowId(opened.body.id));
  const progress = await eventually(async () => {
    const p = await handle.query(getReportCampaignProgress);
    return p.started >= 200 ? p : null;
  }, 300_000, 'first batches of report workflows started');
  expect(progress).toMatchObject({ total: 2477, alreadyRunning: 0 });
  const started = await eventually(async () => {
    const d = await sys.client.workflow.getHandle(reportWorkflowId('ANK-OPS-2027', 'ankieta-1', '0201011')).describe();
    return d.status.name === 'RUNNING';
  }, 60_000, 'first gmina report running');
  expect(started).toBe(true);
  const during = await request(sys.app).get(opened.body.rollupUrl).set(auth).expect(200);
  expect(during.body.total).toBe(2477);
  expect(during.body.national.not_started).toBe(2477);
}, 600_000);
