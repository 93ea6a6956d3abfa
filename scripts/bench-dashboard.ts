// Benchmark (not a test): the dashboard case list and overview with 100,000 cases in the read model,
// 20 concurrent clients on loopback. Usage (after npm run build):
//   DATABASE_URL=postgres://…/obieg_bench node dist/scripts/bench-dashboard.js [cases=100000] [requests=2000]
// The database is emptied of cases first; it must be a throwaway one.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { hashToken } from '../api/auth';
import { ensureAccount } from '../db/demo';
import { migrate, openOrm } from '../db/orm';
import { importTerc } from '../db/reference';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';

const CASES = Number(process.argv[2] ?? 100_000);
const REQUESTS = Number(process.argv[3] ?? 2000);
const CLIENTS = 20;

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL must name a throwaway database');
  const orm = await openOrm(url, 30);
  await migrate(orm);
  await importTerc(orm);
  const em = orm.em.fork();
  await em.execute('truncate cases, case_events, tasks, sessions');
  const gminas = (await em.execute<{ code: string; voivodeship: string }[]>("select code, voivodeship from units where kind = 'gmina'"));
  const statuses = ['awaiting_scan', 'awaiting_decision', 'correction_requested', 'accepted', 'expired'];
  let t = Date.now();
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
  await em.execute('analyze');
  console.log(`seeded ${CASES} cases in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const sessions: Record<string, string> = {};
  for (const [login, role, voiv] of [['bench-ministry', 'ministry', null], ['bench-adm-14', 'voivodeship_admin', '14']] as const) {
    const id = await ensureAccount(orm, { login, firstName: 'B', lastName: 'B', role, voivodeship: voiv });
    const secret = randomBytes(32).toString('base64url');
    await em.execute('insert into sessions (id, account_id, csrf_token, created_at, last_seen_at) values (?, ?, ?, now(), now())', [hashToken(secret), id, randomUUID()]);
    sessions[login] = `obieg_session=${secret}`;
  }
  const config = loadConfig({ DATABASE_URL: url, PAYLOAD_KEY: Buffer.alloc(32, 1).toString('base64'), LOG_LEVEL: 'error' });
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const { app } = createApp({ orm, temporal, config, log: createLogger('bench', 'error') });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const lists = [
    '/sprawy?voivodeship=14&overdue=1',
    '/sprawy?status=awaiting_decision&sort=deadline&dir=asc',
    '/sprawy?q=Kielce',
    '/sprawy?waiting=office&page=3',
    '/sprawy?dueBefore=2026-12-31&voivodeship=24',
    '/sprawy?unit=1465',
  ];
  async function run(name: string, paths: string[], cookie: string, n: number) {
    const times: number[] = [];
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < n) {
          const path = paths[next++ % paths.length];
          const t0 = performance.now();
          const res = await fetch(base + path, { headers: { cookie } });
          await res.text();
          if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
          times.push(performance.now() - t0);
        }
      }),
    );
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
    console.log(`${name}: ${n} requests, ${CLIENTS} clients, ${(n / ((Date.now() - started) / 1000)).toFixed(0)} req/s, p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1 - 1e-9)} ms`);
  }
  await run('case list (ministry, filters)', lists, sessions['bench-ministry'], REQUESTS);
  await run('case list (voivodeship admin 14)', lists, sessions['bench-adm-14'], REQUESTS);
  await run('overview (ministry)', ['/przeglad', '/przeglad?type=registration'], sessions['bench-ministry'], Math.max(200, REQUESTS / 4));
  server.close();
  await orm.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
