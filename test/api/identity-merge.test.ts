import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { WorkflowNotFoundError } from '@temporalio/common';
import { issueToken } from '../../db/demo';
import { hashPassword } from '../../lib/passwords';
import { identityMergeWorkflowId } from '../../workflows/messages';
import { tokenFor } from '../support/fixtures';
import { recipients } from '../support/smtp';
import { eventually, startSystem, type TestSystem } from '../support/system';

// Identity merge as people do it, through the HTTP API against the real Temporal dev server, real
// PostgreSQL and a real SMTP peer: one person with an account in the MOPR (PS) and one in the municipal
// office (SR) asks to merge them; the second account confirms as itself; the administrator approves.

let sys: TestSystem;
let admin26: string;
let admin12: string;
let ministry: string;
const PASSWORD = 'Dobre#Haslo2026';

beforeAll(async () => {
  sys = await startSystem();
  admin26 = await tokenFor(sys.db.orm, 'adm-woj-26', 'voivodeship_admin', '26');
  admin12 = await tokenFor(sys.db.orm, 'adm-woj-12', 'voivodeship_admin', '12');
  ministry = await tokenFor(sys.db.orm, 'ministerstwo', 'ministry', null);
});
afterAll(async () => {
  await sys?.close();
});

// Raw rows, loosely typed: each assertion names the columns it reads.
const q = (sql: string, params: unknown[] = []): Promise<any[]> => sys.db.orm.em.fork().getConnection().execute(sql, params);
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

interface Person {
  id: string;
  login: string;
  email: string;
  token: string;
}

/** An active account with a password, the given assignments (in this order) and an API token. */
async function person(login: string, assignments: { role?: string; voivodeship: string | null; unitCode: string | null; area: string | null }[], status = 'active'): Promise<Person> {
  const id = randomUUID();
  const email = `${login}@jednostka.example`;
  await q(
    `insert into accounts (id, login, email, first_name, last_name, password_hash, must_change_password, password_changed_at, status, created_at, updated_at)
     values (?, ?, ?, 'Joanna', 'Kowalska', ?, false, now(), ?, now(), now())`,
    [id, login, email, await hashPassword(PASSWORD), status],
  );
  for (const a of assignments) {
    await q('insert into role_assignments (id, account_id, role, voivodeship, unit_code, area, created_at) values (?, ?, ?, ?, ?, ?, clock_timestamp())', [
      randomUUID(), id, a.role ?? 'staff', a.voivodeship, a.unitCode, a.area,
    ]);
  }
  return { id, login, email, token: await issueToken(sys.db.orm, login, 'test') };
}

async function signIn(login: string) {
  const res = await request(sys.app).post('/api/auth/login').send({ login, password: PASSWORD });
  return { res, cookie: res.headers['set-cookie']?.[0]?.split(';')[0] as string, csrf: res.body.csrfToken as string };
}

async function caseOf(id: string, token: string, pred: (c: { status: string; closedAt: string | null; mail: unknown[] }) => boolean, what: string) {
  return eventually(async () => {
    const r = await request(sys.app).get(`/api/cases/${encodeURIComponent(id)}`).set(auth(token));
    return r.status === 200 && pred(r.body) ? r.body : null;
  }, 30_000, what);
}

async function openTask(caseId: string, token: string) {
  return eventually(async () => {
    const r = await request(sys.app).get('/api/tasks').set(auth(token));
    return (r.body as { id: string; caseId: string; kind: string }[]).find((t) => t.caseId === caseId);
  }, 30_000, 'approval task');
}

const rolesOf = async (accountId: string) =>
  q('select role, voivodeship, unit_code, area from role_assignments where account_id = ? order by unit_code, area', [accountId]);

