import { createHash } from 'node:crypto';
import request from 'supertest';
import { canonicalJson } from '../../lib/receipts';
import { getReportStatus, reportWorkflowId, type ReportView } from '../../workflows/messages';
import { tokenFor, unitPersonToken } from '../support/fixtures';
import { recipients } from '../support/smtp';
import { eventually, startSystem, type TestSystem } from '../support/system';
import { advanceTo, calendarTwin, type CalendarTwin } from '../support/calendar';

// Process 3 in the time-skipping server: a quarterly form for units of three voivodeships runs from
// opening to escalation in seconds. Q3 2026 + 85 days is Thursday 24 December 2026, a public holiday
// since 2025, followed by Christmas and a Sunday, so the due date is Monday 28 December. One unit drafts,
// submits, is returned, resubmits and is accepted; one never reports and is escalated; the ministry moves
// the deadline of a third voivodeship to 6 January 2027 (Trzech Króli), so it becomes 7 January.
// The test runs in the first calendar twin of that quarter still ahead of its clock (test/support/calendar.ts):
// the same weekdays and holidays, every date shifted by whole years, so it passes on whatever day it is run.

let sys: TestSystem;
let twin: CalendarTwin;
/** A date, instant or period as written for Q4 2026, in this run's calendar twin. */
const T = (s: string) => twin.shift(s);
const tok = {} as Record<string, string>;
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const conn = () => sys.db.orm.em.fork().getConnection();

const KIELCE = '2661011';
const KRAKOW = '1261011';
const WROCLAW = '0264011';
const id = (unit: string) => reportWorkflowId('SR-KW', T('2026-Q3'), unit);
const status = (unit: string): Promise<ReportView> => sys.client.workflow.getHandle(id(unit)).query(getReportStatus);

const person = async (login: string, role: 'unit_head' | 'staff', voivodeship: string, unit: string, area: string | null) => {
  tok[login] = await unitPersonToken(sys.db.orm, login, role, voivodeship, unit, area);
};

const until = (iso: string) => advanceTo(sys.env, iso);

const mailsTo = (login: string, subject: string) =>
  sys.smtp.messages.filter((m) => (m.subject ?? '').includes(subject) && recipients(m).includes(`${login}@obieg.local`));

async function events(unit: string): Promise<string[]> {
  const rows = await conn().execute<{ type: string }[]>('select type from case_events where case_id = ? order by at, id', [id(unit)]);
  return rows.map((r: { type: string }) => r.type);
}

beforeAll(async () => {
  sys = await startSystem({ timeSkipping: true });
  twin = calendarTwin('2026-10-01', '2027-01-31', await sys.env.currentTimeMs());
  // The campaign is opened on Monday 23 November, as a ministry would after the quarter has ended.
  await until(T('2026-11-23T09:00:00Z'));
  tok.ministry = await tokenFor(sys.db.orm, 'mrpips', 'ministry', null);
  tok.adm26 = await tokenFor(sys.db.orm, 'adm-26', 'voivodeship_admin', '26');
  tok.adm12 = await tokenFor(sys.db.orm, 'adm-12', 'voivodeship_admin', '12');
  await person('sr-kielce', 'staff', '26', KIELCE, 'SR');
  await person('ps-kielce', 'staff', '26', KIELCE, 'PS');
  await person('head-kielce', 'unit_head', '26', KIELCE, null);
  await person('sr-krakow', 'staff', '12', KRAKOW, 'SR');
  await person('sr2-krakow', 'staff', '12', KRAKOW, 'SR');
  await person('head-krakow', 'unit_head', '12', KRAKOW, null);
  await person('head-wroclaw', 'unit_head', '02', WROCLAW, null);
});
afterAll(async () => {
  await sys?.close();
});

