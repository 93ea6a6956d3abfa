import { DIRECT_START_LIMIT, planFor } from '../../api/report/routes';
import { bounded } from '../../lib/bounded';
import { startReport, startWorkflow } from '../../lib/workflow-types';
import { caseSearchAttributes, csizsConnectionWorkflowId, reportCampaignWorkflowId, reportWorkflowId, type ReportInput } from '../../workflows/messages';
import { CAMPAIGN_500_PLUS_2016, resolveCalendar, shiftCalendarDays } from '../../workflows/rules/csizs-campaign';
import type { Stack } from './stack';
import { callOk, f1, f2, int, log, settle, until, type Row, type Settings } from './util';

// Part 1: campaign starts through the API against the same starts made directly with the Temporal
// client, in the same run, worker and database: the CSIZS campaign call, the one-off survey call for
// every gmina, and one call per unit from 16 clients. "Started": every workflow exists; "in the read
// model": every case's first step (its row in `cases`) is written by the worker.

interface Gmina {
  code: string;
  name: string;
  name_extra: string;
  voivodeship: string;
}

const rate = (n: number, ms: number) => n / (ms / 1000);

function pair(
  s: Stack,
  settings: Settings,
  id: string,
  figure: string,
  n: number,
  api: { ms: number; how: string },
  direct: { ms: number; how: string },
  target: boolean,
  command: string,
): Row {
  const ratio = direct.ms / api.ms; // API throughput / direct throughput
  return {
    id,
    part: '1 Campaign starts',
    engine: s.engine.name,
    figure,
    measured: `${f1(rate(n, api.ms))}/s (${f1(api.ms / 1000)} s; ${api.how})`,
    reference: `${f1(rate(n, direct.ms))}/s (${f1(direct.ms / 1000)} s; ${direct.how})`,
    ratio: `${f2(ratio)} of direct`,
    target: target ? '≥ 0.90 of direct' : '—',
    pass: target ? ratio >= 0.9 : null,
    command,
    values: { units: n, apiMs: Math.round(api.ms), directMs: Math.round(direct.ms), apiPerSecond: rate(n, api.ms), directPerSecond: rate(n, direct.ms), ratio },
  };
}

