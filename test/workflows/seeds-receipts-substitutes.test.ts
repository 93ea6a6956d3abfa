import request from 'supertest';
import { getPermissionRequestStatus, getRegistrationStatus, getReportStatus, reportWorkflowId } from '../../workflows/messages';
import { currentQuarter, previousQuarter } from '../support/calendar';
import { application, pdfText, SCAN_PDF, tokenFor, unitPersonToken } from '../support/fixtures';
import { eventually, startSystem, type TestSystem } from '../support/system';
import { warsawClock } from '../support/warsaw-clock';

// Issue 16 on the time-skipping server, through the API:
// - seed 003 (003_ac9166c2b11efdcf.txt, pkt 12, "UPO z dokładną datą i godziną dostarczenia"): a registration,
//   its signed scan and a permission request each get a receipt with the time the workflow received them; the
//   scan is filed at 23:30 UTC, so its receipt must print the next day's Warsaw date, read with pdftotext;
// - seed 000 (000_809f31c0e34cf4a4.txt, "UWAGA! Od 2015 roku"): the answer and the mail name the ePUAP box
//   /SUWKielce/SkrytkaESP and wps00@kielce.uw.gov.pl;
// - seed 002 (002_ad5875c3d6ae49e3.txt, §I.4, §I.5, §II.5): the head's standing designation for an area is
//   taken up by a new report, and with the responsible person and the substitute both away the second
//   level holds the unit's task.

const DAY = 86_400_000;
const KIELCE = '2661011';
let sys: TestSystem;
const tok: Record<string, string> = {};
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const conn = () => sys.db.orm.em.fork().getConnection();

beforeAll(async () => {
  sys = await startSystem({ timeSkipping: true });
  tok.adm = await tokenFor(sys.db.orm, 'adm-woj-26', 'voivodeship_admin', '26');
  tok.ministry = await tokenFor(sys.db.orm, 'mrpips', 'ministry', null);
  tok.head = await unitPersonToken(sys.db.orm, 'head-kielce', 'unit_head', '26', KIELCE, null);
  for (const login of ['sr-1', 'sr-2', 'sr-3']) tok[login] = await unitPersonToken(sys.db.orm, login, 'staff', '26', KIELCE, 'SR');
  tok.ps = await unitPersonToken(sys.db.orm, 'ps-1', 'staff', '26', KIELCE, 'PS');
});
afterAll(async () => {
  await sys?.close();
});

const warsawDate = (at: Date) => at.toLocaleDateString('sv-SE', { timeZone: 'Europe/Warsaw' }).replace(/-/g, '');

interface ReceiptRow {
  number: string;
  kind: string;
  received_at: Date;
  document_id: string;
}
const receiptsOf = (caseId: string) => conn().execute<ReceiptRow[]>('select number, kind, received_at, document_id from receipts where case_id = ? order by received_at', [caseId]);
async function receiptText(documentId: string): Promise<string> {
  const [{ content }] = await conn().execute('select b.content from blobs b join documents d on d.sha256 = b.sha256 where d.id = ?', [documentId]);
  return pdfText(content).replace(/\s+/g, ' ');
}

