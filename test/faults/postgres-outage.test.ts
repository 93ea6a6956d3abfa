import { recipients } from '../support/smtp';
import { application } from '../support/fixtures';
import { eventually, startSystem, TEST_PAYLOAD_KEY, type TestSystem } from '../support/system';
import { startOwnPostgres, type OwnPostgres } from './support/postgres';
import { freePort, startProcess, waitForStatus, workersPolling, type Proc } from './support/processes';

// Fault b (issue 14 item 6): PostgreSQL (a cluster of this test's own) is stopped for 30 s while a client
// sends registrations to a real API process and a real worker process works on them. During the outage the
// API answers 503 with Retry-After (never 500) and /readyz 503; after it, /readyz is 200 again, the client's
// repeats get their cases, a repeat of any registration gets the same case, and nothing is lost: every case
// awaits its scan with one run, one mail at the SMTP peer and no mark for attention.

const OUTAGE_MS = 30_000;
let pg: OwnPostgres;
let sys: TestSystem;
let api: Proc;
let worker: Proc;
let port: number;

beforeAll(async () => {
  pg = await startOwnPostgres();
  sys = await startSystem({ inProcessWorker: false, db: pg.db });
  port = await freePort();
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: sys.db.url,
    DATABASE_POOL_MAX: '4',
    TEMPORAL_ADDRESS: sys.env.address,
    TEMPORAL_TASK_QUEUE: sys.config.TEMPORAL_TASK_QUEUE,
    PAYLOAD_KEY: TEST_PAYLOAD_KEY,
    SMTP_PORT: String(sys.smtp.port),
    LOG_LEVEL: 'error',
  };
  api = startProcess('api/main.ts', { ...env, API_PORT: String(port) });
  worker = startProcess('worker/main.ts', env, { group: true });
  await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200, 90_000, api);
  await workersPolling(sys.client, sys.config.TEMPORAL_TASK_QUEUE, [worker], 120_000);
}, 240_000);
afterAll(async () => {
  await api?.kill('SIGKILL');
  await worker?.kill('SIGKILL');
  await sys?.close();
});

interface Answer {
  email: string;
  status: number;
  retryAfter: string | null;
  code?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('PostgreSQL stopped for 30 s: 503 with Retry-After, never 500; /readyz 503 then 200; nothing lost, repeats give the same case', async () => {
  const base = `http://127.0.0.1:${port}`;
  const answers: Answer[] = [];
  const post = async (email: string) => {
    const r = await fetch(`${base}/api/registrations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(application({ email })) });
    const body = (await r.json().catch(() => null)) as { id?: string; created?: boolean; error?: { code: string } } | null;
    answers.push({ email, status: r.status, retryAfter: r.headers.get('retry-after'), code: body?.error?.code });
    return { status: r.status, body, retryAfter: r.headers.get('retry-after') };
  };
  /** A client as the API asks: on 503 it waits Retry-After seconds and sends the same request again. */
  const register = async (email: string): Promise<string> => {
    const until = Date.now() + 180_000;
    for (;;) {
      const r = await post(email);
      if (r.status === 200 || r.status === 201) return r.body!.id!;
      if (r.status !== 503 || Date.now() > until) throw new Error(`${email}: ${r.status} ${JSON.stringify(r.body)}`);
      await sleep(Number(r.retryAfter ?? 1) * 1000);
    }
  };

  // /readyz, polled throughout.
  const ready: { status: number; postgres?: boolean; at: number }[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const r = await fetch(`${base}/readyz`).catch(() => null);
      const body = (await r?.json().catch(() => null)) as { checks?: { postgres?: { ok: boolean } } } | null;
      ready.push({ status: r?.status ?? 0, postgres: body?.checks?.postgres?.ok, at: Date.now() });
      await sleep(1000);
    }
  })();

  const emails: string[] = [];
  const results: Promise<string>[] = [];
  const send = (n: number) => {
    const email = `pg.${n}@mopr.kielce.example`;
    emails.push(email);
    results.push(register(email));
  };
  for (let i = 0; i < 4; i++) send(emails.length);
  await sleep(2000);

  await pg.stop();
  const stoppedAt = Date.now();
  // Registrations keep coming during the outage.
  while (Date.now() - stoppedAt < OUTAGE_MS) {
    send(emails.length);
    await sleep(4000);
  }
  // pg_ctl returns a moment after the server accepts connections: a /readyz answered
  // after this instant may already see PostgreSQL back.
  const startingAt = Date.now();
  await pg.start();
  for (let i = 0; i < 2; i++) send(emails.length);

  const ids = await Promise.all(results);
  expect(new Set(ids).size).toBe(emails.length);
  await eventually(async () => ready[ready.length - 1]?.status === 200, 30_000, '/readyz 200 after the outage');
  polling = false;
  await poller;

  console.log(`PostgreSQL down ${OUTAGE_MS / 1000} s: ${emails.length} registrations, ${answers.filter((a) => a.status === 503).length} answers 503, /readyz ${ready.map((r) => r.status).join(' ')}`);
  // Honest answers: 503 with Retry-After during the outage, nothing else but 200 and 201, never a 500.
  const unavailable = answers.filter((a) => a.status === 503);
  expect(unavailable.length).toBeGreaterThan(0);
  expect(unavailable.filter((a) => !/^\d+$/.test(a.retryAfter ?? '') || a.code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
  expect(answers.filter((a) => ![200, 201, 503].includes(a.status))).toEqual([]);
  // /readyz: ready, then 503 naming PostgreSQL while it is down, then ready again.
  expect(ready.some((r) => r.at < stoppedAt && r.status === 200)).toBe(true);
  const during = ready.filter((r) => r.at > stoppedAt + 1000 && r.at < startingAt);
  expect(during.length).toBeGreaterThan(0);
  expect(during.filter((r) => r.status !== 503 || r.postgres !== false)).toEqual([]);
  expect(ready[ready.length - 1].status).toBe(200);

  // Repeating any registration now gives the same case, never a second one.
  for (const [i, email] of emails.entries()) {
    const again = await post(email);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: ids[i], created: false });
  }

  // Nothing lost: every case awaits its scan, unmarked, with one run and one mail.
  const em = sys.db.orm.em.fork();
  await eventually(async () => {
    if (worker.child.exitCode !== null) throw new Error(`the worker exited:\n${worker.output()}`);
    const [r] = await em.execute<{ n: number }[]>(`select count(*)::int as n from cases where id in (?) and status = 'awaiting_scan' and attention_reason is null`, [ids]);
    return r.n === ids.length;
  }, 300_000, 'every case awaiting its scan').catch(async (err: unknown) => {
    const states = await em.execute(`select status, attention_reason, count(*)::int as n from cases group by 1, 2`);
    throw new Error(`${String(err)}: ${JSON.stringify(states)}\n${worker.output().slice(-3000)}`);
  });
  const [all] = await em.execute<{ n: number }[]>(`select count(*)::int as n from cases`);
  expect(all.n).toBe(ids.length);
  for (const id of ids) {
    const runs: string[] = [];
    for await (const w of sys.client.workflow.list({ query: `WorkflowId = '${id}'` })) runs.push(w.runId);
    expect(runs).toHaveLength(1);
  }
  await eventually(async () => sys.smtp.messages.length >= emails.length, 60_000, 'every mail');
  for (const email of emails) expect(sys.smtp.messages.filter((m) => recipients(m).includes(email))).toHaveLength(1);
  expect(sys.smtp.messages).toHaveLength(emails.length);
}, 600_000);
