import { application } from '../support/fixtures';
import { recipients } from '../support/smtp';
import { eventually, startSystem, TEST_PAYLOAD_KEY, type TestSystem } from '../support/system';
import { freePort, startProcess, waitForStatus, type Proc } from './support/processes';

// Fault d (issue 14 item 6): the API is a real process, killed (SIGKILL, mid-request) and started again while
// a client sends registrations and repeats each one until it gets an answer, as the API tells clients
// to. Every registration ends as exactly one case, with one workflow run and one mail.

const N = 12;
let sys: TestSystem;
let api: Proc | null = null;
let port: number;

beforeAll(async () => {
  sys = await startSystem();
  port = await freePort();
});
afterAll(async () => {
  await api?.kill('SIGTERM');
  await sys?.close();
});

function startApi(): Proc {
  return startProcess('api/main.ts', {
    NODE_ENV: 'test',
    DATABASE_URL: sys.db.url,
    DATABASE_POOL_MAX: '4',
    TEMPORAL_ADDRESS: sys.env.address,
    TEMPORAL_TASK_QUEUE: sys.config.TEMPORAL_TASK_QUEUE,
    PAYLOAD_KEY: TEST_PAYLOAD_KEY,
    SMTP_PORT: String(sys.smtp.port),
    API_PORT: String(port),
    LOG_LEVEL: 'error',
  });
}

/** Sends the registration until it gets an answer that is not a failure of the service: 200 or 201. */
async function register(email: string, log: string[]): Promise<string> {
  for (let attempt = 1; attempt <= 600; attempt++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/registrations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(application({ email })) });
      if (r.status === 200 || r.status === 201) return ((await r.json()) as { id: string }).id;
      log.push(`${email}: ${r.status}`);
      if (r.status < 500) throw new Error(`${email}: refused with ${r.status} ${await r.text()}`);
    } catch (err) {
      if (err instanceof Error && err.message.includes('refused with')) throw err;
      log.push(`${email}: ${err instanceof Error ? err.message : String(err)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${email}: no answer after 600 attempts`);
}

test('killed and restarted mid-traffic: each repeated registration is one case, one run, one mail', async () => {
  api = startApi();
  await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200, 60_000, api);
  const emails = Array.from({ length: N }, (_, i) => `restart.${i}@mopr.kielce.example`);
  const log: string[] = [];
  const results: Promise<string>[] = [];
  for (const [i, email] of emails.entries()) {
    results.push(register(email, log));
    if (i === 3 || i === 8) {
      // Kill it while requests are in flight, then start it again.
      await new Promise((r) => setTimeout(r, 50));
      await api.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 500));
      api = startApi();
    }
    await new Promise((r) => setTimeout(r, 60));
  }
  const ids = await Promise.all(results);
  expect(new Set(ids).size).toBe(N);
  // The client did see the outage (a test that saw none would prove nothing).
  expect(log.length).toBeGreaterThan(0);

  const em = sys.db.orm.em.fork();
  await eventually(async () => {
    const rows = await em.execute<{ n: number }[]>(`select count(*)::int as n from cases where id in (?) and status = 'awaiting_scan'`, [ids]);
    return rows[0].n === N;
  }, 120_000, 'every case awaiting its scan');
  const rows = await em.execute<{ n: number }[]>(`select count(*)::int as n from cases where id in (?)`, [ids]);
  expect(rows[0].n).toBe(N);
  for (const id of ids) {
    const runs: string[] = [];
    for await (const w of sys.client.workflow.list({ query: `WorkflowId = '${id}'` })) runs.push(w.runId);
    expect(runs).toHaveLength(1);
  }
  await eventually(async () => sys.smtp.messages.filter((m) => recipients(m).some((r) => emails.includes(r))).length >= N, 60_000, 'every mail');
  for (const email of emails) expect(sys.smtp.messages.filter((m) => recipients(m).includes(email))).toHaveLength(1);
});