test('seed 002 §I.4-5, §II.5: a new report takes up the standing designation; with both away the second level holds the task', async () => {
  const url = `/api/units/${KIELCE}/report-designations/SR`;
  await request(sys.app).put(url).set(auth(tok['sr-1'])).send({ responsible: 'sr-1' }).expect(403);
  expect((await request(sys.app).put(url).set(auth(tok.head)).send({ responsible: 'sr-1', substitute: 'sr-2', secondLevel: 'sr-1' }).expect(422)).body.error.message).toContain('różnymi osobami');
  expect((await request(sys.app).put(url).set(auth(tok.head)).send({ responsible: 'sr-1', substitute: 'ps-1' }).expect(422)).body.error.details).toEqual([expect.objectContaining({ path: 'body.substitute' })]);
  await request(sys.app).put(url).set(auth(tok.head)).send({ responsible: 'sr-1', substitute: 'sr-2', secondLevel: 'sr-3' }).expect(200);
  expect((await request(sys.app).get(`/api/units/${KIELCE}/report-designations`).set(auth(tok['sr-2'])).expect(200)).body).toEqual([
    expect.objectContaining({ area: 'SR', responsible: 'sr-1', substitute: 'sr-2', secondLevel: 'sr-3', designatedBy: 'head-kielce' }),
  ]);

  const period = currentQuarter(await sys.env.currentTimeMs());
  await request(sys.app).put('/api/report-forms/SR-Z').set(auth(tok.ministry)).send({ name: 'Sprawozdanie SR', area: 'SR', unitKind: 'gmina', period: 'quarterly', dueRule: { kind: 'days-after-period-end', days: 85 } }).expect(200);
  await request(sys.app).post('/api/report-campaigns').set(auth(tok.ministry)).send({ formCode: 'SR-Z', period, units: [KIELCE] }).expect(202);
  const reportId = reportWorkflowId('SR-Z', period, KIELCE);
  const handle = sys.client.workflow.getHandle(reportId);
  // Nobody designated anything for this report: the standing designation holds it.
  const taken = await eventually(async () => {
    const v = await handle.query(getReportStatus).catch(() => null);
    return v?.assignee === 'sr-1' ? v : null;
  }, 30_000, 'the responsible person holds the task');
  expect(taken).toMatchObject({ responsible: 'sr-1', substitute: 'sr-2', secondLevel: 'sr-3' });

  const absence = `/api/reports/${encodeURIComponent(reportId)}/absence`;
  expect((await request(sys.app).put(absence).set(auth(tok.head)).send({ absent: true }).expect(200)).body).toMatchObject({ assignee: 'sr-2' });
  // The substitute reports their own absence too: both away, the second level takes over (§I.4-5).
  expect((await request(sys.app).put(absence).set(auth(tok['sr-2'])).send({ absent: true, person: 'substitute' }).expect(200)).body).toMatchObject({ assignee: 'sr-3', substituteAbsent: true });
  const tasks = (await request(sys.app).get('/api/tasks').set(auth(tok['sr-3'])).expect(200)).body.filter((t: { caseId: string }) => t.caseId === reportId);
  expect(tasks).toEqual([expect.objectContaining({ kind: 'report-preparation', claimedBy: 'sr-3' })]);
  expect((await request(sys.app).put(absence).set(auth(tok.head)).send({ absent: false }).expect(200)).body).toMatchObject({ assignee: 'sr-1' });
});

test('a report whose campaign opens after its due date is overdue at once, without late reminders', async () => {
  // Two quarters back: that quarter ended more than 85 days ago, so its due date has passed.
  const period = previousQuarter(previousQuarter(currentQuarter(await sys.env.currentTimeMs())));
  await request(sys.app).put('/api/report-forms/SR-P').set(auth(tok.ministry)).send({ name: 'Sprawozdanie zaległe', area: 'SR', unitKind: 'gmina', period: 'quarterly', dueRule: { kind: 'days-after-period-end', days: 85 } }).expect(200);
  await request(sys.app).post('/api/report-campaigns').set(auth(tok.ministry)).send({ formCode: 'SR-P', period, units: [KIELCE] }).expect(202);
  const handle = sys.client.workflow.getHandle(reportWorkflowId('SR-P', period, KIELCE));
  const v = await eventually(async () => {
    const s = await handle.query(getReportStatus).catch(() => null);
    return s?.overdue ? s : null;
  }, 30_000, 'overdue');
  expect(v.remindersSent).toBe(0);
  const [row] = await conn().execute('select overdue from reports where id = ?', [reportWorkflowId('SR-P', period, KIELCE)]);
  expect(row).toEqual({ overdue: true });
});

