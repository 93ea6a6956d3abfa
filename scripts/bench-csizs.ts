// Benchmark (not a test): starting the CSIZS campaign for every gmina through the API (one call, a
// campaign workflow starting the connections in batches) against the same number of connection
// workflows started directly with the Temporal client (50 at a time), in the same run and worker.
// Usage (after npm run build; a throwaway database and a Temporal dev server):
//   DATABASE_URL=postgres://…/obieg_bench TEMPORAL_ADDRESS=127.0.0.1:7233 node dist/scripts/bench-csizs.js [units=2477]
// With a smaller count both sides use the first gminas in code order.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { NativeConnection } from '@temporalio/worker';
import { createApp } from '../api/app';
import { ensureAccount, issueToken } from '../db/demo';
import { migrate, openOrm } from '../db/orm';
import { importTerc } from '../db/reference';
import { createBrowserProvider } from '../lib/browser';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createMailer } from '../lib/mailer';
import { connectClient } from '../lib/temporal';
import { temporalConnectionOptions } from '../lib/temporal-connection';
import { loadTemplates } from '../lib/templates';
import { startWorkflow } from '../lib/workflow-types';
import { createObiegWorker } from '../worker/create-worker';
import { csizsConnectionWorkflowId } from '../workflows/messages';
import { CAMPAIGN_500_PLUS_2016, resolveCalendar, shiftCalendarDays } from '../workflows/rules/csizs-campaign';

const CONCURRENCY = 50;
const LIMIT = process.argv[2] ? Number(process.argv[2]) : null;

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL must name a throwaway database');
  const run = randomBytes(3).toString('hex');
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: url,
    TEMPORAL_TASK_QUEUE: `bench-csizs-${run}`,
    PAYLOAD_KEY: process.env.PAYLOAD_KEY ?? Buffer.alloc(32, 7).toString('base64'),
    LOG_LEVEL: 'warn',
  });
  const orm = await openOrm(url, 20);
  await migrate(orm);
  await importTerc(orm);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const temporal = await connectClient(config);
  const browser = createBrowserProvider(config.CHROMIUM_PATH);
  const mailer = createMailer(config);
  const worker = await createObiegWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    payloadKey: config.PAYLOAD_KEYRING,
    attention: { afterAttempts: config.ATTENTION_AFTER_ATTEMPTS, operatorEmail: config.OPERATOR_EMAIL },
    deps: { orm, mailer, browser, templates: loadTemplates(), mailFrom: config.MAIL_FROM, publicUrl: config.PUBLIC_URL, temporal, secretKey: config.PAYLOAD_KEY },
  });
  const running = worker.run();
  const { app } = createApp({ orm, temporal, config, log: createLogger('bench', 'error') });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await ensureAccount(orm, { login: 'bench-csizs-ministry', firstName: 'B', lastName: 'B', role: 'ministry', voivodeship: null });
  const token = await issueToken(orm, 'bench-csizs-ministry', 'bench');
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  // A year ahead: no timer fires during the run, so only starting is measured.
  const calendar = shiftCalendarDays(CAMPAIGN_500_PLUS_2016, Math.ceil((Date.now() - Date.UTC(2016, 2, 16)) / 86_400_000) + 365);
  const campaignId = `bench-${run}`;
  const all = await orm.em.fork().getConnection().execute<{ code: string; voivodeship: string }[]>("select code, voivodeship from units where kind = 'gmina' order by code");
  const gminas = LIMIT ? all.slice(0, LIMIT) : all;
  const created = await api('POST', '/api/csizs-campaigns', { id: campaignId, calendar, ...(LIMIT ? { unitCodes: gminas.map((g) => g.code) } : {}) });
  const units = created.totalUnits as number;

  let t = Date.now();
  const accepted = await api('POST', `/api/csizs-campaigns/${campaignId}/start`);
  const httpMs = Date.now() - t;
  for (;;) {
    const p = await api('GET', `/api/csizs-campaigns/${campaignId}`);
    if (p.status === 'started') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const campaignMs = Date.now() - t;
  console.log(`campaign start: ${units} units in ${(campaignMs / 1000).toFixed(1)} s (HTTP answer ${httpMs} ms, status ${accepted.status})`);

  const plan = resolveCalendar(calendar);
  const directId = `direct-${run}`;
  t = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < gminas.length) {
        const g = gminas[next++];
        await startWorkflow(temporal, 'csizsConnectionWorkflow', {
          workflowId: csizsConnectionWorkflowId(directId, g.code),
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          args: [{ campaignId: directId, unitCode: g.code, voivodeship: g.voivodeship, vendors: calendar.vendors, plan }],
        });
      }
    }),
  );
  const directMs = Date.now() - t;
  console.log(`direct client starts: ${gminas.length} workflows in ${(directMs / 1000).toFixed(1)} s (${CONCURRENCY} concurrent)`);
  console.log(`ratio campaign / direct: ${(campaignMs / directMs).toFixed(2)}`);

  server.close();
  worker.shutdown();
  await running;
  await connection.close();
  await temporal.connection.close();
  await browser.close();
  mailer.close();
  await orm.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
