import { temporal } from '@temporalio/proto';
import request from 'supertest';
import { getDataRequestStatus, getReportStatus, reportWorkflowId, type DataRequestView, type ReportView } from '../../workflows/messages';
import { SCAN_PDF, tokenFor, unitPersonToken } from '../support/fixtures';
import { recipients } from '../support/smtp';
import { eventually, startSystem, type TestSystem } from '../support/system';
import { advanceTo, calendarTwin, type CalendarTwin } from '../support/calendar';

// Process 3, data requests in the time-skipping server: a unit asks its accounting department (by e-mail,
// no account) for data with its own deadline; the report awaits data; the recipient is reminded the
// working day before; the reply with a file is recorded and attached to the report, which returns to
// draft. A second request is cancelled; a reply to a closed request is refused and changes nothing.
// Written for December 2026 (10 December a Thursday, 5 December a Saturday); it runs in the first calendar
// twin of that month still ahead of the test server's clock (test/support/calendar.ts), on any day.

let sys: TestSystem;
let twin: CalendarTwin;
/** A date, instant or period as written for December 2026, in this run's calendar twin. */
const T = (s: string) => twin.shift(s);
const tok = {} as Record<string, string>;
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const conn = () => sys.db.orm.em.fork().getConnection();

const KIELCE = '2661011';
const report = () => reportWorkflowId('SR-DANE', T('2026-Q3'), KIELCE);
const ACCOUNTING = 'ksiegowosc@mopr.kielce.example';
const HR = 'kadry@mopr.kielce.example';
const status = (): Promise<ReportView> => sys.client.workflow.getHandle(report()).query(getReportStatus);
const requestStatus = (id: string): Promise<DataRequestView> => sys.client.workflow.getHandle(id).query(getDataRequestStatus);
const mailsTo = (email: string) => sys.smtp.messages.filter((m) => recipients(m).includes(email));
const readModelStatus = async () => (await conn().execute<{ status: string }[]>('select status from reports where id = ?', [report()]))[0].status;

const person = async (login: string, role: 'unit_head' | 'staff', voivodeship: string, unit: string, area: string | null) => {
  tok[login] = await unitPersonToken(sys.db.orm, login, role, voivodeship, unit, area);
};

const until = (iso: string) => advanceTo(sys.env, iso);

beforeAll(async () => {
  sys = await startSystem({ timeSkipping: true });
  twin = calendarTwin('2026-10-01', '2026-12-31', await sys.env.currentTimeMs());
  await until(T('2026-11-23T09:00:00Z'));
  tok.ministry = await tokenFor(sys.db.orm, 'mrpips', 'ministry', null);
  await person('sr-kielce', 'staff', '26', KIELCE, 'SR');
  await person('sr-krakow', 'staff', '12', '1261011', 'SR');
});
afterAll(async () => {
  await sys?.close();
});

