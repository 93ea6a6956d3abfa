import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfigOrExit } from '../lib/config';
import { createLogger } from '../lib/logger';
import { openOrm } from '../db/orm';
import { createBrowserProvider } from '../lib/browser';
import { createMailer } from '../lib/mailer';
import { loadTemplates } from '../lib/templates';
import { connectClient } from '../lib/temporal';
import { temporalConnectionOptions } from '../lib/temporal-connection';
import { createObiegWorker } from './create-worker';
import { redactingSdkLogger } from './sdk-logger';

/** The workflow bundle `npm run build` writes next to the compiled code (dist/workflow-bundle.js). */
const WORKFLOW_BUNDLE = join(__dirname, '..', 'workflow-bundle.js');

// The worker runs every workflow and activity. On SIGTERM/SIGINT the SDK stops polling and lets
// running activities finish; then the connections close.
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger('worker', config.LOG_LEVEL);
  Runtime.install({ shutdownSignals: ['SIGINT', 'SIGTERM'], logger: redactingSdkLogger(log, config.LOG_LEVEL === 'debug' ? 'DEBUG' : config.LOG_LEVEL === 'info' ? 'INFO' : config.LOG_LEVEL === 'warn' ? 'WARN' : 'ERROR') });
  const orm = await openOrm(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  const browser = createBrowserProvider(config.CHROMIUM_PATH);
  const mailer = createMailer(config);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  // Report campaigns start their workflows from an activity (workflows/report-campaign.ts).
  const client = await connectClient(config);
  try {
    const worker = await createObiegWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      payloadKey: config.PAYLOAD_KEYRING,
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
      // The SDK's 10 s kept the cases of a killed worker still for 10 s after a restart (issue 18: moving again within 5 s).
      stickyQueueScheduleToStartTimeout: '3s',
      // `npm run build` bundles the workflows once (worker/bundle.ts); bundling at every start took seconds.
      ...(existsSync(WORKFLOW_BUNDLE) ? { workflowBundle: { codePath: WORKFLOW_BUNDLE } } : {}),
    attention: { afterAttempts: config.ATTENTION_AFTER_ATTEMPTS, operatorEmail: config.OPERATOR_EMAIL },
      deps: { orm, mailer, browser, templates: loadTemplates(), mailFrom: config.MAIL_FROM, publicUrl: config.PUBLIC_URL, temporal: client, secretKey: config.PAYLOAD_KEY },
    });
    log.info('worker started', { taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS });
    await worker.run();
    log.info('worker drained and stopped');
  } finally {
    await connection.close();
    await client.connection.close();
    await browser.close();
    mailer.close();
    await orm.close();
  }
}

main().catch((err) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
