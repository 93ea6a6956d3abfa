import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client as PgClient } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../../lib/config';
import { dataConverter } from '../../lib/temporal';
import { temporalConnectionOptions } from '../../lib/temporal-connection';
import { SA } from '../../workflows/messages';
import { CAMPAIGN_500_PLUS_2016, shiftCalendarDays } from '../../workflows/rules/csizs-campaign';
import { application, SCAN_PDF } from '../support/fixtures';
import { adminUrl } from '../support/db';
import { recipients } from '../support/smtp';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp';
import { eventually } from '../support/system';

// The production topology, for real on this machine (scripts/test.sh, part "topology"; OBIEG_TOPOLOGY=0
// skips it): the Temporal server built from its Go module, all its services in one process, persistence
// and visibility on PostgreSQL (schema set up with its sql tool), its frontend on TLS with client
// certificates (mTLS), a dedicated namespace with obieg's search attributes; obieg built with `npm run
// build` and run from dist as two worker and two API processes, configured as in docker-compose.yml
// (NODE_ENV=production, secrets as files, the first ministry account from db/bootstrap.js). Through the
// API: a registration end to end, and a CSIZS campaign for one voivodeship during which one worker is
// killed (SIGKILL); nothing is lost.

const ROOT = resolve(__dirname, '..', '..');
const run = promisify(execFile);
const need = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this part with scripts/test.sh (OBIEG_TOPOLOGY=1)`);
  return v;
};

const NAMESPACE = 'obieg-topology';
const TASK_QUEUE = 'obieg';
const VOIVODESHIP = '26';
const CAMPAIGN = 'csizs-topology';
const PAYLOAD_KEY = randomBytes(32).toString('base64');

interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
  exited: Promise<void>;
}

let dir: string;
let pgBase: URL;
let suffix: string;
let server: Proc | undefined;
let smtp: SmtpPeer;
const procs: Proc[] = [];
const apis: string[] = [];
let appEnv: NodeJS.ProcessEnv;
let appDb: PgClient;
let client: Client;
let ministryToken: string;
let admin26: string;

/** A free port; for the Temporal server below 32768 (it stores membership ports as a smallint). */
function freePort(low = false): Promise<number> {
  const want = low ? 20_000 + Math.floor(Math.random() * 12_000) : 0;
  return new Promise((ok) => {
    const s = createServer().listen(want, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => ok(port));
    });
    s.on('error', () => ok(freePort(low)));
  });
}

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const log = join(dir, `${name}.log`);
  const out = createWriteStream(log);
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return { name, child, log, exited };
}

const tail = (p: Proc, lines = 8) => {
  try {
    return readFileSync(p.log, 'utf8').trim().split('\n').slice(-lines).map((l) => l.slice(0, 400)).join('\n');
  } catch {
    return '(no log)';
  }
};

async function stop(p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  const killer = setTimeout(() => p.child.kill('SIGKILL'), 40_000);
  await p.exited;
  clearTimeout(killer);
}

/** openssl: a CA, the server's certificate (localhost) and a client certificate, in the test's temp dir. */
async function makeCertificates(tls: string): Promise<void> {
  mkdirSync(tls);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const ssl = (...args: string[]) => run('openssl', args, { cwd: tls });
  await ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=obieg topology test CA');
  writeFileSync(join(tls, 'server.ext'), 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n');
  writeFileSync(join(tls, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, subject] of [
    ['server', '/CN=localhost'],
    ['client', '/CN=obieg'],
  ]) {
    await ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    await ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  }
  // A second CA nobody trusts, for the refusal check.
  await ssl('req', '-x509', ...ec, '-keyout', 'other-ca.key', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=someone else');
}

async function admin<T>(fn: (c: PgClient) => Promise<T>): Promise<T> {
  const c = new PgClient({ connectionString: adminUrl(pgBase.toString()) });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Temporal's two databases, created and migrated with the server's own sql tool. */
async function setUpTemporalSchema(db: string, schema: string): Promise<void> {
  const sql = (...args: string[]) =>
    run(need('TEMPORAL_SQL_TOOL'), ['--plugin', 'postgres12', '--ep', pgBase.hostname, '-p', pgBase.port, '-u', decodeURIComponent(pgBase.username), '--db', db, ...args]);
  await sql('create-database');
  await sql('setup-schema', '-v', '0.0');
  await sql('update-schema', '-d', join(need('TEMPORAL_SCHEMA_DIR'), schema, 'versioned'));
}

function serverConfig(ports: Record<'frontend' | 'frontendHttp' | 'history' | 'matching' | 'worker' | 'm1' | 'm2' | 'm3' | 'm4', number>, tls: string): string {
  const store = (db: string, conns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${db}
        connectAddr: "${pgBase.hostname}:${pgBase.port}"
        connectProtocol: tcp
        user: ${decodeURIComponent(pgBase.username)}
        password: ""
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: 1h`;
  const svc = (grpc: number, membership: number, http?: number) => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${http ? `\n      httpPort: ${http}` : ''}`;
  return `