test('two accounts of one person: request, confirmation by the other account itself, approval, merge', async () => {
  const a = await person('jkowalska', [{ voivodeship: '26', unitCode: '2661011', area: 'PS' }]);
  // The municipal account also holds the MOPR's PS role: it is not doubled on the survivor.
  const b = await person('jkowalska-um', [{ voivodeship: '26', unitCode: '2661021', area: 'SR' }, { voivodeship: '26', unitCode: '2661011', area: 'PS' }]);
  const third = await person('inna-osoba', [{ voivodeship: '12', unitCode: '1261011', area: 'PS' }]);
  // B's past work: an event in another case and a task it completed.
  await q(
    `insert into cases (id, type, status, unit_code, voivodeship, title, data, run_id, created_at, updated_at)
     values ('historia-b', 'registration', 'accepted', '2661021', '26', 'Sprawa z historią konta B', '{}', 'r', now(), now())`,
  );
  await q(`insert into case_events (case_id, at, actor, type, message, data, idempotency_key) values ('historia-b', now(), ?, 'note', 'Działanie konta B', '{}', 'historia-b:1')`, [b.login]);
  await q(`insert into tasks (id, case_id, kind, title, role, status, completed_by, created_at) values ('historia-b:t', 'historia-b', 'x', 'Zadanie', 'staff', 'completed', ?, now())`, [b.login]);
  const bSession = await signIn(b.login);
  expect(bSession.res.status).toBe(200);

  const created = await request(sys.app).post('/api/identity-merges').set(auth(a.token)).send({ otherLogin: b.login }).expect(201);
  const caseId: string = created.body.id;
  expect(caseId).toBe(`identity-merge-${a.id}-${b.id}`);
  expect(created.body).toMatchObject({ created: true, status: 'awaiting_confirmation' });

  // Asking again finds the open case.
  const again = await request(sys.app).post('/api/identity-merges').set(auth(a.token)).send({ otherLogin: b.login }).expect(200);
  expect(again.body).toMatchObject({ id: caseId, created: false });

  const waiting = await caseOf(caseId, a.token, (c) => c.status === 'awaiting_confirmation' && c.mail.length === 1, 'awaiting confirmation');
  expect(waiting).toMatchObject({ type: 'identity-merge', voivodeship: '26', unit: { code: '2661011' }, statusLabel: 'Oczekuje na potwierdzenie drugiego konta' });
  expect(waiting.waitingFor).toContain('potwierdzenie scalenia przez drugie konto');
  expect(Math.round((Date.parse(waiting.deadlines[0].at) - Date.parse(waiting.createdAt)) / 86_400_000)).toBe(14);
  const confirmMail = await sys.smtp.waitFor((m) => m.subject === `Potwierdź scalenie kont: ${b.login} → ${a.login}`);
  expect(recipients(confirmMail)).toEqual([b.email]);
  expect(confirmMail.text).toContain(`zaloguj się jako ${b.login}`);

  // Both accounts follow the case; a stranger neither sees nor confirms it.
  await request(sys.app).get(`/api/cases/${caseId}`).set(auth(b.token)).expect(200);
  await request(sys.app).get(`/api/cases/${caseId}`).set(auth(third.token)).expect(403);
  await request(sys.app).post(`/api/identity-merges/${caseId}/confirm`).set(auth(third.token)).expect(403);
  // The survivor's request is its confirmation; it cannot confirm for the other account.
  await request(sys.app).post(`/api/identity-merges/${caseId}/confirm`).set(auth(a.token)).expect(403);
  // Signed in as itself, B confirms (a session needs its CSRF token).
  await request(sys.app).post(`/api/identity-merges/${caseId}/confirm`).set('Cookie', bSession.cookie).expect(403);
  const confirmed = await request(sys.app).post(`/api/identity-merges/${caseId}/confirm`).set('Cookie', bSession.cookie).set('X-CSRF-Token', bSession.csrf).expect(200);
  expect(confirmed.body).toEqual({ caseId, status: 'awaiting_approval' });
  const twice = await request(sys.app).post(`/api/identity-merges/${caseId}/confirm`).set('Cookie', bSession.cookie).set('X-CSRF-Token', bSession.csrf).expect(409);
  expect(twice.body.error.code).toBe('MERGE_NOT_AWAITING_CONFIRMATION');

  // The voivodeship administrator of the survivor's voivodeship approves; another voivodeship may not.
  const task = await openTask(caseId, admin26);
  expect(task).toMatchObject({ kind: 'identity-merge-approval', role: 'voivodeship_admin', voivodeship: '26' });
  expect((await request(sys.app).get('/api/tasks').set(auth(admin12))).body).toEqual([]);
  await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin12)).send({ decision: 'accept' }).expect(403);
  const approved = await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin26)).send({ decision: 'accept' }).expect(200);
  expect(approved.body).toMatchObject({ outcome: 'accepted', caseStatus: 'merged' });

  const done = await caseOf(caseId, a.token, (c) => c.status === 'merged' && !!c.closedAt, 'merged');
  expect(done.statusLabel).toBe('Konta scalone');
  expect(done.waitingFor).toBeNull();
  expect(done.tasks.map((t: { outcome: string; completedBy: string }) => [t.outcome, t.completedBy])).toEqual([['accepted', 'adm-woj-26']]);
  const history = done.history.map((e: { type: string; actor: string }) => `${e.type}:${e.actor}`);
  expect(history).toEqual([
    `case_opened:${a.login}`,
    'mail_sent:system',
    `merge_confirmed:${b.login}`, // the merge case keeps who confirmed
    'merge_approved:adm-woj-26',
    'accounts_merged:system',
    'mail_sent:system',
    'mail_sent:system',
    'case_closed:system',
  ]);

  // A now holds both roles, once each; B holds none, is merged into A and is shut out everywhere.
  expect(await rolesOf(a.id)).toEqual([
    { role: 'staff', voivodeship: '26', unit_code: '2661011', area: 'PS' },
    { role: 'staff', voivodeship: '26', unit_code: '2661021', area: 'SR' },
  ]);
  expect(await rolesOf(b.id)).toEqual([]);
  const [bRow] = await q('select status, merged_into from accounts where id = ?', [b.id]);
  expect(bRow).toEqual({ status: 'merged', merged_into: a.id });
  await request(sys.app).get('/api/me').set(auth(b.token)).expect(401);
  await request(sys.app).get('/api/me').set('Cookie', bSession.cookie).expect(401);
  const bLogin = await request(sys.app).post('/api/auth/login').send({ login: b.login, password: PASSWORD }).expect(401);
  expect(bLogin.body.error.message).toBe('Błędny login lub hasło');
  const me = await request(sys.app).get('/api/me').set(auth(a.token)).expect(200);
  expect(me.body.assignments).toHaveLength(2);

  // B's past work is now A's.
  expect(await q("select actor from case_events where case_id = 'historia-b'")).toEqual([{ actor: a.login }]);
  expect(await q("select completed_by from tasks where id = 'historia-b:t'")).toEqual([{ completed_by: a.login }]);

  // Both accounts are told.
  for (const p of [a, b]) {
    const mail = await sys.smtp.waitFor((m) => m.subject === `Konta zostały scalone: ${b.login} → ${a.login}` && recipients(m).includes(p.email));
    expect(mail.text).toContain(`loguj się wyłącznie jako ${a.login}`);
  }

  // A merged account is no longer a valid partner for a merge.
  const later = await request(sys.app).post('/api/identity-merges').set(auth(third.token)).send({ otherLogin: b.login }).expect(422);
  expect(later.body.error.code).toBe('UNKNOWN_ACCOUNT');
});

