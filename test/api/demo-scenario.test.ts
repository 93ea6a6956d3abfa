import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoAccounts, demoUnitAccounts, ensureAccount, ensureDemoPassword, issueToken } from '../../db/demo';
import { registrationCaseId } from '../../api/registration/routes';
import { reportWorkflowId } from '../../workflows/messages';
import { csizsConnectionWorkflowId } from '../../workflows/messages';
import { CSIZS_DONE_FIRST_STEP, currentQuarter, DEMO_CSIZS, DEMO_CSIZS_UNITS, DEMO_FORM, DEMO_REGISTRATIONS, DEMO_REPORT_STATES, fillDemo, type DemoTarget } from '../../scripts/demo-scenario';
import { verifyPassword } from '../../lib/passwords';
import { startSystem, type TestSystem } from '../support/system';

// The living demo of `npm start`, filled through the HTTP API of a running system (real worker, dev
// server, PostgreSQL, SMTP, Chromium): every stage it promises is there, the accepted applicant signs in
// with what their mail says, filling it again adds nothing, and none of it happens in production.

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

/** The test's SMTP peer as the applicant's mailbox. */
const mailbox: NonNullable<DemoTarget['mailbox']> = async (to) =>
  sys.smtp.messages
    .filter((m) => [m.to ?? []].flat().some((a) => a.value.some((v) => v.address?.toLowerCase() === to.toLowerCase())))
    .map((m) => ({ subject: m.subject ?? '', text: m.text ?? '' }));

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
         (select count(*)::int from csizs_calls) as calls, (select count(*)::int from csizs_campaigns) as csizs_campaigns, (select count(*)::int from report_campaigns) as report_campaigns,
         (select count(*)::int from accounts) as accounts, (select count(*)::int from role_assignments) as roles, (select count(*)::int from outbox) as mails,
         (select count(*)::int from case_events) as events, (select count(*)::int from receipts) as receipts`,
    );
  return row;
}

test('the demo has registrations at every stage, a permission request, reports in each state and a CSIZS campaign part-way; a second fill adds nothing', async () => {
  const lines: string[] = [];
  const summary = await fillDemo({ base, tokens, mailbox, log: (l) => lines.push(l) });
  expect(lines).toHaveLength(4);

  for (const r of DEMO_REGISTRATIONS) {
    const c = await get(`/api/cases/${registrationCaseId(r.unit, r.email)}`, 'adm-woj-26');
    expect({ unit: r.unit, status: c.status }).toEqual({ unit: r.unit, status: r.stage });
  }
  // The decided registrations: the accepted applicant signs in with the mailed temporary password (and is
  // asked for a new one); the rejected one waits for a corrected scan with the reason on its case.
  expect(summary.applicants.map((a) => a.unit)).toEqual(['2601072']);
  const [applicant] = summary.applicants;
  const signIn = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: applicant.login, password: applicant.temporaryPassword }) });
  expect(signIn.status).toBe(200);
  expect(await signIn.json()).toMatchObject({ login: applicant.login, mustChangePassword: true });
  const permissions = await get('/api/cases?type=permission&unit=2661011');
  expect(permissions.items).toHaveLength(1);

  const period = currentQuarter();
  for (const [unit, state] of Object.entries(DEMO_REPORT_STATES)) {
    const r = await get(`/api/reports/${encodeURIComponent(reportWorkflowId(DEMO_FORM, period, unit))}`);
    expect({ unit, status: r.status }).toEqual({ unit, status: state });
  }

  // The CSIZS campaign on a version-2 plan (seed 004's order): Kielce past its installation, at the
  // notification (Załącznik 2) with the form to sign generated; two units at the local administrator; the
  // other seven late with their first step.
  const [{ plan }] = await sys.db.orm.em.fork().getConnection().execute(`select plan from csizs_campaigns where id = '${DEMO_CSIZS}'`);
  expect(plan.version).toBe(2);
  const order = plan.steps.map((s: { step: string }) => s.step);
  expect(order.indexOf('notification')).toBe(order.indexOf('installation') + 1);
  const m = await get(`/api/csizs-campaigns/${DEMO_CSIZS}/monitoring`);
  expect(m.perStep.notification).toBe(1);
  expect(m.perStep.local_admin).toBe(2);
  const kielce = await get(`/api/csizs-campaigns/${DEMO_CSIZS}/units/2661011`, 'kier-2661011');
  expect(kielce).toMatchObject({ campaign: { planVersion: 2 }, currentStep: 'notification', notificationStatus: 'awaiting_scan' });
  expect(kielce.steps.filter((s: { doneAt: string | null }) => s.doneAt).map((s: { step: string }) => s.step)).toEqual(['cas_report', 'local_admin', 'infrastructure', 'installation']);
  const [{ n: notifications }] = await sys.db.orm.em.fork().getConnection().execute(
    `select count(*)::int as n from documents where case_id = '${csizsConnectionWorkflowId(DEMO_CSIZS, '2661011')}' and kind = 'csizs-notification'`,
  );
  expect(notifications).toBe(1);
  expect(m.lateUnits.map((u: { unitCode: string }) => u.unitCode).sort()).toEqual(DEMO_CSIZS_UNITS.filter((u) => !CSIZS_DONE_FIRST_STEP.includes(u)).sort());
  expect(m.callLists.checkpoint_1).toHaveLength(DEMO_CSIZS_UNITS.length);
  expect(m.callLists.checkpoint_1.filter((r: { calls: number }) => r.calls > 0)).toHaveLength(2);

  const before = await footprint();
  expect(await fillDemo({ base, tokens, mailbox })).toEqual(summary);
  expect(await footprint()).toEqual(before);
}, 1_200_000);

test('in production the demo scenario and demo passwords are refused, before anything is made', async () => {
  const before = await footprint();
  await expect(fillDemo({ base, tokens, mailbox, env: { NODE_ENV: 'production' } })).rejects.toThrow('the demo scenario is for development only (NODE_ENV=production)');
  await expect(ensureDemoPassword(sys.db.orm, 'ladm-2661011', undefined, { NODE_ENV: 'production' })).rejects.toThrow('a demo password is for development only (NODE_ENV=production)');
  expect(await footprint()).toEqual(before);
  const [{ password_hash }] = await sys.db.orm.em.fork().getConnection().execute("select password_hash from accounts where login = 'ladm-2661011'");
  expect(password_hash).toBeNull();
});

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