test('seed 003 + 000: receipts for a registration, its scan filed near midnight UTC (Warsaw date printed) and a permission request', async () => {
  const res = await request(sys.app).post('/api/registrations').send(application({ email: 'upo@mopr.kielce.example' })).expect(201);
  expect(res.body.sendScanTo).toMatchObject({ epuapBox: '/SUWKielce/SkrytkaESP', email: 'wps00@kielce.uw.gov.pl', office: 'Świętokrzyski Urząd Wojewódzki w Kielcach' });
  expect(res.body.sendScanTo.instructions).toContain('/SUWKielce/SkrytkaESP');
  const caseId = res.body.id as string;
  const handle = sys.client.workflow.getHandle(caseId);
  await eventually(async () => (await handle.query(getRegistrationStatus)).status === 'awaiting_scan', 30_000, 'awaiting scan');

  // The application's receipt: received when the workflow started, sent to the applicant with the form.
  const [submitted] = await receiptsOf(caseId);
  expect(submitted.kind).toBe('registration');
  // Received when the workflow started (its first history event), not when the receipt was rendered.
  const started = (await handle.fetchHistory()).events![0].eventTime!;
  const startedMs = Number(started.seconds) * 1000 + Math.floor((started.nanos ?? 0) / 1e6);
  expect(Math.abs(new Date(submitted.received_at).getTime() - startedMs)).toBeLessThanOrEqual(1000);
  const mail = await sys.smtp.waitFor((m) => (m.subject ?? '').startsWith('Formularz rejestracyjny do podpisu') && (m.text ?? '').includes('Łucja'));
  expect(mail.text).toContain('/SUWKielce/SkrytkaESP');
  expect(mail.text).toContain('wps00@kielce.uw.gov.pl');
  expect(mail.text).toContain(submitted.number);
  expect(mail.attachments.map((a) => a.filename)).toEqual(['formularz-rejestracyjny.pdf', expect.stringMatching(/^upo-[0-9a-f]{12}\.pdf$/)]);

  // The signed scan arrives at 23:30 UTC: already the next day in Warsaw.
  const now = await sys.env.currentTimeMs();
  let at = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate(), 23, 30);
  if (at <= now) at += DAY;
  await sys.env.sleep(at - now);
  await request(sys.app).post(`/api/cases/${caseId}/scans`).set(auth(tok.adm)).field('channel', 'epuap').attach('file', SCAN_PDF, 'skan.pdf').expect(201);
  const scan = await eventually(async () => (await receiptsOf(caseId)).find((r) => r.kind === 'registration-scan'), 30_000, 'scan receipt');
  const receivedAt = new Date(scan.received_at);
  expect(receivedAt.getUTCHours()).toBe(23);
  expect(receivedAt.getTime()).toBeGreaterThanOrEqual(at);
  expect(warsawDate(receivedAt)).not.toBe(receivedAt.toISOString().slice(0, 10).replace(/-/g, ''));
  expect(scan.number.split('/')[1]).toBe(warsawDate(receivedAt));
  const text = await receiptText(scan.document_id);
  expect(text).toContain(`Data i godzina odbioru ${warsawClock(receivedAt)}`);
  expect(text).toContain(scan.number);

  // A permission request: its receipt too.
  const asked = await request(sys.app).post('/api/permission-requests').set(auth(tok.ps)).send({ unitCode: KIELCE, area: 'FA' }).expect(201);
  await eventually(async () => (await sys.client.workflow.getHandle(asked.body.id).query(getPermissionRequestStatus)).openTaskId !== null, 30_000, 'decision task');
  const [permission] = await eventually(async () => {
    const rows = await receiptsOf(asked.body.id);
    return rows.length ? rows : null;
  }, 30_000, 'permission receipt');
  expect(permission.kind).toBe('permission-request');
  expect(await receiptText(permission.document_id)).toContain(`Data i godzina odbioru ${warsawClock(new Date(permission.received_at))}`);
});
