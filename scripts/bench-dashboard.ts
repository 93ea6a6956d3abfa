// Benchmark (not a test): the dashboard case list and overview with 100,000 cases in the read model,
// 20 concurrent clients on loopback. Usage (after npm run build):
//   DATABASE_URL=postgres://…/obieg_bench node dist/scripts/bench-dashboard.js [cases=100000] [requests=2000] [--reuse]
// The database is emptied of cases first; it must be a throwaway one. With --reuse, cases seeded by an
// earlier run with the same count are kept (their deadlines are then relative to that run).
// The API runs in API_PROCESSES processes (default 1, as api/main.ts runs it) with API_NODE_OPTIONS as
// their node flags (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"); the clients in a thread of this process.
// Targets (issue 7): case list p95 < 100 ms, overview p95 < 300 ms.
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import cluster from 'node:cluster';
import { createServer, type AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { Client, Connection } from '@temporalio/client';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createApp } from '../api/app';
import { hashToken } from '../api/auth';
import { ensureAccount } from '../db/demo';
import { migrate, openOrm } from '../db/orm';
import { importTerc } from '../db/reference';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const REUSE = process.argv.includes('--reuse');
const CASES = Number(args[0] ?? 100_000);
const REQUESTS = Number(args[1] ?? 2000);
const CLIENTS = 20;
const API_PROCESSES = Number(process.env.API_PROCESSES ?? 1);

interface Result {
  name: string;
  target: number;
  n: number;
  rps: number;
  all: number[];
  byPath: Map<string, number[]>;
  apiMs: number;
  pgMs: number;
  otherMs: number;
}
const quantile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : v.toFixed(1)).padStart(7);
const stats = (times: number[]) => {
  const t = [...times].sort((a, b) => a - b);
  return `p50 ${ms(quantile(t, 0.5))}  p95 ${ms(quantile(t, 0.95))}  p99 ${ms(quantile(t, 0.99))}  max ${ms(t[t.length - 1])} ms`;
};