test('rejection with a reason: both accounts are told why and nothing changes; an account takes part in one merge at a time', async () => {
  const c = await person('mnowak', [{ voivodeship: '26', unitCode: '2604011', area: 'PS' }]);
  const d = await person('mnowak-gmina', [{ voivodeship: '26', unitCode: '2604012', area: 'FA' }]);
  const e = await person('mnowak-pcpr', [{ voivodeship: '26', unitCode: '2604', area: 'WRiSPZ' }]);

  const created = await request(sys.app).post('/api/identity-merges').set(auth(c.token)).send({ otherLogin: d.login }).expect(201);
  const caseId: string = created.body.id;
  await caseOf(caseId, c.token, (x) => x.status === 'awaiting_confirmation', 'awaiting confirmation');
  for (const [who, other] of [[e, d], [e, c], [d, c]] as const) {
    const busy = await request(sys.app).post('/api/identity-merges').set(auth(who.token)).send({ otherLogin: other.login }).expect(409);
    expect(busy.body.error.code).toBe('MERGE_ALREADY_OPEN');
  }

  await request(sys.app).post(`/api/identity-merges/${caseId}/confirm`).set(auth(d.token)).expect(200);
  const task = await openTask(caseId, admin26);
  const noReason = await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin26)).send({ decision: 'reject' }).expect(400);
  expect(noReason.body.error.details[0].path).toBe('body.reason');
  const rejected = await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin26)).send({ decision: 'reject', reason: 'Konta należą do dwóch różnych osób' }).expect(200);
  expect(rejected.body).toMatchObject({ outcome: 'rejected', caseStatus: 'rejected' });
  await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin26)).send({ decision: 'accept' }).expect(409);

  const done = await caseOf(caseId, c.token, (x) => x.status === 'rejected' && !!x.closedAt, 'rejected');
  expect(done.statusLabel).toBe('Odrzucony');
  for (const p of [c, d]) {
    const mail = await sys.smtp.waitFor((m) => (m.subject ?? '').startsWith('Wniosek o scalenie kont został odrzucony') && recipients(m).includes(p.email));
    expect(mail.text).toContain('Powód: Konta należą do dwóch różnych osób');
  }
  expect(await rolesOf(d.id)).toEqual([{ role: 'staff', voivodeship: '26', unit_code: '2604012', area: 'FA' }]);
  await request(sys.app).get('/api/me').set(auth(d.token)).expect(200);
  const [dRow] = await q('select status, merged_into from accounts where id = ?', [d.id]);
  expect(dRow).toEqual({ status: 'active', merged_into: null });
  // A closed case takes no confirmation; once its run has ended, the pair may ask again.
  await request(sys.app).post(`/api/identity-merges/${caseId}/confirm`).set(auth(d.token)).expect(409);
  expect((await sys.client.workflow.getHandle(caseId).result()).status).toBe('rejected');
  const anew = await request(sys.app).post('/api/identity-merges').set(auth(c.token)).send({ otherLogin: d.login }).expect(201);
  expect(anew.body.id).toBe(caseId);
  await caseOf(caseId, c.token, (x) => x.status === 'awaiting_confirmation' && !x.closedAt, 'reopened');
});

