import request from 'supertest';
import { planFor } from '../api/report/routes';
import { bounded } from '../lib/bounded';
import { startReport } from '../lib/workflow-types';
import { reportCampaignWorkflowId, reportWorkflowId, type ReportInput } from '../workflows/messages';
import { tokenFor } from '../test/support/fixtures';
import { startSystem } from '../test/support/system';

// Benchmark, not a test: time to open a one-off survey for all 2,477 gminas through the API (until the
// HTTP answer, and until the campaign workflow has started every report workflow), against the same
// number of report workflows started directly with the Temporal client (100 in flight), in the same run
// on the same dev server and database. It borrows the test harness for its infrastructure:
//
//   OBIEG_SKIP_TYPECHECK=1 bash scripts/test.sh --roots '<rootDir>/scripts' --testMatch '**/bench-survey.ts'

async function bench(): Promise<void> {
  const sys = await startSystem();
  try {
    const ministry = await tokenFor(sys.db.orm, 'bench-ministry', 'ministry', null);
    const auth = { Authorization: `Bearer ${ministry}` };
    await request(sys.app)
      .put('/api/report-forms/BENCH')
      .set(auth)
      .send({ name: 'Ankieta wydajnościowa', area: 'PS', unitKind: 'gmina', period: 'one-off', dueRule: { kind: 'fixed-date', date: '2027-01-15' } })
      .expect(200);

    const units = await sys.db.orm.em.fork().getConnection().execute<{ code: string; name: string; name_extra: string; voivodeship: string }[]>(
      "select code, name, name_extra, voivodeship from units where kind = 'gmina' order by code",
    );
    // BENCH_UNITS=n: the first n gminas only (more than 200, so the campaign workflow is used), for a quick run.
    const n = Number(process.env.BENCH_UNITS ?? units.length);
    if (n < units.length) units.splice(n);
    const t0 = performance.now();
    const opened = await request(sys.app)
      .post('/api/report-campaigns')
      .set(auth)
      .send({ formCode: 'BENCH', period: 'api', units: n >= 2477 ? 'all' : units.map((u) => u.code) })
      .expect(202);
    const httpMs = performance.now() - t0;
    await sys.client.workflow.getHandle(reportCampaignWorkflowId(opened.body.id)).result();
    const campaignMs = performance.now() - t0;
    const opened2 = async (count: number) => {
      for (;;) {
        const [{ n: done }] = await sys.db.orm.em.fork().getConnection().execute("select count(*)::int as n from cases where type = 'report'");
        if (done >= count) return;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    // Both ways are compared from an idle server: the campaign's reports finish opening first.
    await opened2(units.length);
    const campaignOpenMs = performance.now() - t0;

    const plan = planFor('2027-01-15');
    const t1 = performance.now();
    await bounded(units, 100, async (u) => {
      const reportId = reportWorkflowId('BENCH', 'direct', u.code);
      const input: ReportInput = {
        reportId, campaignId: 'BENCH-direct', formCode: 'BENCH', formName: 'Ankieta wydajnościowa', area: 'PS', period: 'direct',
        unitCode: u.code, unitName: `${u.name} (${u.name_extra})`, voivodeship: u.voivodeship, plan,
      };
      await startReport(sys.client, sys.config.TEMPORAL_TASK_QUEUE, input);
    });
    const directMs = performance.now() - t1;
    await opened2(2 * units.length);
    const directOpenMs = performance.now() - t1;

    const line = (k: string, v: string) => process.stdout.write(`${k.padEnd(58)} ${v}\n`);
    process.stdout.write('\nbench-survey: one-off survey for all gminas\n');
    line('units', String(units.length));
    line('API: POST /api/report-campaigns answered (ms)', httpMs.toFixed(0));
    line('API: campaign workflow started every report workflow (ms)', campaignMs.toFixed(0));
    line('API: every report open in the read model (ms)', campaignOpenMs.toFixed(0));
    line('direct client starts, 100 in flight (ms)', directMs.toFixed(0));
    line('direct: every report open in the read model (ms)', directOpenMs.toFixed(0));
    line('ratio all started: campaign / direct', (campaignMs / directMs).toFixed(2));
    line('ratio all open: campaign / direct', (campaignOpenMs / directOpenMs).toFixed(2));
    line('ratio HTTP answer / direct starts', (httpMs / directMs).toFixed(3));
  } finally {
    await sys.close();
  }
}

if (process.env.JEST_WORKER_ID) test('bench-survey', bench, 1_800_000);