export async function campaignStarts(s: Stack, settings: Settings, command: string): Promise<Row[]> {
  const em = () => s.orm.em.fork().getConnection();
  const all = await em().execute<Gmina[]>("select code, name, name_extra, voivodeship from units where kind = 'gmina' order by code");
  const gminas = all.slice(0, settings.units);
  const n = gminas.length;
  const subset = n < all.length;
  const label = `${int(n)} gminas`;
  const rows: Row[] = [];
  const casesOf = async (like: string) => (await em().execute<{ n: number }[]>("select count(*)::int as n from cases where type = 'report' and data->>'period' like ?", [like]))[0].n;
  // Between measurements: until the worker is idle, every case the last one created has taken its first steps.
  const quiet = async () => log(`${s.engine.short}: worker settled after ${f1((await settle(s.worker.child.pid!, 'the worker')) / 1000)} s`);

  // 1a: the CSIZS campaign, one call (a starter workflow's activity starts the connections, 50 in flight).
  // A year ahead, so that no timer fires during the run. The direct side gets a campaign of its own
  // (created through the API, never started there), so both sides start the same workflows.
  await quiet();
  const calendar = shiftCalendarDays(CAMPAIGN_500_PLUS_2016, Math.ceil((Date.now() - Date.UTC(2016, 2, 16)) / 86_400_000) + 365);
  const unitCodes = subset ? gminas.map((g) => g.code) : undefined;
  for (const id of ['bench-api', 'bench-direct']) await callOk(s.base, s.tokens.ministry, 'POST', '/api/csizs-campaigns', { id, calendar, ...(unitCodes ? { unitCodes } : {}) });
  log(`${s.engine.short} 1a: CSIZS campaign through the API (${label})`);
  let t = performance.now();
  await callOk(s.base, s.tokens.ministry, 'POST', '/api/csizs-campaigns/bench-api/start');
  await until(async () => (await callOk(s.base, s.tokens.ministry, 'GET', '/api/csizs-campaigns/bench-api')).status === 'started', 1_200_000, 'the CSIZS campaign', 100);
  const csizsApi = performance.now() - t;
  await quiet();
  log(`${s.engine.short} 1a: CSIZS connections started directly (${label})`);
  const plan = resolveCalendar(calendar);
  t = performance.now();
  await bounded(gminas, 50, async (g) => {
    await startWorkflow(s.client, 'csizsConnectionWorkflow', {
      workflowId: csizsConnectionWorkflowId('bench-direct', g.code),
      taskQueue: s.config.TEMPORAL_TASK_QUEUE,
      args: [{ campaignId: 'bench-direct', unitCode: g.code, voivodeship: g.voivodeship, vendors: calendar.vendors, plan }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: caseSearchAttributes({ caseType: 'csizs', unitCode: g.code, voivodeship: g.voivodeship }),
    });
  });
  const csizsDirect = performance.now() - t;
  rows.push(
    pair(s, settings, '1a', `CSIZS campaign, ${label}: one API call until every connection started`, n, { ms: csizsApi, how: 'POST …/start, then GET until "started"' }, { ms: csizsDirect, how: 'client starts, 50 in flight' }, true, command),
  );
  await quiet();

  // 1b: the one-off survey for every gmina, one call (a campaign workflow starts the reports, 100 in flight).
  await callOk(s.base, s.tokens.ministry, 'PUT', '/api/report-forms/BENCH', { name: 'Ankieta wydajnościowa', area: 'PS', unitKind: 'gmina', period: 'one-off', dueRule: { kind: 'fixed-date', date: '2027-01-15' } });
  log(`${s.engine.short} 1b: one-off survey through the API (${label})`);
  t = performance.now();
  const opened = await callOk(s.base, s.tokens.ministry, 'POST', '/api/report-campaigns', { formCode: 'BENCH', period: 'api', units: subset ? gminas.map((g) => g.code) : 'all' });
  const surveyHttp = performance.now() - t;
  // Up to DIRECT_START_LIMIT units the API starts the reports within the request; beyond, a campaign workflow does.
  if (n > DIRECT_START_LIMIT) await s.client.workflow.getHandle(reportCampaignWorkflowId(String(opened.id))).result();
  const surveyApi = performance.now() - t;
  await until(async () => (await casesOf('api')) >= n, 1_800_000, 'the survey in the read model', 250);
  const surveyApiRead = performance.now() - t;
  await quiet();
  log(`${s.engine.short} 1b: the same reports started directly (${label})`);
  const plan2 = planFor('2027-01-15');
  const input = (period: string, g: Gmina): ReportInput => ({
    reportId: reportWorkflowId('BENCH', period, g.code),
    campaignId: `BENCH-${period}`,
    formCode: 'BENCH',
    formName: 'Ankieta wydajnościowa',
    area: 'PS',
    period,
    unitCode: g.code,
    unitName: `${g.name} (${g.name_extra})`,
    voivodeship: g.voivodeship,
    plan: plan2,
  });
  t = performance.now();
  await bounded(gminas, 100, (g) => startReport(s.client, s.config.TEMPORAL_TASK_QUEUE, input('direct', g)));
  const surveyDirect = performance.now() - t;
  await until(async () => (await casesOf('direct')) >= n, 1_800_000, 'the direct reports in the read model', 250);
  const surveyDirectRead = performance.now() - t;
  rows.push(
    pair(s, settings, '1b', `One-off survey, ${label}: one API call until every report started (HTTP answer ${f1(surveyHttp)} ms)`, n, { ms: surveyApi, how: 'POST /api/report-campaigns' }, { ms: surveyDirect, how: 'client starts, 100 in flight' }, true, command),
    pair(s, settings, '1c', `One-off survey, ${label}: until every report's first step is in the read model`, n, { ms: surveyApiRead, how: 'API' }, { ms: surveyDirectRead, how: 'direct' }, false, command),
  );
  await quiet();

  // 1d: one call per unit from 16 clients (the API starts each report within the request).
  log(`${s.engine.short} 1d: one API call per unit, 16 clients (${label})`);
  t = performance.now();
  await bounded(gminas, 16, async (g) => {
    await callOk(s.base, s.tokens.ministry, 'POST', '/api/report-campaigns', { formCode: 'BENCH', period: `sa${g.code}`, units: [g.code] });
  });
  const singleApi = performance.now() - t;
  await until(async () => (await casesOf('sa%')) >= n, 1_800_000, 'the single reports in the read model', 250);
  const singleApiRead = performance.now() - t;
  await quiet();
  log(`${s.engine.short} 1d: the same starts directly, 16 in flight (${label})`);
  t = performance.now();
  await bounded(gminas, 16, (g) => startReport(s.client, s.config.TEMPORAL_TASK_QUEUE, input(`sd${g.code}`, g)));
  const singleDirect = performance.now() - t;
  await until(async () => (await casesOf('sd%')) >= n, 1_800_000, 'the direct single reports in the read model', 250);
  const singleDirectRead = performance.now() - t;
  rows.push(
    pair(s, settings, '1d', `One call per unit, ${label}, 16 clients: until every report started`, n, { ms: singleApi, how: 'POST /api/report-campaigns per unit' }, { ms: singleDirect, how: 'client starts, 16 in flight' }, true, command),
    pair(s, settings, '1e', `One call per unit, ${label}, 16 clients: until every first step is in the read model`, n, { ms: singleApiRead, how: 'API' }, { ms: singleDirectRead, how: 'direct' }, false, command),
  );
  await quiet();
  return rows;
}