async function seed(em: EntityManager) {
  await em.execute('truncate cases, case_events, tasks, sessions');
  const gminas = (await em.execute<{ code: string; voivodeship: string }[]>("select code, voivodeship from units where kind = 'gmina'"));
  const statuses = ['awaiting_scan', 'awaiting_decision', 'correction_requested', 'accepted', 'expired'];
  const t = Date.now();
  for (let done = 0; done < CASES; done += 5000) {
    const batch = Array.from({ length: Math.min(5000, CASES - done) }, (_, i) => {
      const g = gminas[(done + i) % gminas.length];
      const status = statuses[(done + i) % statuses.length];
      const closed = status === 'accepted' || status === 'expired';
      const deadline = new Date(Date.now() + ((((done + i) * 7919) % 60) - 20) * 86_400_000);
      return { id: `bench-${done + i}`, type: 'registration', status, unit_code: g.code, voivodeship: g.voivodeship, title: `Rejestracja: jednostka ${g.code}`, waiting_for: closed ? null : 'Czeka na skan', deadline: closed ? null : deadline.toISOString(), closed: closed };
    });
    await em.execute(
      `insert into cases (id, type, status, unit_code, voivodeship, title, waiting_for, deadline, data, run_id, created_at, updated_at, closed_at)
       select id, type, status, unit_code, voivodeship, title, waiting_for, deadline, '{}'::jsonb, 'bench', now(), now() - (random() * interval '90 days'), case when closed then now() end
       from json_to_recordset(?::json) as t(id text, type text, status text, unit_code text, voivodeship text, title text, waiting_for text, deadline timestamptz, closed boolean)`,
      [JSON.stringify(batch)],
    );
    await em.execute(
      `insert into tasks (id, case_id, kind, title, role, voivodeship, unit_code, due_at, status, created_at)
       select c.id || ':task', c.id, 'registration-decision', 'Decyzja', 'voivodeship_admin', c.voivodeship, c.unit_code, c.deadline, 'open', now()
       from cases c where c.status = 'awaiting_decision' and c.id = any(select id from json_to_recordset(?::json) as t(id text))`,
      [JSON.stringify(batch.map((b) => ({ id: b.id })))],
    );
  }
  // As autovacuum would leave them: statistics and the visibility map (index-only scans).
  await em.execute('vacuum analyze');
  console.log(`seeded ${CASES} cases in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

/** CPU milliseconds used so far by the PostgreSQL server's processes, when it runs on this machine. */
async function postgresProcesses(em: EntityManager): Promise<() => number> {
  try {
    const [{ dir }] = await em.execute<{ dir: string }[]>("select current_setting('data_directory') as dir");
    const postmaster = Number(readFileSync(`${dir}/postmaster.pid`, 'utf8').split('\n')[0]);
    const tick = 1000 / 100; // USER_HZ
    const stat = (pid: string) => {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return text.slice(text.lastIndexOf(')') + 2).split(' ');
    };
    return () => {
      let total = 0;
      for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
        try {
          const f = stat(pid); // f[1] is ppid; utime, stime, cutime, cstime are fields 14-17 (f[11..14])
          if (Number(pid) === postmaster || Number(f[1]) === postmaster) total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * tick;
        } catch {
          // the process ended meanwhile
        }
      }
      return total;
    };
  } catch {
    return () => NaN;
  }
}

/** CPU milliseconds used so far by a process (all its threads). */
const processCpu = (pid: number | 'self' = 'self') => cpuOf(`/proc/${pid}/stat`);
function cpuOf(statFile: string): number {
  try {
    const text = readFileSync(statFile, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * The load generator: `clients` loops fetching `paths` in turn until `n` requests are done, each over
 * its own keep-alive connection as a browser holds one. It runs in a thread of its own and speaks just
 * enough HTTP/1.1 (a GET, a response with Content-Length), like wrk, because it shares the machine's two
 * cores with the API and PostgreSQL; its CPU is printed as "rest".
 */
const CLIENT_THREAD = `
const net = require('node:net');
const { parentPort, workerData: d } = require('node:worker_threads');
const { hostname, port } = new URL(d.base);
const timed = [];
let next = 0;
function client() {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port), noDelay: true });
    let buf = Buffer.alloc(0), need = -1, path = '', t0 = 0;
    const send = () => {
      if (next >= d.n) { socket.end(); return resolve(); }
      path = d.paths[next++ % d.paths.length];
      t0 = performance.now();
      socket.write('GET ' + path + ' HTTP/1.1\\r\\nHost: ' + hostname + '\\r\\nCookie: ' + d.cookie + '\\r\\n\\r\\n');
    };
    socket.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      if (need < 0) {
        const end = buf.indexOf('\\r\\n\\r\\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        const status = Number(head.slice(9, 12));
        const length = /\\r\\ncontent-length: *(\\d+)/i.exec(head);
        if (status !== 200 || !length) return reject(new Error(path + ': ' + status + (length ? '' : ' without Content-Length')));
        need = end + 4 + Number(length[1]);
      }
      if (buf.length < need) return;
      timed.push([path, performance.now() - t0]);
      buf = buf.subarray(need);
      need = -1;
      send();
    });
    socket.on('error', reject);
    socket.on('connect', send);
  });
}
Promise.all(Array.from({ length: d.clients }, client)).then(() => parentPort.postMessage(timed), (err) => { throw err; });
`;

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL must name a throwaway database');
  // The API's own pool size (DATABASE_POOL_MAX, default 10), as in production.
  const config = loadConfig({ DATABASE_URL: url, DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX, PAYLOAD_KEY: Buffer.alloc(32, 1).toString('base64'), LOG_LEVEL: 'error' });
  const orm = await openOrm(url, config.DATABASE_POOL_MAX);
  console.log(`${API_PROCESSES} API processes, each with a pool of ${config.DATABASE_POOL_MAX} connections`);
  await migrate(orm);
  await importTerc(orm);
  const em = orm.em.fork();
  const [{ seeded }] = await em.execute<{ seeded: number }[]>("select count(*)::int as seeded from cases where id like 'bench-%'");
  const [{ others }] = await em.execute<{ others: number }[]>("select count(*)::int as others from cases where id not like 'bench-%'");
  if (REUSE && seeded === CASES && others === 0) console.log(`reusing ${CASES} seeded cases`);
  else await seed(em);
  await em.execute('delete from sessions');

  const sessions: Record<string, string> = {};
  for (const [login, role, voiv] of [['bench-ministry', 'ministry', null], ['bench-adm-14', 'voivodeship_admin', '14']] as const) {
    const id = await ensureAccount(orm, { login, firstName: 'B', lastName: 'B', role, voivodeship: voiv });
    const secret = randomBytes(32).toString('base64url');
    await em.execute('insert into sessions (id, account_id, csrf_token, created_at, last_seen_at) values (?, ?, ?, now(), now())', [hashToken(secret), id, randomUUID()]);
    sessions[login] = `obieg_session=${secret}`;
  }
  // The API in API_PROCESSES processes sharing one port, as api/main.ts runs it.
  const port = await freePort();
  // API_NODE_OPTIONS: flags for the API processes' node, e.g. "--max-semi-space-size=32".
  cluster.setupPrimary({ execArgv: (process.env.API_NODE_OPTIONS ?? '').split(' ').filter(Boolean) });
  const workers = Array.from({ length: API_PROCESSES }, () => cluster.fork({ BENCH_API_PORT: String(port), DATABASE_URL: url, DATABASE_POOL_MAX: String(config.DATABASE_POOL_MAX) }));
  await Promise.all(workers.map((w) => new Promise((resolve, reject) => (w.once('message', resolve), w.once('exit', () => reject(new Error('API process ended')))))));
  const base = `http://127.0.0.1:${port}`;
  const apiCpu = () => workers.reduce((sum, w) => sum + processCpu(w.process.pid!), 0);

  const lists = [
    '/sprawy?voivodeship=14&overdue=1',
    '/sprawy?status=awaiting_decision&sort=deadline&dir=asc',
    '/sprawy?q=Kielce',
    '/sprawy?waiting=office&page=3',
    '/sprawy?dueBefore=2026-12-31&voivodeship=24',
    '/sprawy?unit=1465',
  ];
  const pg = await postgresProcesses(em);
  async function run(name: string, target: number, paths: string[], cookie: string, n: number): Promise<Result> {
    // The clients run in their own thread, as browsers would: the API's event loop serves requests only.
    const api0 = apiCpu();
    const rest0 = processCpu();
    const pg0 = pg();
    const started = performance.now();
    const timed = await new Promise<[string, number][]>((resolve, reject) => {
      const w = new Worker(CLIENT_THREAD, { eval: true, workerData: { base, paths, cookie, n, clients: CLIENTS } });
      w.once('message', resolve);
      w.once('error', reject);
    });
    const wall = performance.now() - started;
    const apiMs = apiCpu() - api0;
    const otherMs = processCpu() - rest0;
    const pgMs = pg() - pg0;
    const all = timed.map(([, t]) => t);
    const byPath = new Map(paths.map((p) => [p, [] as number[]]));
    for (const [path, t] of timed) byPath.get(path)!.push(t);
    const r = { name, target, n, rps: n / (wall / 1000), all, byPath, apiMs: apiMs / n, pgMs: pgMs / n, otherMs: otherMs / n };
    console.log(`\n${name}: ${n} requests, ${CLIENTS} clients, ${r.rps.toFixed(0)} req/s; per request: API processes CPU ${r.apiMs.toFixed(2)} ms, PostgreSQL CPU ${Number.isNaN(r.pgMs) ? 'n/a' : `${r.pgMs.toFixed(2)} ms`}, load generator ${r.otherMs.toFixed(2)} ms`);
    for (const [path, times] of byPath) console.log(`  ${path.padEnd(56)} ${stats(times)}`);
    console.log(`  ${'all'.padEnd(56)} ${stats(all)}`);
    return r;
  }
  // Warm-up (JIT, plans, caches), not measured.
  await run('warm-up', 1e9, [...lists, '/przeglad'], sessions['bench-ministry'], 500);
  await run('warm-up', 1e9, [...lists, '/przeglad'], sessions['bench-adm-14'], 500);
  const results = [
    await run('case list (ministry, filters)', 100, lists, sessions['bench-ministry'], REQUESTS),
    await run('case list (voivodeship admin 14)', 100, lists, sessions['bench-adm-14'], REQUESTS),
    await run('overview (ministry)', 300, ['/przeglad', '/przeglad?type=registration'], sessions['bench-ministry'], Math.max(200, REQUESTS / 4)),
    await run('overview (voivodeship admin 14)', 300, ['/przeglad', '/przeglad?type=registration'], sessions['bench-adm-14'], Math.max(200, REQUESTS / 4)),
  ];
  console.log(`\n==== dashboard benchmark: ${CASES} cases, ${CLIENTS} concurrent clients, loopback, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs ====`);
  console.log(`${'endpoint'.padEnd(34)} ${'req/s'.padStart(6)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)}  ${'API/req'.padStart(7)} ${'PG/req'.padStart(7)} ${'rest/req'.padStart(8)}  target p95`);
  for (const r of results) {
    const t = [...r.all].sort((a, b) => a - b);
    const p95 = quantile(t, 0.95);
    console.log(`${r.name.padEnd(34)} ${r.rps.toFixed(0).padStart(6)} ${ms(quantile(t, 0.5))} ${ms(p95)} ${ms(quantile(t, 0.99))}  ${ms(r.apiMs)} ${ms(r.pgMs)} ${ms(r.otherMs).padStart(8)}  < ${r.target} ms ${p95 < r.target ? 'ok' : 'MISSED'}`);
  }
  console.log('(ms; API/req: CPU of the API processes per request; PG/req: CPU of the PostgreSQL server processes per request;');
  console.log(' rest/req: CPU of the benchmark process per request: the load generator thread of 20 clients)');
  // A clean exit, so that node flags such as --cpu-prof write their files.
  await Promise.all(workers.map((w) => new Promise((r) => (w.once('exit', r), w.send('stop')))));
  await orm.close();
}

/** An API process of the benchmark: the app on the shared port, without Temporal (pages only read). */
async function serveApi() {
  const config = loadConfig({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX, PAYLOAD_KEY: Buffer.alloc(32, 1).toString('base64'), LOG_LEVEL: 'error' });
  const orm = await openOrm(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const { app } = createApp({ orm, temporal, config, log: createLogger('bench', 'error') });
  app.listen(Number(process.env.BENCH_API_PORT), '127.0.0.1', () => process.send!('ready'));
  process.on('message', (m) => m === 'stop' && process.exit(0));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

(cluster.isPrimary ? main() : serveApi()).catch((err) => {
  console.error(err);
  process.exit(1);
});