log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:${store(`temporal_${suffix}`, 10)}
    visibility:${store(`temporal_visibility_${suffix}`, 4)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
  tls:
    frontend:
      server:
        certFile: ${tls}/server.pem
        keyFile: ${tls}/server.key
        requireClientAuth: true
        clientCaFiles: [${tls}/ca.pem]
      client:
        serverName: localhost
        rootCaFiles: [${tls}/ca.pem]
    systemWorker:
      certFile: ${tls}/client.pem
      keyFile: ${tls}/client.key
      client:
        serverName: localhost
        rootCaFiles: [${tls}/ca.pem]
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
  filepath: ${dir}/temporal/dynamicconfig.yaml
  pollInterval: 10s
`;
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

async function http(base: string, method: string, path: string, opts: { token?: string; json?: unknown; form?: FormData; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(opts.token ? auth(opts.token) : {}), ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form) body = opts.form;
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, body: json as Record<string, unknown> & unknown[], headers: res.headers };
}

async function cli(args: string[], env: NodeJS.ProcessEnv = appEnv): Promise<string> {
  const { stdout } = await run('node', args, { cwd: ROOT, env });
  return stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'obieg-topology-'));
  pgBase = new URL(need('TEST_DATABASE_URL'));
  suffix = randomBytes(4).toString('hex');
  const tls = join(dir, 'tls');
  await makeCertificates(tls);

  // Temporal: its databases, then the server with every service in one process.
  await setUpTemporalSchema(`temporal_${suffix}`, 'temporal');
  await setUpTemporalSchema(`temporal_visibility_${suffix}`, 'visibility');
  const ports = {
    frontend: await freePort(true),
    frontendHttp: await freePort(true),
    history: await freePort(true),
    matching: await freePort(true),
    worker: await freePort(true),
    m1: await freePort(true),
    m2: await freePort(true),
    m3: await freePort(true),
    m4: await freePort(true),
  };
  mkdirSync(join(dir, 'temporal', 'config'), { recursive: true });
  writeFileSync(join(dir, 'temporal', 'config', 'development.yaml'), serverConfig(ports, tls));
  // Search attributes added now are visible to the next call, not after a cache refresh.
  writeFileSync(join(dir, 'temporal', 'dynamicconfig.yaml'), 'system.forceSearchAttributesCacheRefreshOnRead:\n  - value: true\n');
  server = start('temporal-server', need('TEMPORAL_SERVER_BIN'), ['--root', join(dir, 'temporal'), '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'], {
    PATH: process.env.PATH,
  });

  // obieg's configuration as the processes get it: secrets as files, Temporal over mTLS with an API key.
  const secret = (name: string, value: string) => {
    const file = join(dir, name);
    writeFileSync(file, `${value}\n`, { mode: 0o600 });
    return file;
  };
  const appDbName = `obieg_topology_${suffix}`;
  await admin((c) => c.query(`create database ${appDbName}`));
  const dbUrl = new URL(pgBase.toString());
  dbUrl.pathname = `/${appDbName}`;
  smtp = await startSmtpPeer();
  appEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DATABASE_URL_FILE: secret('database-url', dbUrl.toString()),
    PAYLOAD_KEY_FILE: secret('payload-key', PAYLOAD_KEY),
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.frontend}`,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    // As in docker-compose.yml: the campaign starters on a queue of their own (the CSIZS campaign below runs there).
    TEMPORAL_STARTS_TASK_QUEUE: `${TASK_QUEUE}-starts`,
    TEMPORAL_TLS_CA_FILE: join(tls, 'ca.pem'),
    TEMPORAL_TLS_CERT_FILE: join(tls, 'client.pem'),
    TEMPORAL_TLS_KEY_FILE: join(tls, 'client.key'),
    TEMPORAL_TLS_SERVER_NAME: 'localhost',
    // The open-source server checks no API key (it has no authorizer here); it proves the key travels
    // with TLS on and breaks nothing. A managed service checks it.
    TEMPORAL_API_KEY_FILE: secret('temporal-api-key', 'topology-api-key'),
    PUBLIC_URL: 'https://obieg.topology.test',
    SMTP_PORT: String(smtp.port),
    LOG_LEVEL: 'info',
  };

  const config = loadConfig(appEnv);
  const options = temporalConnectionOptions(config);
  const connection = await eventually(
    async () => {
      if (server!.child.exitCode !== null) throw new Error(`the Temporal server exited:\n${tail(server!)}`);
      const c = await Connection.connect({ ...options, connectTimeout: '2s' });
      await c.healthService.check({});
      return c;
    },
    90_000,
    'the Temporal server over TLS',
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${tail(server!)}`);
  });
  // The dedicated namespace and obieg's search attributes, as the compose namespace job does.
  await connection.workflowService.registerNamespace({ namespace: NAMESPACE, workflowExecutionRetentionPeriod: msToTs('3 days') });
  await eventually(async () => !!(await connection.workflowService.describeNamespace({ namespace: NAMESPACE })), 30_000, 'the namespace');
  const searchAttributes = Object.fromEntries(
    Object.values(SA).map((k) => [k.name, k.type === 'DATETIME' ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
  );
  await connection.operatorService.addSearchAttributes({ namespace: NAMESPACE, searchAttributes });
  client = new Client({ connection, namespace: NAMESPACE, dataConverter: dataConverter(PAYLOAD_KEY) });

  // obieg's database as the compose jobs set it up, and the first ministry account from its secret file.
  await cli(['dist/db/cli.js', 'migrate']);
  await cli(['dist/db/cli.js', 'import-reference']);
  const bootstrapEnv = {
    ...appEnv,
    BOOTSTRAP_LOGIN: 'm.kowalska',
    BOOTSTRAP_EMAIL: 'm.kowalska@mrips.example',
    BOOTSTRAP_FIRST_NAME: 'Maria',
    BOOTSTRAP_LAST_NAME: 'Kowalska',
    BOOTSTRAP_PASSWORD_FILE: secret('first-admin-password', 'Pierwsze!Haslo1'),
  };
  expect(await cli(['dist/db/bootstrap.js'], bootstrapEnv)).toContain('first ministry account m.kowalska created');
  expect(await cli(['dist/db/bootstrap.js'], bootstrapEnv)).toContain('nothing changed');
  await cli(['dist/db/cli.js', 'create-account', 'adm-topo-26', 'adm-topo-26@uw.example', 'Adam', 'Świętokrzyski', 'voivodeship_admin', VOIVODESHIP]);
  admin26 = (await cli(['dist/db/cli.js', 'create-token', 'adm-topo-26', 'topology'])).trim();
  appDb = new PgClient({ connectionString: dbUrl.toString() });
  await appDb.connect();
  // The administrator's own first sign-in (temporary password changed) is what the ministry account shows below.
  await appDb.query("update accounts set must_change_password = false where login = 'adm-topo-26'");

  // Two workers and two APIs, from dist.
  // Each worker serves its health and the SDK's metrics on ports of its own (two processes on one host).
  for (const i of [1, 2]) {
    const [health, metrics] = [await freePort(), await freePort()];
    procs.push(start(`worker-${i}`, 'node', ['dist/worker/main.js'], { ...appEnv, WORKER_HEALTH_ADDRESS: `127.0.0.1:${health}`, WORKER_METRICS_ADDRESS: `127.0.0.1:${metrics}` }));
  }
  for (const i of [1, 2]) {
    const port = await freePort();
    procs.push(start(`api-${i}`, 'node', ['dist/api/main.js'], { ...appEnv, API_PORT: String(port) }));
    apis.push(`http://127.0.0.1:${port}`);
  }
  const failed = () => procs.find((p) => p.child.exitCode !== null);
  for (const base of apis) {
    await eventually(
      async () => {
        const dead = failed();
        if (dead) throw new Error(`${dead.name} exited:\n${tail(dead)}`);
        return (await fetch(`${base}/readyz`).catch(() => null))?.status === 200;
      },
      90_000,
      `API ${base} ready`,
    );
  }
  // Both workers poll the namespace's task queue (each bundles the workflows at start).
  await eventually(
    async () => {
      const dead = failed();
      if (dead) throw new Error(`${dead.name} exited:\n${tail(dead)}`);
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: NAMESPACE,
        taskQueue: { name: TASK_QUEUE },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      });
      return new Set(pollers.map((p) => p.identity)).size >= 2;
    },
    120_000,
    'two workers polling',
  );
}, 400_000);

