import { ScheduleNotFoundError } from '@temporalio/client';
import request from 'supertest';
import { getReportCampaignProgress, reportCampaignWorkflowId, type ReportCampaignView } from '../../workflows/messages';
import { tokenFor } from '../support/fixtures';
import { eventually, startSystem, type TestSystem } from '../support/system';
import { currentQuarter, previousQuarter, workingDayAhead } from '../support/calendar';

// Process 3 against the real dev server: a periodic form saved by the ministry gets a Temporal Schedule
// (calendar in Europe/Warsaw) that opens the campaign of the period just ended; a second run opens
// nothing more; editing the form updates the schedule, deactivating it pauses it, one-off deletes it.

let sys: TestSystem;
let ministry: string;
const conn = () => sys.db.orm.em.fork().getConnection();
const FORM = { name: 'Sprawozdanie kwartalne powiatów (harmonogram)', area: 'PS', unitKind: 'powiat', period: 'quarterly', dueRule: { kind: 'days-after-period-end', days: 30 } };

beforeAll(async () => {
  sys = await startSystem();
  ministry = await tokenFor(sys.db.orm, 'mrpips-harmonogram', 'ministry', null);
});
afterAll(async () => {
  await sys?.client.schedule.getHandle('report-form-PS-HARM').delete().catch(() => undefined);
  await sys?.close();
});

/** The workflow the schedule started most recently, and its result. */
async function lastRun(handle: ReturnType<TestSystem['client']['schedule']['getHandle']>, runs: number): Promise<ReportCampaignView> {
  const d = await eventually(async () => {
    const desc = await handle.describe();
    return desc.info.recentActions.length >= runs ? desc : null;
  }, 30_000, `schedule run ${runs}`);
  const action = d.info.recentActions[runs - 1].action;
  return sys.client.workflow.getHandle(action.workflow.workflowId).result();
}

test('a quarterly form: its schedule opens the last quarter for every powiat, once; edits, pause and removal follow the form', async () => {
  const auth = { Authorization: `Bearer ${ministry}` };
  const saved = await request(sys.app).put('/api/report-forms/PS-HARM').set(auth).send(FORM).expect(200);
  expect(saved.body).toMatchObject({ code: 'PS-HARM', active: true, scheduleId: 'report-form-PS-HARM' });

  const handle = sys.client.schedule.getHandle('report-form-PS-HARM');
  const d = await handle.describe();
  expect(d.spec.timezone).toBe('Europe/Warsaw');
  expect(d.spec.calendars).toHaveLength(1);
  expect(d.spec.calendars![0]).toMatchObject({
    month: [{ start: 'JANUARY', end: 'JANUARY', step: 1 }, { start: 'APRIL', end: 'APRIL', step: 1 }, { start: 'JULY', end: 'JULY', step: 1 }, { start: 'OCTOBER', end: 'OCTOBER', step: 1 }],
    dayOfMonth: [{ start: 1, end: 1, step: 1 }],
    hour: [{ start: 6, end: 6, step: 1 }],
    minute: [{ start: 0, end: 0, step: 1 }],
  });
  expect(d.state.paused).toBe(false);
  expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reportCampaignWorkflow' });
  // 06:00 in Warsaw on the first day of the next quarter (CET: 05:00 UTC).
  const next = d.info.nextActionTimes[0];
  expect(next.getUTCDate()).toBe(1);
  expect([0, 3, 6, 9]).toContain(next.getUTCMonth());
  expect([4, 5]).toContain(next.getUTCHours());

  // Triggered now, the run opens the quarter that ended last in Warsaw (in late November 2026: Q3).
  const period = previousQuarter(currentQuarter());
  await handle.trigger();
  const first = await lastRun(handle, 1);
  expect(first).toMatchObject({ period, alreadyOpened: false, total: 380 });
  const campaignId = `PS-HARM-${period}`;
  const [campaign] = await conn().execute('select unit_count, created_by from report_campaigns where id = ?', [campaignId]);
  expect(campaign.unit_count).toBe(380);
  expect(campaign.created_by).toMatch(/^schedule:report-form-PS-HARM-run/);
  const started = await sys.client.workflow.getHandle(reportCampaignWorkflowId(campaignId)).result();
  expect(started.started).toBe(380);
  const rollup = await request(sys.app).get(`/api/report-campaigns/${campaignId}/rollup`).set(auth).expect(200);
  expect(rollup.body.total).toBe(380);

  // A second run for the same period opens nothing and starts nothing.
  await handle.trigger('ALLOW_ALL');
  expect(await lastRun(handle, 2)).toMatchObject({ period, alreadyOpened: true, total: 0 });
  expect((await conn().execute("select count(*)::int as n from report_campaigns where form_code = 'PS-HARM'"))[0].n).toBe(1);
  expect((await sys.client.workflow.getHandle(reportCampaignWorkflowId(campaignId)).query(getReportCampaignProgress)).started).toBe(380);

  // Edited to monthly: the schedule follows; deactivated: paused; one-off: deleted.
  await request(sys.app).put('/api/report-forms/PS-HARM').set(auth).send({ ...FORM, period: 'monthly', dueRule: { kind: 'days-after-period-end', days: 15 } }).expect(200);
  expect((await handle.describe()).spec.calendars![0].month).toEqual([{ start: 'JANUARY', end: 'DECEMBER', step: 1 }]);
  const off = await request(sys.app).put('/api/report-forms/PS-HARM').set(auth).send({ ...FORM, active: false }).expect(200);
  expect(off.body).toMatchObject({ active: false, scheduleId: 'report-form-PS-HARM' });
  expect((await handle.describe()).state.paused).toBe(true);
  const listed = await request(sys.app).get('/api/report-forms').set(auth).expect(200);
  expect(listed.body.find((f: { code: string }) => f.code === 'PS-HARM')).toMatchObject({ active: false, period: 'quarterly' });
  await request(sys.app).put('/api/report-forms/PS-HARM').set(auth).send({ ...FORM, active: true }).expect(200);
  expect((await handle.describe()).state.paused).toBe(false);
  const oneOff = await request(sys.app).put('/api/report-forms/PS-HARM').set(auth).send({ ...FORM, period: 'one-off', dueRule: { kind: 'fixed-date', date: workingDayAhead(120) } }).expect(200);
  expect(oneOff.body.scheduleId).toBeNull();
  await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
}, 480_000); // 380 report workflows start on the dev server: minutes on a busy 2-core machine
