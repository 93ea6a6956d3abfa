import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client as PgClient } from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Connection, type Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { SMTPServer } from 'smtp-server';
import { ensureAccount, issueToken } from '../../db/demo';
import { migrate, openOrm } from '../../db/orm';
import { importTerc } from '../../db/reference';
import { loadConfig, type Config } from '../../lib/config';
import { connectClient } from '../../lib/temporal';
import { SA } from '../../workflows/messages';
import { freePort, log, processRssMb, startProcess, stopProcess, tail, until, type Proc } from './util';

// obieg as it runs in production, for the benchmark: the worker and the API as processes of their own
// (node dist/worker/main.js, node dist/api/main.js) on one Temporal and a database of their own, a
// discarding SMTP peer, and the orchestrator's own Temporal client for the direct reference.

const run = promisify(execFile);
export const PAYLOAD_KEY = Buffer.alloc(32, 9).toString('base64');
export const TASK_QUEUE = 'obieg';

export interface Engine {
  /** "dev server" or "Temporal server + PostgreSQL". */
  name: string;
  short: 'dev' | 'server';
  address: string;
  namespace: string;
  stop(): Promise<void>;
}

export interface Stack {
  engine: Engine;
  dbUrl: string;
  orm: MikroORM;
  client: Client;
  config: Config;
  base: string;
  worker: Proc;
  api: Proc;
  tokens: { ministry: string; admin26: string };
  workerEnv: NodeJS.ProcessEnv;
  startWorker(): Promise<Proc>;
  stop(): Promise<void>;
}

export async function adminQuery(pgBase: string, sql: string): Promise<void> {
  const c = new PgClient({ connectionString: `${pgBase}/postgres` });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function freshDatabase(pgBase: string, name: string): Promise<string> {
  await adminQuery(pgBase, `drop database if exists ${name} with (force)`);
  await adminQuery(pgBase, `create database ${name}`);
  return `${pgBase}/${name}`;
}

function discardingSmtp(): Promise<{ port: number; close(): Promise<void> }> {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => callback());
    },
  });
  return new Promise((ok) => {
    smtp.listen(0, '127.0.0.1', () => {
      const port = (smtp.server.address() as { port: number }).port;
      ok({ port, close: () => new Promise<void>((done) => smtp.close(() => done())) });
    });
  });
}

export async function startStack(engine: Engine, pgBase: string, dir: string): Promise<Stack> {
  const dbUrl = await freshDatabase(pgBase, `obieg_bench_${engine.short}`);
  const smtp = await discardingSmtp();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DATABASE_URL: dbUrl,
    PAYLOAD_KEY,
    TEMPORAL_ADDRESS: engine.address,
    TEMPORAL_NAMESPACE: engine.namespace,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    // As npm start and docker-compose.yml: the campaign starters on a queue of their own; as the image, two malloc arenas.
    MALLOC_ARENA_MAX: '2',
    TEMPORAL_STARTS_TASK_QUEUE: `${TASK_QUEUE}-starts`,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    API_HOST: '127.0.0.1',
    API_PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
    // Two engines' stacks may overlap and part 5 restarts the worker: no fixed ports to collide on.
    WORKER_HEALTH_ADDRESS: 'off',
    WORKER_METRICS_ADDRESS: 'off',
    // Experiments: BENCH_APP_ENV="NAME=value …" adds to (or overrides) the API's and the worker's environment.
    ...Object.fromEntries((process.env.BENCH_APP_ENV ?? '').split(/\s+/).filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
  };
  const config = loadConfig(env);
  const orm = await openOrm(dbUrl, 10);
  await migrate(orm);
  await importTerc(orm);
  const client = await connectClient(config);
  const startWorker = async () => {
    const w = startProcess(`worker-${engine.short}`, dir, process.execPath, ['dist/worker/main.js'], env);
    return w;
  };
  const worker = await startWorker();
  const api = startProcess(`api-${engine.short}`, dir, process.execPath, ['dist/api/main.js'], env);
  const base = `http://127.0.0.1:${port}`;
  await until(
    async () => {
      if (api.child.exitCode !== null) throw new Error(`the API exited:\n${tail(api)}`);
      if (worker.child.exitCode !== null) throw new Error(`the worker exited:\n${tail(worker)}`);
      return fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    },
    120_000,
    'the API',
  );
  await ensureAccount(orm, { login: 'bench-ministry', firstName: 'Bench', lastName: 'Ministry', role: 'ministry', voivodeship: null });
  await ensureAccount(orm, { login: 'bench-adm-26', firstName: 'Bench', lastName: 'Admin', role: 'voivodeship_admin', voivodeship: '26' });
  const tokens = { ministry: await issueToken(orm, 'bench-ministry', 'bench'), admin26: await issueToken(orm, 'bench-adm-26', 'bench') };
  const stack: Stack = {
    engine,
    dbUrl,
    orm,
    client,
    config,
    base,
    worker,
    api,
    tokens,
    workerEnv: env,
    startWorker,
    async stop() {
      log(`${engine.name}: worker peak RSS ${processRssMb(stack.worker.child.pid!).peak.toFixed(0)} MB; stopping`);
      await Promise.all([stopProcess(stack.api), stopProcess(stack.worker)]);
      await client.connection.close();
      await orm.close();
      await smtp.close();
    },
  };
  return stack;
}

