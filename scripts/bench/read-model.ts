import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { MikroORM } from '@mikro-orm/postgresql';
import { hashToken } from '../../api/auth';
import { ensureAccount } from '../../db/demo';
import { migrate, openOrm } from '../../db/orm';
import { importTerc } from '../../db/reference';
import { freshDatabase, PAYLOAD_KEY } from './stack';
import { f1, freePort, int, log, processCpuMs, quantile, startProcess, stopProcess, tail, treeCpuMs, until, type Proc, type Row, type Settings } from './util';

// Part 3: the dashboard case list (the six filter mixes of the former bench-dashboard) and the overview
// at 100,000 and at 1,000,000 cases in the read model, 20 clients on keep-alive connections against the
// API process (node dist/api/main.js, as production runs it), as the ministry and as a voivodeship
// administrator. Rows are made with set-based SQL (generate_series), not through workflows; the summary
// triggers run as they would for real writes. CPU per request: the API process's and PostgreSQL's.
// Afterwards each page is requested once more with auto_explain on, so that the EXPLAIN (ANALYZE,
// BUFFERS) of every statement it runs is kept with the figures.

export const LISTS = [
  '/sprawy?voivodeship=14&overdue=1',
  '/sprawy?status=awaiting_decision&sort=deadline&dir=asc',
  '/sprawy?q=Kielce',
  '/sprawy?waiting=office&page=3',
  '/sprawy?dueBefore=2026-12-31&voivodeship=24',
  '/sprawy?unit=1465',
];
export const OVERVIEWS = ['/przeglad', '/przeglad?type=registration'];
const CLIENTS = 20;

export interface Explain {
  cases: number;
  role: string;
  path: string;
  plans: string[];
}

/** Adds cases [from, to) as the old dashboard benchmark made them, in statements of 100,000 rows. */
async function seed(orm: MikroORM, from: number, to: number): Promise<void> {
  const em = orm.em.fork();
  for (let a = from; a < to; a += 100_000) {
    const b = Math.min(to, a + 100_000);
    await em.execute(
      `with g as (select code, voivodeship, (row_number() over (order by code) - 1)::int as k from units where kind = 'gmina'),
            n as (select count(*)::int as n from g)
       insert into cases (id, type, status, unit_code, voivodeship, title, waiting_for, deadline, data, run_id, created_at, updated_at, closed_at)
       select 'bench-' || i, 'registration', (array['awaiting_scan','awaiting_decision','correction_requested','accepted','expired'])[i % 5 + 1],
              g.code, g.voivodeship, 'Rejestracja: jednostka ' || g.code,
              case when i % 5 >= 3 then null else 'Czeka na skan' end,
              case when i % 5 >= 3 then null else now() + (((i::bigint * 7919) % 60) - 20) * interval '1 day' end,
              '{}'::jsonb, 'bench', now(), now() - random() * interval '90 days', case when i % 5 >= 3 then now() end
       from generate_series(?::int, ?::int) i, n join g on true where g.k = i % n.n`,
      [a, b - 1],
    );
    await em.execute(
      `insert into tasks (id, case_id, kind, title, role, voivodeship, unit_code, due_at, status, created_at)
       select c.id || ':task', c.id, 'registration-decision', 'Decyzja', 'voivodeship_admin', c.voivodeship, c.unit_code, c.deadline, 'open', now()
       from generate_series(?::int, ?::int) i join cases c on c.id = 'bench-' || i where i % 5 = 1`,
      [a, b - 1],
    );
  }
  // As autovacuum would leave them: statistics and the visibility map (index-only scans).
  await em.execute('vacuum analyze');
}