afterAll(async () => {
  const keep = process.env.OBIEG_TOPOLOGY_KEEP === '1';
  for (const p of procs) await stop(p).catch(() => undefined);
  await client?.connection.close().catch(() => undefined);
  if (server) await stop(server).catch(() => undefined);
  await appDb?.end().catch(() => undefined);
  await smtp?.close().catch(() => undefined);
  if (pgBase && suffix) {
    await admin(async (c) => {
      for (const db of [`temporal_${suffix}`, `temporal_visibility_${suffix}`, `obieg_topology_${suffix}`]) await c.query(`drop database if exists ${db} with (force)`);
    }).catch(() => undefined);
  }
  if (keep) console.log(`topology logs kept in ${dir}`);
  else if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

test('the Temporal frontend takes only TLS connections with a client certificate from the trusted CA', async () => {
  const base = temporalConnectionOptions(loadConfig(appEnv));
  const refused = async (opts: Parameters<typeof Connection.connect>[0]) => {
    const c = await Connection.connect({ ...opts, connectTimeout: '3s' }).catch((err: unknown) => err as Error);
    if (c instanceof Error) return true;
    const ok = await c.healthService.check({}, ).then(
      () => false,
      () => true,
    );
    await c.close();
    return ok;
  };
  expect(await refused({ address: base.address })).toBe(true);
  expect(await refused({ address: base.address, tls: { serverNameOverride: 'localhost', serverRootCACertificate: readFileSync(appEnv.TEMPORAL_TLS_CA_FILE!) } })).toBe(true);
  expect(await refused({ ...base, tls: { ...(base.tls || {}), serverRootCACertificate: readFileSync(join(dir, 'tls', 'other-ca.pem')) } })).toBe(true);
  expect(await refused(base)).toBe(false);
});

test('the first ministry account signs in with the password from its secret file, changes it and gets a token', async () => {
  const [a, b] = apis;
  const signIn = await http(a, 'POST', '/api/auth/login', { json: { login: 'm.kowalska', password: 'Pierwsze!Haslo1' } });
  expect(signIn.status).toBe(200);
  expect(signIn.body).toMatchObject({ login: 'm.kowalska', mustChangePassword: true });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
  const session = { Cookie: cookie, 'X-CSRF-Token': String(signIn.body.csrfToken) };
  // Nothing else before the password is changed; the session is the same on the other API replica.
  expect((await http(b, 'POST', '/api/tokens', { headers: session, json: { name: 'operator' } })).status).toBe(403);
  expect((await http(b, 'POST', '/api/auth/password', { headers: session, json: { currentPassword: 'Pierwsze!Haslo1', newPassword: 'Nowe#Haslo2026' } })).status).toBe(204);
  const created = await http(a, 'POST', '/api/tokens', { headers: session, json: { name: 'operator' } });
  expect(created.status).toBe(201);
  ministryToken = String(created.body.token);
  // The file's password opens nothing any more.
  expect((await http(b, 'POST', '/api/auth/login', { json: { login: 'm.kowalska', password: 'Pierwsze!Haslo1' } })).status).toBe(401);
});

test('a registration end to end through the two API replicas and the two workers', async () => {
  const [a, b] = apis;
  const app = application();
  const created = await http(a, 'POST', '/api/registrations', { json: app });
  expect(created.status).toBe(201);
  const caseId = String(created.body.id);
  let last: unknown;
  await eventually(async () => {
    const r = await http(b, 'GET', `/api/cases/${caseId}`, { token: admin26 });
    last = r.body;
    return r.status === 200 && r.body.status === 'awaiting_scan' && (r.body.mail as unknown[]).length === 1;
  }, 60_000, 'case awaiting scan').catch(async (err: unknown) => {
    const d = await client.workflow.getHandle(caseId).describe().catch((e: unknown) => e);
    throw new Error(`${String(err)}\ncase: ${JSON.stringify(last).slice(0, 800)}\nworkflow: ${JSON.stringify(d, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).slice(0, 1500)}\n${procs.map((p) => `${p.name}: ${tail(p, 4)}`).join('\n')}`);
  });
  const instructions = await smtp.waitFor((m) => m.subject?.startsWith('Formularz rejestracyjny do podpisu') ?? false, 30_000);
  expect(recipients(instructions)).toEqual([app.applicant.email]);
  // Links in mail point at the public address (the TLS proxy), not at a process.
  expect(instructions.text).not.toContain('127.0.0.1');

  const form = new FormData();
  form.append('channel', 'epuap');
  form.append('file', new Blob([SCAN_PDF], { type: 'application/pdf' }), 'skan.pdf');
  expect((await http(a, 'POST', `/api/cases/${caseId}/scans`, { token: admin26, form })).status).toBe(201);
  const task = await eventually(async () => {
    const r = await http(b, 'GET', '/api/tasks', { token: admin26 });
    return (r.body as { caseId: string; id: string }[]).find((t) => t.caseId === caseId);
  }, 60_000, 'decision task');
  const accepted = await http(a, 'POST', `/api/tasks/${task.id}/complete`, { token: admin26, json: { decision: 'accept' } });
  expect(accepted.status).toBe(200);
  expect(accepted.body.outcome).toBe('accepted');
  const credentials = await smtp.waitFor((m) => m.subject === 'Konto w Centralnej Aplikacji Statystycznej zostało utworzone', 60_000);
  expect(recipients(credentials)).toEqual([app.applicant.email]);
  const done = await eventually(async () => {
    const r = await http(b, 'GET', `/api/cases/${caseId}`, { token: admin26 });
    return r.body.status === 'accepted' && r.body.closedAt ? r.body : null;
  }, 60_000, 'case accepted');
  expect(done.statusLabel).toBe('Zaakceptowany — konto utworzone');
  // The history in Temporal is sealed: the applicant's name is nowhere in plain text.
  const history = JSON.stringify(await client.workflow.getHandle(caseId).fetchHistory());
  expect(history).not.toContain(app.applicant.lastName);
});

test('a CSIZS campaign for one voivodeship: a worker killed with SIGKILL mid-way, every unit started, none twice', async () => {
  const [a, b] = apis;
  const units = (await appDb.query<{ code: string }>("select code from units where kind = 'gmina' and voivodeship = $1 order by code", [VOIVODESHIP])).rows.map((r) => r.code);
  expect(units.length).toBeGreaterThan(50);
  const calendar = shiftCalendarDays(CAMPAIGN_500_PLUS_2016, Math.ceil((Date.now() - Date.UTC(2016, 2, 16)) / 86_400_000) + 365);
  const created = await http(a, 'POST', '/api/csizs-campaigns', { token: ministryToken, json: { id: CAMPAIGN, calendar, unitCodes: units } });
  expect(created.status).toBe(201);
  expect((await http(b, 'POST', `/api/csizs-campaigns/${CAMPAIGN}/start`, { token: ministryToken })).status).toBe(202);

  // The first connection workflows run: kill a worker while the rest are still being started.
  const started = async () => (await client.workflow.count(`WorkflowType = 'csizsConnectionWorkflow' AND WorkflowId STARTS_WITH 'csizs-${CAMPAIGN}-'`)).count;
  await eventually(async () => (await started()) > 0, 120_000, 'the first connection workflow started');
  const victim = procs.find((p) => p.name === 'worker-1')!;
  victim.child.kill('SIGKILL');
  await victim.exited;
  const atKill = await started();
  console.log(`worker-1 killed with ${atKill} of ${units.length} connection workflows started`);
  expect(atKill).toBeLessThan(units.length);

  let progress: unknown;
  await eventually(
    async () => {
      const r = await http(a, 'GET', `/api/csizs-campaigns/${CAMPAIGN}`, { token: ministryToken });
      progress = r.body;
      return r.body.status === 'started' && r.body.startedUnits === units.length && (await started()) === units.length;
    },
    240_000,
    'every unit started',
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}; last progress ${JSON.stringify(progress)}; ${String(atKill)} started at the kill`);
  });
  // One connection workflow per unit, none twice, all running.
  const ids = new Set<string>();
  for await (const w of client.workflow.list({ query: `WorkflowId STARTS_WITH 'csizs-${CAMPAIGN}-'` })) {
    if (w.type === 'csizsConnectionWorkflow') {
      expect(ids.has(w.workflowId)).toBe(false);
      ids.add(w.workflowId);
      expect(w.status.name).toBe('RUNNING');
      // The cases on the case queue; their starter (below) on the starters' queue.
      expect(w.taskQueue).toBe(TASK_QUEUE);
    } else if (w.type === 'csizsCampaignWorkflow') {
      expect(w.taskQueue).toBe(`${TASK_QUEUE}-starts`);
    }
  }
  expect(ids.size).toBe(units.length);
  const monitoring = await http(b, 'GET', `/api/csizs-campaigns/${CAMPAIGN}/monitoring`, { token: ministryToken });
  expect(monitoring.body.perVoivodeship).toEqual({ [VOIVODESHIP]: expect.objectContaining({ total: units.length }) });
  expect(monitoring.body.perStep).toMatchObject({ cas_report: units.length });
}, 360_000);