test('an administrator who is a party of the merge cannot approve it; without a voivodeship the ministry approves', async () => {
  const m1 = await person('anna-min', [{ role: 'ministry', voivodeship: null, unitCode: null, area: null }]);
  const m2 = await person('anna-min-2', [{ role: 'ministry', voivodeship: null, unitCode: null, area: null }]);
  const created = await request(sys.app).post('/api/identity-merges').set(auth(m1.token)).send({ otherLogin: m2.login }).expect(201);
  const caseId: string = created.body.id;
  await caseOf(caseId, m1.token, (x) => x.status === 'awaiting_confirmation', 'awaiting confirmation');
  await request(sys.app).post(`/api/identity-merges/${caseId}/confirm`).set(auth(m2.token)).expect(200);
  const task = await openTask(caseId, ministry);
  expect(task).toMatchObject({ kind: 'identity-merge-approval', role: 'ministry', voivodeship: null });
  expect((await request(sys.app).get('/api/tasks').set(auth(admin26))).body.find((t: { caseId: string }) => t.caseId === caseId)).toBeUndefined();
  const view = (await request(sys.app).get(`/api/cases/${caseId}`).set(auth(ministry)).expect(200)).body;
  expect(view).toMatchObject({ voivodeship: '00', unit: { code: '' } });
  // Both accounts hold the ministry role, yet neither decides its own merge.
  await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(m1.token)).send({ decision: 'accept' }).expect(403);
  await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(m2.token)).send({ decision: 'accept' }).expect(403);
  await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(ministry)).send({ decision: 'accept' }).expect(200);
  await caseOf(caseId, ministry, (x) => x.status === 'merged', 'merged');
  expect(await rolesOf(m1.id)).toEqual([{ role: 'ministry', voivodeship: null, unit_code: null, area: null }]);
});

test('bad requests are refused before anything is written', async () => {
  const me = await person('pwojcik', [{ voivodeship: '26', unitCode: '2661011', area: 'SR' }]);
  const disabled = await person('pwojcik-stare', [{ voivodeship: '26', unitCode: '2661011', area: 'FA' }], 'disabled');
  const counts = async () => (await q('select (select count(*)::int from cases) as cases, (select count(*)::int from outbox) as mail, (select count(*)::int from tasks) as tasks'))[0];
  const before = await counts();

  const unknown = await request(sys.app).post('/api/identity-merges').set(auth(me.token)).send({ otherLogin: 'nie-ma-takiego' }).expect(422);
  expect(unknown.body.error).toMatchObject({ code: 'UNKNOWN_ACCOUNT', details: [{ path: 'body.otherLogin' }] });
  // A disabled account gets the very same answer as an unknown login: the API does not tell them apart.
  const off = await request(sys.app).post('/api/identity-merges').set(auth(me.token)).send({ otherLogin: disabled.login }).expect(422);
  expect(off.body).toEqual(unknown.body);
  expect(JSON.stringify(off.body)).not.toContain(disabled.login);

  const self = await request(sys.app).post('/api/identity-merges').set(auth(me.token)).send({ otherLogin: me.login }).expect(400);
  expect(self.body.error).toMatchObject({ code: 'SELF_MERGE', details: [{ path: 'body.otherLogin' }] });
  const empty = await request(sys.app).post('/api/identity-merges').set(auth(me.token)).send({}).expect(400);
  expect(empty.body.error.details[0].path).toBe('body.otherLogin');
  await request(sys.app).post('/api/identity-merges').set(auth(me.token)).send({ otherLogin: 'x', accountId: 'y' }).expect(400);
  await request(sys.app).post('/api/identity-merges').send({ otherLogin: disabled.login }).expect(401);
  await request(sys.app).post('/api/identity-merges/identity-merge-nie-ma/confirm').set(auth(me.token)).expect(404);

  expect(await counts()).toEqual(before);
  await expect(sys.client.workflow.getHandle(identityMergeWorkflowId(me.id, disabled.id)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  const audit = await q("select outcome, status from audit_log where action = 'identity_merge_requested' and actor = ? order by id", [me.login]);
  expect(audit.map((r) => r.status)).toEqual([422, 422, 400, 400, 400]);
});