test('a quarter: drafts, receipt, return and correction, acceptance, reminders, escalation and a moved deadline', async () => {
  await request(sys.app)
    .put('/api/report-forms/SR-KW')
    .set(auth(tok.ministry))
    .send({ name: 'Sprawozdanie kwartalne ze świadczeń rodzinnych', area: 'SR', unitKind: 'gmina', period: 'quarterly', dueRule: { kind: 'days-after-period-end', days: 85 } })
    .expect(200);
  // A due rule that cannot be evaluated is refused by name and nothing is stored.
  const bad = await request(sys.app)
    .put('/api/report-forms/ZLY')
    .set(auth(tok.ministry))
    .send({ name: 'Zły', area: 'SR', unitKind: 'gmina', period: 'one-off', dueRule: { kind: 'days-after-period-end', days: 20 } })
    .expect(422);
  expect(bad.body.error.code).toBe('DUE_RULE_INVALID');
  expect((await conn().execute("select count(*)::int as n from report_forms where code = 'ZLY'"))[0].n).toBe(0);
  await request(sys.app).post('/api/report-campaigns').set(auth(tok.adm26)).send({ formCode: 'SR-KW', period: T('2026-Q3'), units: [KIELCE] }).expect(403);

  const opened = await request(sys.app)
    .post('/api/report-campaigns')
    .set(auth(tok.ministry))
    .send({ formCode: 'SR-KW', period: T('2026-Q3'), units: [KIELCE, KRAKOW, WROCLAW] })
    .expect(202);
  expect(opened.body).toMatchObject({ id: T('SR-KW-2026-Q3'), dueDate: T('2026-12-28'), units: 3 });
  for (const u of [KIELCE, KRAKOW, WROCLAW]) await eventually(async () => (await status(u)).status === 'not_started', 30_000, `report ${u} started`);
  expect((await status(KRAKOW)).plan.reminders.map((r) => r.day)).toEqual([T('2026-12-15'), T('2026-12-21'), T('2026-12-23')]);
  expect((await status(KRAKOW)).plan.adminEscalationDay).toBe(T('2026-12-31'));

  // Kraków's head designates the responsible person and a substitute; bad designations change nothing.
  const peopleUrl = `/api/reports/${id(KRAKOW)}/people`;
  const absenceUrl = `/api/reports/${id(KRAKOW)}/absence`;
  await request(sys.app).put(peopleUrl).set(auth(tok['sr-krakow'])).send({ responsible: 'sr-krakow' }).expect(403);
  const outsider = await request(sys.app).put(peopleUrl).set(auth(tok['head-krakow'])).send({ responsible: 'sr-kielce' }).expect(422);
  expect(outsider.body.error).toMatchObject({ code: 'REPORT_PERSON_NOT_IN_UNIT', details: [{ path: 'body.responsible' }] });
  const same = await request(sys.app).put(peopleUrl).set(auth(tok['head-krakow'])).send({ responsible: 'sr-krakow', substitute: 'sr-krakow' }).expect(422);
  expect(same.body.error.code).toBe('REPORT_SUBSTITUTE_SAME_AS_RESPONSIBLE');
  expect((await request(sys.app).put(absenceUrl).set(auth(tok['head-krakow'])).send({ absent: true }).expect(409)).body.error.code).toBe('REPORT_NO_RESPONSIBLE');
  expect((await status(KRAKOW)).responsible).toBeNull();
  const alone = await request(sys.app).put(peopleUrl).set(auth(tok['head-krakow'])).send({ responsible: 'sr-krakow' }).expect(200);
  expect(alone.body).toMatchObject({ responsible: 'sr-krakow', substitute: null, assignee: 'sr-krakow' });
  const noSub = await request(sys.app).put(absenceUrl).set(auth(tok['sr-krakow'])).send({ absent: true }).expect(409);
  expect(noSub.body.error.code).toBe('REPORT_NO_SUBSTITUTE');
  expect((await status(KRAKOW)).responsibleAbsent).toBe(false);
  const both = await request(sys.app).put(peopleUrl).set(auth(tok['head-krakow'])).send({ responsible: 'sr-krakow', substitute: 'sr2-krakow' }).expect(200);
  expect(both.body).toMatchObject({ responsible: 'sr-krakow', substitute: 'sr2-krakow', assignee: 'sr-krakow', responsibleAbsent: false });
  const krakowTask = both.body.unitTaskId as string;
  const tasksOf = async (login: string) =>
    (await request(sys.app).get('/api/tasks').set(auth(tok[login])).expect(200)).body.filter((t: { caseId: string }) => t.caseId === id(KRAKOW));
  expect(await tasksOf('sr-krakow')).toEqual([expect.objectContaining({ id: krakowTask, kind: 'report-preparation', claimedBy: 'sr-krakow' })]);
  // Somebody else than the head or the responsible person may not report the absence.
  await request(sys.app).put(absenceUrl).set(auth(tok['sr2-krakow'])).send({ absent: true }).expect(403);

  // Kielce: drafts (nothing lost), then bad input that changes nothing.
  const draftUrl = `/api/reports/${id(KIELCE)}/draft`;
  await request(sys.app).put(`/api/reports/${id(KIELCE)}/people`).set(auth(tok['head-kielce'])).send({ responsible: 'sr-kielce' }).expect(200);
  await request(sys.app).put(draftUrl).set(auth(tok['sr-kielce'])).send({ content: { wiersz1: 10 } }).expect(200);
  const d2 = await request(sys.app).put(draftUrl).set(auth(tok['sr-kielce'])).send({ content: { wiersz1: 12, wiersz2: 3 } }).expect(200);
  expect(d2.body).toEqual({ status: 'draft', drafts: 2 });
  expect((await request(sys.app).put(draftUrl).set(auth(tok['sr-kielce'])).send({ content: {} }).expect(422)).body.error.code).toBe('REPORT_CONTENT_INVALID');
  expect((await request(sys.app).put(draftUrl).set(auth(tok['sr-kielce'])).send({ content: 'tekst' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  // Outside the unit, or another area of it: refused.
  await request(sys.app).put(draftUrl).set(auth(tok['sr-krakow'])).send({ content: { wiersz1: 1 } }).expect(403);
  await request(sys.app).put(draftUrl).set(auth(tok['ps-kielce'])).send({ content: { wiersz1: 1 } }).expect(403);
  const drafts = await conn().execute<{ content: unknown }[]>('select content from report_drafts where report_id = ? order by id', [id(KIELCE)]);
  expect(drafts.map((d: { content: unknown }) => d.content)).toEqual([{ wiersz1: 10 }, { wiersz1: 12, wiersz2: 3 }]);

  // Submission: the receipt carries the exact time, the SHA-256 of the canonical content and a number.
  const content = { wiersz2: 3, wiersz1: 12 };
  const sub1 = await request(sys.app).post(`/api/reports/${id(KIELCE)}/submission`).set(auth(tok['sr-kielce'])).send({ content }).expect(201);
  expect(sub1.body.version).toBe(1);
  expect(sub1.body.sha256).toBe(createHash('sha256').update(canonicalJson(content)).digest('hex'));
  expect(sub1.body.receiptNumber).toMatch(/^UPO\/\d{8}\/[0-9A-F]{12}$/);
  expect(Number.isNaN(Date.parse(sub1.body.submittedAt))).toBe(false);
  expect((await request(sys.app).put(draftUrl).set(auth(tok['sr-kielce'])).send({ content: { x: 1 } }).expect(409)).body.error.code).toBe('REPORT_NOT_EDITABLE');
  const task1 = await eventually(async () => (await status(KIELCE)).openTaskId, 30_000, 'verification task');
  const docs = await eventually(async () => {
    const rows = await conn().execute<{ media_type: string }[]>("select media_type from documents where case_id = ? and kind = 'report-receipt' order by media_type", [id(KIELCE)]);
    return rows.length === 2 ? rows.map((r: { media_type: string }) => r.media_type) : null;
  }, 60_000, 'receipt JSON and PDF');
  expect(docs).toEqual(['application/json', 'application/pdf']);

  // Another voivodeship's administrator cannot verify; ours returns it with comments.
  await request(sys.app).post(`/api/tasks/${encodeURIComponent(task1)}/complete`).set(auth(tok.adm12)).send({ decision: 'accept' }).expect(403);
  const ret = await request(sys.app).post(`/api/tasks/${encodeURIComponent(task1)}/complete`).set(auth(tok.adm26)).send({ decision: 'reject', reason: 'Wiersz 2 niezgodny z wierszem 1' }).expect(200);
  expect(ret.body.caseStatus).toBe('returned');
  await eventually(async () => mailsTo('sr-kielce', 'zwrócone do korekty').length === 1, 20_000, 'return notice');
  // The correction is the responsible person's task; the preparation task ended with the submission.
  const correction = await eventually(async () => ((await status(KIELCE)).assignee === 'sr-kielce' ? (await status(KIELCE)).unitTaskId : null), 20_000, 'correction task');
  const kielceTasks = await conn().execute<{ kind: string; status: string; claimed_by: string }[]>(
    'select kind, status, claimed_by from tasks where case_id = ? and kind like ? order by created_at',
    [id(KIELCE), 'report-%'],
  );
  expect(kielceTasks.filter((t: { kind: string }) => t.kind !== 'report-verification')).toEqual([
    { kind: 'report-preparation', status: 'completed', claimed_by: 'sr-kielce' },
    { kind: 'report-correction', status: 'open', claimed_by: 'sr-kielce' },
  ]);
  expect(correction).toContain('correction');

  const sub2 = await request(sys.app).post(`/api/reports/${id(KIELCE)}/submission`).set(auth(tok['head-kielce'])).send({ content: { wiersz1: 12, wiersz2: 12 } }).expect(201);
  expect(sub2.body.version).toBe(2);
  expect(sub2.body.receiptNumber).not.toBe(sub1.body.receiptNumber);
  const task2 = await eventually(async () => (await status(KIELCE)).openTaskId, 30_000, 'second verification task');
  expect(task2).not.toBe(task1);
  const acc = await request(sys.app).post(`/api/tasks/${encodeURIComponent(task2)}/complete`).set(auth(tok.adm26)).send({ decision: 'accept' }).expect(200);
  expect(acc.body.caseStatus).toBe('accepted');
  const versions = await conn().execute<{ version: number }[]>('select version, sha256 from report_versions where report_id = ? order by version', [id(KIELCE)]);
  expect(versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
  const late = await request(sys.app).post(`/api/reports/${id(KIELCE)}/submission`).set(auth(tok['sr-kielce'])).send({ content: { wiersz1: 1 } }).expect(409);
  expect(late.body.error.code).toBe('REPORT_NOT_EDITABLE');

  // The ministry moves the deadline for voivodeship 02 only: 6 January 2027 is a holiday → 7 January.
  const moved = await request(sys.app)
    .post(T('/api/report-campaigns/SR-KW-2026-Q3/deadline'))
    .set(auth(tok.ministry))
    .send({ dueDate: T('2027-01-06'), voivodeship: '02', reason: 'Awaria systemu centralnego 10-12 grudnia' })
    .expect(200);
  expect(moved.body).toEqual({ dueDate: T('2027-01-07'), reports: 1 });
  await eventually(async () => (await status(WROCLAW)).plan.dueDate === T('2027-01-07'), 20_000, 'new plan');
  await eventually(async () => (await events(WROCLAW)).includes('deadline_changed'), 20_000, 'history records the change');

  // Reminders at 08:00 Warsaw (07:00 UTC in winter), 7, 3 and 1 working days before 28 December.
  await until(T('2026-12-15T07:01:00Z'));
  await eventually(async () => (await status(KRAKOW)).remindersSent === 1, 20_000, 'first reminder');
  expect((await status(WROCLAW)).remindersSent).toBe(0);
  await eventually(async () => mailsTo('sr-krakow', 'Przypomnienie: zbliża się termin sprawozdania SR-KW').length === 1, 20_000, 'reminder mail');
  expect(mailsTo('sr-kielce', 'Przypomnienie').length).toBe(0);
  // Reminders go to whoever holds the task: the responsible person alone, not the substitute.
  expect(mailsTo('sr2-krakow', 'Przypomnienie').length).toBe(0);

  // The responsible person reports their absence: the open task moves to the substitute, and so does
  // the next reminder; back present, the task and the last reminder go back to them.
  const away = await request(sys.app).put(absenceUrl).set(auth(tok['sr-krakow'])).send({ absent: true }).expect(200);
  expect(away.body).toMatchObject({ responsibleAbsent: true, assignee: 'sr2-krakow', unitTaskId: krakowTask });
  expect(await tasksOf('sr2-krakow')).toEqual([expect.objectContaining({ id: krakowTask, claimedBy: 'sr2-krakow' })]);
  const caseView = await request(sys.app).get(`/api/cases/${id(KRAKOW)}`).set(auth(tok['head-krakow'])).expect(200);
  expect(caseView.body.tasks).toEqual([expect.objectContaining({ id: krakowTask, status: 'open', claimedBy: 'sr2-krakow' })]);
  expect(caseView.body.history.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['people_designated', 'absence_marked', 'task_reassigned']));
  await until(T('2026-12-21T07:01:00Z'));
  await eventually(async () => mailsTo('sr2-krakow', 'Przypomnienie').length === 1, 20_000, 'reminder to the substitute');
  expect(mailsTo('sr-krakow', 'Przypomnienie').length).toBe(1);
  const back = await request(sys.app).put(absenceUrl).set(auth(tok['head-krakow'])).send({ absent: false }).expect(200);
  expect(back.body).toMatchObject({ responsibleAbsent: false, assignee: 'sr-krakow' });
  await until(T('2026-12-23T07:01:00Z'));
  await eventually(async () => mailsTo('sr-krakow', 'Przypomnienie').length === 2, 20_000, 'last reminder back to the responsible person');
  expect(mailsTo('sr2-krakow', 'Przypomnienie').length).toBe(1);

  await until(T('2026-12-28T07:01:00Z'));
  await eventually(async () => (await status(KRAKOW)).escalations.includes('unit_head'), 20_000, 'head told on the due date');
  expect((await status(KRAKOW)).remindersSent).toBe(3);
  expect((await status(KRAKOW)).overdue).toBe(false);
  expect((await status(WROCLAW)).escalations).toEqual([]);
  await eventually(async () => mailsTo('head-krakow', 'nie zostało złożone').length === 1, 20_000, 'head mail');

  await until(T('2026-12-28T23:01:00Z'));
  await eventually(async () => (await status(KRAKOW)).overdue, 20_000, 'overdue after the due day');
  const rollup = await request(sys.app).get(T('/api/report-campaigns/SR-KW-2026-Q3/rollup')).set(auth(tok.ministry)).expect(200);
  expect(rollup.body.total).toBe(3);
  expect(rollup.body.national).toMatchObject({ accepted: 1, overdue: 1, not_started: 1 });
  const by = Object.fromEntries(rollup.body.voivodeships.map((v: { code: string; counts: Record<string, number> }) => [v.code, v.counts]));
  expect(by['26'].accepted).toBe(1);
  expect(by['12'].overdue).toBe(1);
  expect(by['02'].not_started).toBe(1);
  const mine = await request(sys.app).get(T('/api/report-campaigns/SR-KW-2026-Q3/rollup')).set(auth(tok.adm12)).expect(200);
  expect(mine.body.voivodeships.map((v: { code: string }) => v.code)).toEqual(['12']);
  await request(sys.app).get(T('/api/report-campaigns/SR-KW-2026-Q3/rollup')).set(auth(tok['head-krakow'])).expect(403);

  // 3 working days after 28 December: 29, 30, 31 (1 January is a holiday) → the voivodeship on the 31st.
  await until(T('2026-12-30T07:01:00Z'));
  expect((await status(KRAKOW)).escalations).toEqual(['unit_head']);
  await until(T('2026-12-31T07:01:00Z'));
  await eventually(async () => (await status(KRAKOW)).escalations.includes('voivodeship_admin'), 20_000, 'voivodeship escalation');
  await eventually(async () => mailsTo('adm-12', 'Zaległe sprawozdanie SR-KW').length === 1, 20_000, 'voivodeship mail');
  expect(mailsTo('adm-26', 'Zaległe').length).toBe(0);

  // Wrocław followed the moved date: reminders on 23 and 31 December and 5 January, the head on 7 January.
  expect((await status(WROCLAW)).plan.reminders.map((r) => r.day)).toEqual([T('2026-12-23'), T('2026-12-31'), T('2027-01-05')]);
  await until(T('2027-01-07T07:01:00Z'));
  await eventually(async () => (await status(WROCLAW)).escalations.includes('unit_head'), 20_000, 'Wrocław head');
  expect((await status(WROCLAW)).remindersSent).toBe(3);
  expect((await status(WROCLAW)).overdue).toBe(false);
  expect(await events(KRAKOW)).toEqual(expect.arrayContaining(['case_opened', 'reminder_sent', 'escalated', 'overdue']));
}, 300_000);
