import request from 'supertest';
import { getRegistrationStatus } from '../../workflows/messages';
import { application, SCAN_PDF, tokenFor } from '../support/fixtures';
import { eventually, startSystem, type TestSystem } from '../support/system';

// Reminders and expiry in the time-skipping test server: days pass in seconds.

const DAY = 24 * 60 * 60 * 1000;
let sys: TestSystem;
let admin: string;

beforeAll(async () => {
  sys = await startSystem({ timeSkipping: true });
  admin = await tokenFor(sys.db.orm, 'adm-woj-26', 'voivodeship_admin', '26');
});
afterAll(async () => {
  await sys?.close();
});

const subjects = (email: string) =>
  sys.smtp.messages.filter((m) => [m.to].flat().some((a) => a?.text.includes(email))).map((m) => m.subject ?? '');

async function submit(email: string): Promise<string> {
  const res = await request(sys.app).post('/api/registrations').send(application({ email })).expect(201);
  const handle = sys.client.workflow.getHandle(res.body.id);
  await eventually(async () => (await handle.query(getRegistrationStatus)).status === 'awaiting_scan', 30_000, 'awaiting scan');
  return res.body.id;
}

async function caseRow(id: string) {
  const [row] = await sys.db.orm.em.fork().getConnection().execute('select status, closed_at, deadline from cases where id = ?', [id]);
  return row;
}

async function eventTypes(id: string): Promise<string[]> {
  const rows = await sys.db.orm.em.fork().getConnection().execute<{ type: string }[]>('select type from case_events where case_id = ? order by at, id', [id]);
  return rows.map((r: { type: string }) => r.type);
}

test('without a scan the applicant is reminded after 7 and 14 days and the application expires after 30', async () => {
    const email = 'bez.skanu@mopr.kielce.example';
    const id = await submit(email);
    const handle = sys.client.workflow.getHandle(id);

    await sys.env.sleep(6 * DAY);
    expect((await handle.query(getRegistrationStatus)).remindersSent).toBe(0);

    await sys.env.sleep(1 * DAY + 60_000);
    await eventually(async () => (await handle.query(getRegistrationStatus)).remindersSent === 1, 20_000, 'first reminder');
    const first = await sys.smtp.waitFor((m) => (m.subject ?? '').startsWith('Przypomnienie') && (m.text ?? '').includes('przypomnienie nr 1'));
    expect(first.text).toContain('wniosek wygaśnie');

    await sys.env.sleep(7 * DAY);
    await eventually(async () => (await handle.query(getRegistrationStatus)).remindersSent === 2, 20_000, 'second reminder');

    await sys.env.sleep(16 * DAY);
    const final = await handle.result();
    expect(final.status).toBe('expired');
    await sys.smtp.waitFor((m) => (m.subject ?? '').startsWith('Wniosek rejestracyjny wygasł'));
    expect(subjects(email).filter((s) => s.startsWith('Przypomnienie'))).toHaveLength(2);

    const row = await caseRow(id);
    expect(row.status).toBe('expired');
    expect(row.closed_at).not.toBeNull();
    expect(await eventTypes(id)).toEqual(['case_opened', 'receipt_issued', 'document_generated', 'mail_sent', 'reminder_sent', 'reminder_sent', 'mail_sent', 'application_expired']);
});

test('a scan arriving on day 10 stops the reminders and the expiry; the case waits for the decision', async () => {
    const email = 'skan.dzien.10@mopr.kielce.example';
    const id = await submit(email);
    const handle = sys.client.workflow.getHandle(id);

    await sys.env.sleep(10 * DAY);
    await eventually(async () => (await handle.query(getRegistrationStatus)).remindersSent === 1, 20_000, 'first reminder');
    await request(sys.app).post(`/api/cases/${id}/scans`).set({ Authorization: `Bearer ${admin}` }).field('channel', 'epuap').attach('file', SCAN_PDF, 'skan.pdf').expect(201);
    await eventually(async () => (await handle.query(getRegistrationStatus)).status === 'awaiting_decision', 20_000, 'awaiting decision');

    await sys.env.sleep(40 * DAY);
    const status = await handle.query(getRegistrationStatus);
    expect(status).toMatchObject({ status: 'awaiting_decision', remindersSent: 1, scans: 1 });
    expect(status.openTaskId).toBeTruthy();
    expect(subjects(email).filter((s) => s.startsWith('Przypomnienie'))).toHaveLength(1);
    expect((await caseRow(id)).closed_at).toBeNull();
});
