import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo } from 'node:net';
import type { Express } from 'express';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { DataConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createApp } from '../../api/app';
import type { Api } from '../../api/http';
import { SA } from '../../workflows/messages';
import { createBrowserProvider, type BrowserProvider } from '../../lib/browser';
import { loadConfig, type Config } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { testLogger } from './test-log';
import { createMailer, type Mailer } from '../../lib/mailer';
import { dataConverter } from '../../lib/temporal';
import { loadTemplates } from '../../lib/templates';
import { startTracing, type Tracing } from '../../lib/tracing';
import { createObiegWorker } from '../../worker/create-worker';
import { createTestDb, type TestDb } from './db';
import { startSmtpPeer, type SmtpPeer } from './smtp';
import { recordHistories, recordingDir } from './record-histories';

// A whole obieg for one test file: its own database and task queue, a real SMTP peer, one shared
// Chromium, an in-process worker, and the API app for supertest, on either Temporal server.

export const TEST_PAYLOAD_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestSystem {
  env: TestWorkflowEnvironment;
  client: Client;
  db: TestDb;
  smtp: SmtpPeer;
  config: Config;
  /** The in-process worker; null when the test runs its workers as processes (`inProcessWorker: false`). */
  worker: Worker | null;
  app: Express;
  /** The route registry (for tests generated from the declared routes). */
  api: Api;
  browser: BrowserProvider;
  mailer: Mailer;
  /** Tracing, when the test's environment configures it (OTEL_EXPORTER_OTLP_ENDPOINT), as the processes start it. */
  tracing: Tracing | null;
  close(): Promise<void>;
}

/**
 * The Java time-skipping server, started here rather than by the SDK: the SDK gives it about 5 s to listen,
 * and a JVM on a busy 2-core machine takes longer. The environment then connects to it as the SDK's own
 * createTimeSkipping would (time skipping on), through the factory behind it; teardown stops the JVM.
 */
async function timeSkippingEnvironment(converter: DataConverter): Promise<{ env: TestWorkflowEnvironment; stop(): Promise<void> }> {
  const port = await freePort();
  const server = spawn(required('TEMPORAL_TEST_SERVER'), [String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    await exited;
  };
  try {
    await waitForPort(port, 120_000, () => server.exitCode !== null);
    const factory = TestWorkflowEnvironment as unknown as {
      create(opts: { server: { type: 'existing' }; address: string; namespace: string; supportsTimeSkipping: true; client: { dataConverter: DataConverter } }): Promise<TestWorkflowEnvironment>;
    };
    const env = await factory.create({ server: { type: 'existing' }, address: `127.0.0.1:${port}`, namespace: 'default', supportsTimeSkipping: true, client: { dataConverter: converter } });
    // Under the shifted-clock check this process runs ahead of the server: skip the server to our time
    // (nothing runs on it yet, so the skip is instant). In a plain run the two clocks agree.
    const behind = Date.now() - (await env.currentTimeMs());
    if (behind > 60_000) await env.sleep(behind);
    return { env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForPort(port: number, timeoutMs: number, gaveUp: () => boolean): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (gaveUp()) throw new Error('the Temporal time-skipping test server exited before it listened');
    if (Date.now() > until) throw new Error(`the Temporal time-skipping test server did not listen on ${port} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface SystemOptions {
  timeSkipping?: boolean;
  env?: Record<string, string>;
  /** False: no worker in this process (the fault tests start worker processes on config.TEMPORAL_TASK_QUEUE). */
  inProcessWorker?: boolean;
  /** Another Temporal dev server than the run's shared one (a fault test that restarts its own). */
  temporalAddress?: string;
  /** Another database than a fresh clone of the run's template (a fault test's own PostgreSQL). */
  db?: TestDb;
  /** In place of the OTLP exporter, where the test's environment turns tracing on (an in-memory one). */
  traceExporter?: SpanExporter;
}

export async function startSystem(opts: SystemOptions = {}): Promise<TestSystem> {
  const dc = dataConverter(TEST_PAYLOAD_KEY);
  const timeSkipping = opts.timeSkipping ? await timeSkippingEnvironment(dc) : null;
  const env = timeSkipping?.env ?? (await TestWorkflowEnvironment.createFromExistingServer({ address: opts.temporalAddress ?? required('TEST_TEMPORAL_ADDRESS'), client: { dataConverter: dc } }));
  if (opts.timeSkipping) await registerSearchAttributes(env);
  const db = opts.db ?? (await createTestDb());
  const smtp = await startSmtpPeer();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE: `test-${randomBytes(6).toString('hex')}`,
    PAYLOAD_KEY: TEST_PAYLOAD_KEY,
    SMTP_PORT: String(smtp.port),
    LOG_LEVEL: 'warn',
    // Tests send many requests from one address; only the abuse test keeps the real allowances (1).
    RATE_LIMIT_FACTOR: '1000',
    // The time-skipping test server implements no schedules.
    ...(opts.timeSkipping ? { REPORT_FORM_SCHEDULES: 'false' } : {}),
    ...opts.env,
  });
  const browser = createBrowserProvider(config.CHROMIUM_PATH);
  const mailer = createMailer(config);
  // As api/main.ts and worker/main.ts: null unless configured; the API's client then carries its interceptor.
  const tracing = startTracing(config, 'obieg', opts.traceExporter);
  const apiClient = tracing ? new Client({ connection: env.connection, dataConverter: dc, interceptors: { workflow: [tracing.clientInterceptor] } }) : env.client;
  const worker = opts.inProcessWorker === false ? null : await createObiegWorker({
    connection: env.nativeConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    payloadKey: config.PAYLOAD_KEYRING,
    attention: { afterAttempts: config.ATTENTION_AFTER_ATTEMPTS, operatorEmail: config.OPERATOR_EMAIL },
    workflowBundle: { codePath: required('OBIEG_WORKFLOW_BUNDLE') },
    deps: { orm: db.orm, mailer, browser, templates: loadTemplates(), mailFrom: config.MAIL_FROM, publicUrl: config.PUBLIC_URL, temporal: apiClient, secretKey: config.PAYLOAD_KEYRING },
    tracing,
  });
  const running = worker?.run();
  const { app, api } = createApp({ orm: db.orm, temporal: apiClient, config, log: testLogger('api-test') ?? createLogger('api-test', 'error'), tracing });
  return {
    env,
    client: env.client,
    db,
    smtp,
    config,
    worker,
    app,
    api,
    browser,
    mailer,
    tracing,
    async close() {
      worker?.shutdown();
      await running;
      await tracing?.shutdown();
      // scripts/record-histories.sh: fixtures for the replay test (test/replay) from this system's workflows.
      const recordTo = recordingDir();
      let recordError: unknown;
      if (recordTo) {
        await recordHistories({ client: env.client, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, timeSkipping: !!opts.timeSkipping, dir: recordTo }).catch((err: unknown) => {
          recordError = err;
        });
      }
      await browser.close();
      mailer.close();
      await smtp.close();
      await db.drop();
      await env.teardown();
      await timeSkipping?.stop();
      if (recordError) throw recordError;
    },
  };
}

/** The Java test server knows no custom search attributes until they are added (the dev server gets them at start). */
async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const searchAttributes = Object.fromEntries(
    Object.values(SA).map((k) => [k.name, k.type === 'DATETIME' ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
  );
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the suite with scripts/test.sh (npm test)`);
  return v;
}

/** Polls until fn returns a truthy value. */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