export function devEngine(address: string): Engine {
  return { name: 'dev server', short: 'dev', address, namespace: 'default', stop: async () => undefined };
}

/**
 * The Temporal server as in the production topology (test/topology): built from its Go module
 * (scripts/lib.sh ensure_temporal_server), every service in one process, persistence and visibility on
 * this PostgreSQL, its schema set up with the server's own sql tool, a namespace with obieg's search
 * attributes. No TLS here (the topology test covers it): the benchmark compares the engines.
 */
export async function startTemporalServer(pgBase: string, dir: string): Promise<Engine> {
  const need = (k: string) => {
    const v = process.env[k];
    if (!v) throw new Error(`${k} is not set: run the benchmark with scripts/bench.sh (npm run bench)`);
    return v;
  };
  const pg = new URL(pgBase);
  const suffix = 'bench';
  for (const [db, schema] of [
    [`temporal_${suffix}`, 'temporal'],
    [`temporal_visibility_${suffix}`, 'visibility'],
  ]) {
    await adminQuery(pgBase, `drop database if exists ${db} with (force)`);
    const sql = (...args: string[]) => run(need('TEMPORAL_SQL_TOOL'), ['--plugin', 'postgres12', '--ep', pg.hostname, '-p', pg.port, '-u', decodeURIComponent(pg.username), '--db', db, ...args]);
    await sql('create-database');
    await sql('setup-schema', '-v', '0.0');
    await sql('update-schema', '-d', join(need('TEMPORAL_SCHEMA_DIR'), schema, 'versioned'));
  }
  const ports: Record<string, number> = {};
  for (const k of ['frontend', 'frontendHttp', 'history', 'matching', 'worker', 'm1', 'm2', 'm3', 'm4']) ports[k] = await freePort(true);
  const store = (db: string, conns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${db}
        connectAddr: "${pg.hostname}:${pg.port}"
        connectProtocol: tcp
        user: ${decodeURIComponent(pg.username)}
        password: ""
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: 1h`;
  const svc = (grpc: number, membership: number, http?: number) => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${http ? `\n      httpPort: ${http}` : ''}`;
  const root = join(dir, 'temporal-server');
  mkdirSync(join(root, 'config'), { recursive: true });
  writeFileSync(
    join(root, 'config', 'development.yaml'),
    `
log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:${store(`temporal_${suffix}`, 20)}
    visibility:${store(`temporal_visibility_${suffix}`, 10)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
  frontend:${svc(ports.frontend, ports.m1, ports.frontendHttp)}
  history:${svc(ports.history, ports.m2)}
  matching:${svc(ports.matching, ports.m3)}
  worker:${svc(ports.worker, ports.m4)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: localhost:${ports.frontend}
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${root}/dynamicconfig.yaml
  pollInterval: 10s
`,
  );
  writeFileSync(join(root, 'dynamicconfig.yaml'), 'system.forceSearchAttributesCacheRefreshOnRead:\n  - value: true\n');
  const server = startProcess('temporal-server', dir, need('TEMPORAL_SERVER_BIN'), ['--root', root, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'], { PATH: process.env.PATH });
  const address = `127.0.0.1:${ports.frontend}`;
  let connection: Connection | null = null;
  await until(
    async () => {
      if (server.child.exitCode !== null) throw new Error(`the Temporal server exited:\n${tail(server)}`);
      try {
        const c = await Connection.connect({ address, connectTimeout: '2s' });
        await c.healthService.check({});
        connection = c;
        return true;
      } catch {
        return false;
      }
    },
    120_000,
    'the Temporal server',
    500,
  );
  const c = connection as unknown as Connection;
  const namespace = 'obieg-bench';
  await c.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') });
  await until(async () => !!(await c.workflowService.describeNamespace({ namespace }).catch(() => null)), 30_000, 'the namespace');
  const searchAttributes = Object.fromEntries(
    Object.values(SA).map((k) => [k.name, k.type === 'DATETIME' ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
  );
  await c.operatorService.addSearchAttributes({ namespace, searchAttributes });
  await c.close();
  return {
    name: 'Temporal server + PostgreSQL',
    short: 'server',
    address,
    namespace,
    async stop() {
      await stopProcess(server);
    },
  };
}
