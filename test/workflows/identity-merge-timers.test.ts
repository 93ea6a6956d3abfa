import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { issueToken } from '../../db/demo';
import { getIdentityMergeStatus } from '../../workflows/messages';
import { recipients } from '../support/smtp';
import { eventually, startSystem, type TestSystem } from '../support/system';

// The confirmation deadline (MERGE_CONFIRMATION_DAYS, 14 by default) in the time-skipping test server.

const DAY = 24 * 60 * 60 * 1000;
let sys: TestSystem;

beforeAll(async () => {
  sys = await startSystem({ timeSkipping: true });
});
afterAll(async () => {
  await sys?.close();
});

// Raw rows, loosely typed: each assertion names the columns it reads.
const q = (sql: string, params: unknown[] = []): Promise<any[]> => sys.db.orm.em.fork().getConnection().execute(sql, params);

async function person(login: string, unitCode: string, area: string) {
  const id = randomUUID();
  const email = `${login}@jednostka.example`;
  await q(
    `insert into accounts (id, login, email, first_name, last_name, must_change_password, password_changed_at, status, created_at, updated_at)
     values (?, ?, ?, 'Piotr', 'Zieliński', false, now(), 'active', now(), now())`,
    [id, login, email],
  );
  await q("insert into role_assignments (id, account_id, role, voivodeship, unit_code, area, created_at) values (?, ?, 'staff', '26', ?, ?, now())", [randomUUID(), id, unitCode, area]);
  return { id, login, email, token: await issueToken(sys.db.orm, login, 'test') };
}

async function ask(survivor: { token: string }, otherLogin: string): Promise<string> {
  const res = await request(sys.app).post('/api/identity-merges').set({ Authorization: `Bearer ${survivor.token}` }).send({ otherLogin }).expect(201);
  const handle = sys.client.workflow.getHandle(res.body.id);
  await eventually(async () => {
    const [row] = await q('select status from cases where id = ?', [res.body.id]);
    return row?.status === 'awaiting_confirmation' && (await handle.query(getIdentityMergeStatus)).deadline !== null;
  }, 30_000, 'awaiting confirmation');
  return res.body.id;
}

test('without confirmation the request expires after 14 days and both accounts are told', async () => {
  const a = await person('pzielinski', '2661011', 'PS');
  const b = await person('pzielinski-um', '2661011', 'SR');
  const id = await ask(a, b.login);
  const handle = sys.client.workflow.getHandle(id);
  const { deadline } = await handle.query(getIdentityMergeStatus);
  const started = (await handle.describe()).startTime.getTime();
  expect(Math.round((Date.parse(deadline!) - started) / DAY)).toBe(14);

  await sys.env.sleep(13 * DAY);
  expect((await handle.query(getIdentityMergeStatus)).status).toBe('awaiting_confirmation');

  await sys.env.sleep(1 * DAY + 60_000);
  expect((await handle.result()).status).toBe('expired');
  for (const p of [a, b]) {
    const mail = await sys.smtp.waitFor((m) => (m.subject ?? '').startsWith('Wniosek o scalenie kont wygasł') && recipients(m).includes(p.email));
    expect(mail.text).toContain('nie potwierdziło scalenia');
  }
  const [row] = await q('select status, closed_at from cases where id = ?', [id]);
  expect(row.status).toBe('expired');
  expect(row.closed_at).not.toBeNull();
  const events = await q('select type from case_events where case_id = ? order by at, id', [id]);
  expect(events.map((e) => e.type)).toEqual(['case_opened', 'mail_sent', 'mail_sent', 'mail_sent', 'merge_expired']);
  // Nothing was merged, and a late confirmation is refused.
  const [bRow] = await q('select status from accounts where id = ?', [b.id]);
  expect(bRow.status).toBe('active');
  const late = await request(sys.app).post(`/api/identity-merges/${id}/confirm`).set({ Authorization: `Bearer ${b.token}` }).expect(409);
  expect(late.body.error.code).toBe('MERGE_NOT_AWAITING_CONFIRMATION');
});

test('a confirmation on day 10 stops the expiry; the case then waits for the administrator however long it takes', async () => {
  const a = await person('kwrona', '2661011', 'PS');
  const b = await person('kwrona-um', '2661011', 'FA');
  const id = await ask(a, b.login);
  const handle = sys.client.workflow.getHandle(id);

  await sys.env.sleep(10 * DAY);
  await request(sys.app).post(`/api/identity-merges/${id}/confirm`).set({ Authorization: `Bearer ${b.token}` }).expect(200);
  await sys.env.sleep(40 * DAY);
  const status = await handle.query(getIdentityMergeStatus);
  expect(status).toMatchObject({ status: 'awaiting_approval', confirmedBy: b.login, deadline: null });
  expect(status.openTaskId).toBeTruthy();
  const [row] = await q('select status, closed_at from cases where id = ?', [id]);
  expect(row).toEqual({ status: 'awaiting_approval', closed_at: null });
  expect(sys.smtp.messages.filter((m) => (m.subject ?? '').includes('wygasł') && recipients(m).includes(a.email))).toEqual([]);
});