/**
 * The load generator: `clients` loops fetching `paths` in turn until `n` requests are done, each over its
 * own keep-alive connection as a browser holds one, in a thread of its own, speaking just enough HTTP/1.1.
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

function load(base: string, paths: string[], cookie: string, n: number): Promise<[string, number][]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(CLIENT_THREAD, { eval: true, workerData: { base, paths, cookie, n, clients: CLIENTS } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

export async function readModel(settings: Settings, pgBase: string, temporalAddress: string, dir: string, command: string): Promise<{ rows: Row[]; explains: Explain[] }> {
  const dbName = 'obieg_bench_read';
  const dbUrl = await freshDatabase(pgBase, dbName);
  const orm = await openOrm(dbUrl, 4);
  const em = () => orm.em.fork().getConnection();
  await migrate(orm);
  await importTerc(orm);
  const [{ dir: dataDir }] = await em().execute<{ dir: string }[]>("select current_setting('data_directory') as dir");
  const postmaster = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  const pgLog = process.env.BENCH_PG_LOG ?? `${dataDir}/server.log`;

  const cookies: Record<string, string> = {};
  for (const [login, role, voiv] of [
    ['bench-ministry', 'ministry', null],
    ['bench-adm-14', 'voivodeship_admin', '14'],
  ] as const) {
    const id = await ensureAccount(orm, { login, firstName: 'B', lastName: 'B', role, voivodeship: voiv });
    const secret = randomBytes(32).toString('base64url');
    await em().execute('insert into sessions (id, account_id, csrf_token, created_at, last_seen_at) values (?, ?, ?, now(), now())', [hashToken(secret), id, randomUUID()]);
    cookies[login] = `obieg_session=${secret}`;
  }
  const startApi = async (name: string): Promise<{ proc: Proc; base: string }> => {
    const port = await freePort();
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: dbUrl,
      PAYLOAD_KEY,
      TEMPORAL_ADDRESS: temporalAddress,
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      LOG_LEVEL: 'error',
      MAX_ACTIVE_SESSIONS: '100000',
    };
    const proc = startProcess(name, dir, process.execPath, ['dist/api/main.js'], env);
    const base = `http://127.0.0.1:${port}`;
    await until(
      async () => {
        if (proc.child.exitCode !== null) throw new Error(`the API exited:\n${tail(proc)}`);
        return fetch(`${base}/readyz`).then((r) => r.ok, () => false);
      },
      60_000,
      'the read-model API',
    );
    return { proc, base };
  };

  const rows: Row[] = [];
  const explains: Explain[] = [];
  let seeded = 0;
  for (const size of settings.readModelSizes) {
    log(`3: seeding cases ${int(seeded)}..${int(size)} with generate_series`);
    const t = performance.now();
    await seed(orm, seeded, size);
    seeded = size;
    log(`3: ${int(size)} cases seeded (${f1((performance.now() - t) / 1000)} s)`);
    const { proc, base } = await startApi(`api-read-${size}`);
    const pid = proc.child.pid!;
    const run = async (name: string, paths: string[], login: string, n: number) => {
      const api0 = processCpuMs(pid);
      const pg0 = treeCpuMs(postmaster);
      const self0 = processCpuMs('self');
      const started = performance.now();
      const timed = await load(base, paths, cookies[login], n);
      const wall = performance.now() - started;
      const all = timed.map(([, ms]) => ms);
      return {
        name,
        all,
        rps: n / (wall / 1000),
        apiMs: (processCpuMs(pid) - api0) / n,
        pgMs: (treeCpuMs(postmaster) - pg0) / n,
        genMs: (processCpuMs('self') - self0) / n,
        byPath: Object.fromEntries(paths.map((p) => [p, quantile(timed.filter(([q]) => q === p).map(([, ms]) => ms), 0.95)])),
      };
    };
    // Warm-up (JIT, plans, caches), not measured.
    for (const login of Object.keys(cookies)) await run('warm-up', [...LISTS, ...OVERVIEWS], login, 400);
    const n = settings.readModelRequests;
    const cases = [
      ['case list', 'ministry', LISTS, 'bench-ministry', n],
      ['case list', 'voivodeship administrator 14', LISTS, 'bench-adm-14', n],
      ['overview', 'ministry', OVERVIEWS, 'bench-ministry', Math.max(200, n / 4)],
      ['overview', 'voivodeship administrator 14', OVERVIEWS, 'bench-adm-14', Math.max(200, n / 4)],
    ] as const;
    const last = size === Math.max(...settings.readModelSizes);
    for (const [what, who, paths, login, count] of cases) {
      log(`3: ${int(size)} cases: ${what} (${who}), ${int(count)} requests`);
      const r = await run(`${what} (${who})`, [...paths], login, count);
      const p95 = quantile(r.all, 0.95);
      const worst = Object.entries(r.byPath).sort((a, b) => b[1] - a[1])[0];
      rows.push({
        id: `3${String.fromCharCode(97 + rows.length)}`,
        part: '3 Read model',
        engine: '—',
        figure: `${what[0].toUpperCase()}${what.slice(1)} at ${int(size)} cases, ${who}, ${CLIENTS} clients: p50 / p95 / p99`,
        measured: `${f1(quantile(r.all, 0.5))} / ${f1(p95)} / ${f1(quantile(r.all, 0.99))} ms (${f1(r.rps)} req/s)`,
        reference: `CPU per request: API ${f1(r.apiMs)} ms, PostgreSQL ${f1(r.pgMs)} ms, load generator ${f1(r.genMs)} ms; slowest page p95 ${f1(worst[1])} ms ${worst[0]}`,
        ratio: '—',
        target: last ? 'p95 < 50 ms' : '(p95 < 50 ms at 1,000,000)',
        pass: last ? p95 < 50 : null,
        command,
        values: { cases: size, requests: count, p50: quantile(r.all, 0.5), p95, p99: quantile(r.all, 0.99), rps: r.rps, apiCpuMs: r.apiMs, pgCpuMs: r.pgMs, generatorCpuMs: r.genMs, ...Object.fromEntries(Object.entries(r.byPath).map(([p, v]) => [`p95 ${p}`, v])) },
      });
    }
    await stopProcess(proc);

    // EXPLAIN (ANALYZE, BUFFERS) of every statement each page runs, through auto_explain in a fresh API process.
    log(`3: ${int(size)} cases: EXPLAIN (ANALYZE, BUFFERS) of each page's statements`);
    const settingsSql = [
      "session_preload_libraries = 'auto_explain'",
      'auto_explain.log_min_duration = 0',
      'auto_explain.log_analyze = on',
      'auto_explain.log_buffers = on',
      'auto_explain.log_nested_statements = on',
    ];
    for (const s of settingsSql) await em().execute(`alter database ${dbName} set ${s}`);
    const explainer = await startApi(`api-explain-${size}`);
    for (const [login, role] of [
      ['bench-ministry', 'ministry'],
      ['bench-adm-14', 'voivodeship administrator 14'],
    ]) {
      for (const path of [...LISTS, ...OVERVIEWS]) {
        // One request first: the session and the pool's connections are warm when the plans are taken.
        await fetch(explainer.base + path, { headers: { cookie: cookies[login] } }).then((r) => r.text());
        const from = statSync(pgLog).size;
        const res = await fetch(explainer.base + path, { headers: { cookie: cookies[login] } });
        await res.text();
        await new Promise((r) => setTimeout(r, 300));
        const text = readFileSync(pgLog).subarray(from).toString('utf8');
        const plans = text
          .split(/\n(?=\S)/)
          .filter((e) => /LOG: {2}duration: [\d.]+ ms {2}plan:/.test(e))
          .map((e) => e.replace(/^.*?LOG: {2}/, '').replace(/\n\t/g, '\n  ').trim());
        explains.push({ cases: size, role, path, plans });
      }
    }
    await stopProcess(explainer.proc);
    await em().execute(`alter database ${dbName} reset all`);
  }
  await orm.close();
  return { rows, explains };
}
