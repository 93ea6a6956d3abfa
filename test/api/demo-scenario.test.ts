import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoAccounts, demoUnitAccounts, ensureAccount, ensureDemoPassword, issueToken } from '../../db/demo';
import { registrationCaseId } from '../../api/registration/routes';
import { reportWorkflowId } from '../../workflows/messages';
import { currentQuarter, DEMO_CSIZS, DEMO_CSIZS_UNITS, DEMO_FORM, DEMO_REGISTRATIONS, DEMO_REPORT_STATES, fillDemo } from '../../scripts/demo-scenario';
import { verifyPassword } from '../../lib/passwords';
import { startSystem, type TestSystem } from '../support/system';

// The living demo of `npm start`, filled through the HTTP API of a running system (real worker, dev
// server, PostgreSQL, SMTP, Chromium): every stage it promises is there, and filling it again adds nothing.

let sys: TestSystem;
let server: Server;
let base: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  sys = await startSystem();
  server = createServer(sys.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const a of [...demoAccounts(), ...demoUnitAccounts()]) {
    await ensureAccount(sys.db.orm, a);
    tokens[a.login] = await issueToken(sys.db.orm, a.login, 'demo');
  }
}, 120_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await sys?.close();
});

const get = async (path: string, as = 'ministerstwo') => {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${tokens[as]}` } });
  expect(res.status).toBe(200);
  return res.json();
};

/** What a second fill must not add to. */
async function footprint() {
  const [row] = await sys.db.orm.em
    .fork()
    .getConnection()
    .execute(
      `select (select count(*)::int from cases) as cases, (select count(*)::int from tasks) as tasks, (select count(*)::int from documents) as documents,
         (select count(*)::int from report_drafts) as drafts, (select count(*)::int from report_versions) as versions, (select count(*)::int from report_data_requests) as data_requests,
         (select count(*)::int from csizs_calls) as calls, (select count(*)::int from csizs_campaigns) as csizs_campaigns, (select count(*)::int from report_campaigns) as report_campaigns`,
    );
  return row;
}

test('the demo has registrations at every stage, a permission request, reports in each state and a CSIZS campaign part-way; a second fill adds nothing', async () => {
  const lines: string[] = [];
  await fillDemo({ base, tokens, log: (l) => lines.push(l) });
  expect(lines).toHaveLength(4);

  for (const r of DEMO_REGISTRATIONS) {
    const c = await get(`/api/cases/${registrationCaseId(r.unit, r.email)}`, 'adm-woj-26');
    expect({ unit: r.unit, status: c.status }).toEqual({ unit: r.unit, status: r.stage });
  }
  const permissions = await get('/api/cases?type=permission&unit=2661011');
  expect(permissions.items).toHaveLength(1);

  const period = currentQuarter();
  for (const [unit, state] of Object.entries(DEMO_REPORT_STATES)) {
    const r = await get(`/api/reports/${encodeURIComponent(reportWorkflowId(DEMO_FORM, period, unit))}`);
    expect({ unit, status: r.status }).toEqual({ unit, status: state });
  }

  const m = await get(`/api/csizs-campaigns/${DEMO_CSIZS}/monitoring`);
  expect(m.perStep.local_admin).toBe(3);
  expect(m.lateUnits.map((u: { unitCode: string }) => u.unitCode).sort()).toEqual(DEMO_CSIZS_UNITS.filter((u) => !['2661011', '2601013', '2601043'].includes(u)).sort());
  expect(m.callLists.checkpoint_1).toHaveLength(DEMO_CSIZS_UNITS.length);
  expect(m.callLists.checkpoint_1.filter((r: { calls: number }) => r.calls > 0)).toHaveLength(2);

  const before = await footprint();
  await fillDemo({ base, tokens });
  expect(await footprint()).toEqual(before);
}, 1_200_000);

test('demo passwords: set once, kept on the next start, never over a password the person chose', async () => {
  const orm = sys.db.orm;
  const first = await ensureDemoPassword(orm, 'kier-2661011', undefined);
  expect(first).toBeTruthy();
  expect(await ensureDemoPassword(orm, 'kier-2661011', first!)).toBe(first);
  const [{ password_hash }] = await orm.em.fork().getConnection().execute("select password_hash from accounts where login = 'kier-2661011'");
  expect(await verifyPassword(password_hash, first!)).toBe(true);
  await orm.em.fork().getConnection().execute("update accounts set password_hash = 'wybrane-przez-osobe' where login = 'kier-2661011'");
  expect(await ensureDemoPassword(orm, 'kier-2661011', first!)).toBeNull();
});