test('a data request: awaiting data, reminder, reply with a file attached to the report, back to draft', async () => {
  await request(sys.app)
    .put('/api/report-forms/SR-DANE')
    .set(auth(tok.ministry))
    .send({ name: 'Sprawozdanie kwartalne z danymi z księgowości', area: 'SR', unitKind: 'gmina', period: 'quarterly', dueRule: { kind: 'days-after-period-end', days: 85 } })
    .expect(200);
  await request(sys.app).post('/api/report-campaigns').set(auth(tok.ministry)).send({ formCode: 'SR-DANE', period: T('2026-Q3'), units: [KIELCE] }).expect(202);
  await eventually(async () => (await status()).status === 'not_started', 30_000, 'report started');
  expect(await sys.env.currentTimeMs()).toBeLessThan(Date.parse(T('2026-12-01T00:00:00Z')));

  const url = `/api/reports/${report()}/data-requests`;
  const ask = { recipient: { name: 'Dział księgowości MOPR', email: ACCOUNTING }, subject: 'Wydatki na zasiłki celowe w III kwartale 2026', dueDate: T('2026-12-10') };
  // Bad input: outside the unit, a deadline already past, a malformed address; nothing is started.
  await request(sys.app).post(url).set(auth(tok['sr-krakow'])).send(ask).expect(403);
  expect((await request(sys.app).post(url).set(auth(tok['sr-kielce'])).send({ ...ask, dueDate: T('2026-01-05') }).expect(422)).body.error.code).toBe('DATA_REQUEST_DUE_INVALID');
  const badMail = await request(sys.app).post(url).set(auth(tok['sr-kielce'])).send({ ...ask, recipient: { name: 'X Y', email: 'nie-adres' } }).expect(400);
  expect(badMail.body.error.details[0].path).toBe('body.recipient.email');
  expect((await status()).dataRequests).toBe(0);

  const asked = await request(sys.app).post(url).set(auth(tok['sr-kielce'])).send(ask).expect(201);
  expect(asked.body).toMatchObject({ reportStatus: 'awaiting_data', dueDate: T('2026-12-10') });
  const accounting = asked.body.requestId as string;
  expect(await readModelStatus()).toBe('awaiting_data');
  await eventually(async () => mailsTo(ACCOUNTING).length === 1, 20_000, 'request mailed');
  expect(mailsTo(ACCOUNTING)[0].subject).toBe(`Prośba o dane do sprawozdania SR-DANE — termin 10 grudnia ${twin.year(2026)}`);
  expect(mailsTo(ACCOUNTING)[0].text).toContain('Wydatki na zasiłki celowe w III kwartale 2026');

  // A second request (due on a Saturday: moved to Monday) is cancelled; the first keeps the report waiting.
  const hr = await request(sys.app).post(url).set(auth(tok['sr-kielce'])).send({ ...ask, recipient: { name: 'Dział kadr', email: HR }, dueDate: T('2026-12-05') }).expect(201);
  expect(hr.body.dueDate).toBe(T('2026-12-07'));
  await eventually(async () => (await conn().execute('select 1 from report_data_requests where id = ?', [hr.body.requestId])).length === 1, 20_000, 'second request recorded');
  const cancelled = await request(sys.app).post(`${url}/${hr.body.requestId}/cancel`).set(auth(tok['sr-kielce'])).send({ reason: 'Dane są już w systemie kadrowym' }).expect(200);
  expect(cancelled.body.status).toBe('cancelled');
  expect((await status()).openDataRequests).toEqual([accounting]);
  expect((await status()).status).toBe('awaiting_data');
  const lateReply = await request(sys.app).post(`${url}/${hr.body.requestId}/reply`).set(auth(tok['sr-kielce'])).send({ text: 'Spóźnione dane' }).expect(409);
  expect(lateReply.body.error.code).toBe('DATA_REQUEST_CLOSED');

  // The recipient's address is in neither the history text, the case history nor the search attributes.
  const history = await sys.client.workflow.getHandle(accounting).fetchHistory();
  const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
  expect(raw.includes(Buffer.from(ACCOUNTING))).toBe(false);
  expect(raw.includes(Buffer.from('Wydatki na zasiłki celowe'))).toBe(false);
  const description = await sys.client.workflow.getHandle(accounting).describe();
  expect(JSON.stringify(description.raw.workflowExecutionInfo?.searchAttributes ?? {})).not.toContain('ksiegowosc');
  const events = await conn().execute<{ type: string; message: string; data: unknown }[]>('select type, message, data from case_events where case_id = ? order by at, id', [report()]);
  expect(JSON.stringify(events)).not.toContain(ACCOUNTING);
  expect(events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['data_requested', 'data_request_cancelled']));

  // The reminder goes out at 08:00 Warsaw on the working day before the deadline.
  await until(T('2026-12-09T06:59:00Z'));
  expect((await requestStatus(accounting)).remindersSent).toBe(0);
  await until(T('2026-12-09T07:01:00Z'));
  await eventually(async () => mailsTo(ACCOUNTING).length === 2, 20_000, 'reminder mailed');
  expect(mailsTo(ACCOUNTING)[1].subject).toBe(`Przypomnienie: Prośba o dane do sprawozdania SR-DANE — termin 10 grudnia ${twin.year(2026)}`);
  expect(mailsTo(HR)).toHaveLength(1);

  // The unit records the reply received by mail, with its file: attached to the report, back to draft.
  const reply = await request(sys.app)
    .post(`${url}/${accounting}/reply`)
    .set(auth(tok['sr-kielce']))
    .field('text', 'Wydatki: 12 345,67 zł (zestawienie w załączniku)')
    .attach('file', SCAN_PDF, 'zestawienie.pdf')
    .expect(200);
  expect(reply.body).toMatchObject({ requestId: accounting, status: 'answered', remindersSent: 1 });
  await eventually(async () => (await status()).status === 'draft', 20_000, 'back to draft');
  expect(await readModelStatus()).toBe('draft');
  const caseView = await request(sys.app).get(`/api/cases/${report()}`).set(auth(tok['sr-kielce'])).expect(200);
  const attached = caseView.body.documents.filter((d: { kind: string }) => d.kind === 'data-reply');
  expect(attached).toEqual([expect.objectContaining({ mediaType: 'application/pdf', filename: 'zestawienie.pdf', size: SCAN_PDF.length })]);
  const file = await request(sys.app).get(attached[0].url).set(auth(tok['sr-kielce'])).expect(200);
  expect(Buffer.compare(file.body as Buffer, SCAN_PDF)).toBe(0);
  expect(caseView.body.history).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'data_reply_received', message: expect.stringContaining('12 345,67 zł') })]));

  // A second reply to the answered request is refused by name and changes nothing.
  const again = await request(sys.app).post(`${url}/${accounting}/reply`).set(auth(tok['sr-kielce'])).send({ text: 'Jeszcze raz' }).expect(409);
  expect(again.body.error.code).toBe('DATA_REQUEST_CLOSED');
  const [{ n }] = await conn().execute("select count(*)::int as n from documents where case_id = ? and kind = 'data-reply'", [report()]);
  expect(n).toBe(1);
  expect((await conn().execute("select answer_text from report_data_requests where id = ?", [accounting]))[0].answer_text).toBe('Wydatki: 12 345,67 zł (zestawienie w załączniku)');

  // The report can then be drafted and submitted as usual.
  await request(sys.app).post(`/api/reports/${report()}/submission`).set(auth(tok['sr-kielce'])).send({ content: { wydatki: 12345.67 } }).expect(201);
}, 240_000);
