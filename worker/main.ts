import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfigOrExit, startsTaskQueue } from '../lib/config';
import { createLogger, logOptions, temporalLogger } from '../lib/logger';
import { openOrm } from '../db/orm';
import { createBrowserProvider } from '../lib/browser';
import { createMailer } from '../lib/mailer';
import { loadTemplates } from '../lib/templates';
import { connectClient } from '../lib/temporal';
import { temporalConnectionOptions } from '../lib/temporal-connection';
import { startTracing } from '../lib/tracing';
import { createObiegWorker } from './create-worker';
import { serveHealth, workerHealth } from './health';

/** The workflow bundle `npm run build` writes next to the compiled code (dist/workflow-bundle.js). */
const WORKFLOW_BUNDLE = join(__dirname, '..', 'workflow-bundle.js');

// The worker runs every workflow and activity. On SIGTERM/SIGINT the SDK stops polling and lets
// running activities finish; then the connections close. Its log lines, the SDK's included (worker,
// workflow and activity loggers), go to one pino stream; the SDK's Prometheus metrics are served on
// WORKER_METRICS_ADDRESS and its health (worker state + Temporal reachable) on WORKER_HEALTH_ADDRESS.
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger('worker', logOptions(config));
  Runtime.install({
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    logger: temporalLogger(log),
    telemetryOptions: {
      logging: { forward: {}, filter: { core: config.LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN', other: 'WARN' } },
      ...(config.WORKER_METRICS_ADDRESS ? { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } } : {}),
    },
  });
  const orm = await openOrm(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  const browser = createBrowserProvider(config.CHROMIUM_PATH);
  const mailer = createMailer(config);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  // OTEL_EXPORTER_OTLP_ENDPOINT unset: null, and no span anywhere.
  const tracing = startTracing(config, 'obieg-worker');
  // Report campaigns start their workflows from an activity (workflows/report-campaign.ts): traced, they carry the trace on.
  const client = await connectClient(config, tracing ? { workflow: [tracing.clientInterceptor] } : undefined);
  try {
    const options = {
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      payloadKey: config.PAYLOAD_KEYRING,
      // The SDK's 10 s kept the cases of a killed worker still for 10 s after a restart (issue 18: moving again within 5 s).
      stickyQueueScheduleToStartTimeout: '3s',
      // `npm run build` bundles the workflows once (worker/bundle.ts); bundling at every start took seconds.
      ...(existsSync(WORKFLOW_BUNDLE) ? { workflowBundle: { codePath: WORKFLOW_BUNDLE } } : {}),
      attention: { afterAttempts: config.ATTENTION_AFTER_ATTEMPTS, operatorEmail: config.OPERATOR_EMAIL },
      deps: { orm, mailer, browser, templates: loadTemplates(), mailFrom: config.MAIL_FROM, publicUrl: config.PUBLIC_URL, temporal: client, secretKey: config.PAYLOAD_KEYRING },
      tracing,
    } as const;
    const worker = await createObiegWorker({ ...options, taskQueue: config.TEMPORAL_TASK_QUEUE, maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS });
    // Campaign starters on a queue of their own (TEMPORAL_STARTS_TASK_QUEUE): a few workflows, a small cache.
    const startsQueue = startsTaskQueue(config) !== config.TEMPORAL_TASK_QUEUE ? startsTaskQueue(config) : null;
    const starts = startsQueue ? await createObiegWorker({ ...options, taskQueue: startsQueue, maxCachedWorkflows: 20 }) : null;
    const workers = starts ? [worker, starts] : [worker];
    // Healthy while every Worker runs: the first one not RUNNING names the state.
    const state = { getState: () => workers.map((w) => w.getState()).find((s) => s !== 'RUNNING') ?? 'RUNNING' };
    const health = config.WORKER_HEALTH_ADDRESS ? await serveHealth(config.WORKER_HEALTH_ADDRESS, () => workerHealth(state, client)) : null;
    log.info('worker started', { taskQueue: config.TEMPORAL_TASK_QUEUE, startsTaskQueue: startsQueue, temporal: config.TEMPORAL_ADDRESS, health: config.WORKER_HEALTH_ADDRESS, metrics: config.WORKER_METRICS_ADDRESS, tracing: !!tracing });
    try {
      // One Worker failing stops the other, so that the process exits and is restarted whole.
      await Promise.all(
        workers.map((w) =>
          w.run().catch((err: unknown) => {
            for (const other of workers) if (other !== w && other.getState() === 'RUNNING') other.shutdown();
            throw err;
          }),
        ),
      );
    } finally {
      health?.close();
    }
    log.info('worker drained and stopped');
  } finally {
    await connection.close();
    await client.connection.close();
    await browser.close();
    mailer.close();
    await orm.close();
    await tracing?.shutdown();
  }
}

main().catch((err) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
