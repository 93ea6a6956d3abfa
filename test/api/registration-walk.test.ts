import request from 'supertest';
import { verifyPassword } from '../../lib/passwords';
import { application, binaryBody, pdfText, SCAN_PDF, SCAN_PNG, tokenFor } from '../support/fixtures';
import { recipients } from '../support/smtp';
import { eventually, startSystem, type TestSystem } from '../support/system';

// The whole registration, as people do it, through the HTTP API against the real Temporal dev server,
// real PostgreSQL, Chromium and a real SMTP peer.

let sys: TestSystem;
let admin26: string;
let admin12: string;

beforeAll(async () => {
  sys = await startSystem();
  admin26 = await tokenFor(sys.db.orm, 'adm-woj-26', 'voivodeship_admin', '26');
  admin12 = await tokenFor(sys.db.orm, 'adm-woj-12', 'voivodeship_admin', '12');
});
afterAll(async () => {
  await sys?.close();
});

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

test('from application to account: form, scan, rejection, corrected scan, acceptance, credentials', async () => {
    const app = application();
    const created = await request(sys.app).post('/api/registrations').send(app).expect(201);
    const caseId: string = created.body.id;
    expect(caseId).toMatch(/^registration-2661011-[0-9a-f]{16}$/);

    // Submitting the same application again returns the same case, not a second one.
    const again = await request(sys.app).post('/api/registrations').send(app).expect(200);
    expect(again.body).toMatchObject({ id: caseId, created: false });

    const waiting = await eventually(async () => {
      const r = await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin26));
      return r.status === 200 && r.body.status === 'awaiting_scan' && r.body.mail.length === 1 ? r.body : null;
    }, 30_000, 'case awaiting scan');
    expect(waiting.waitingFor).toContain('skan formularza podpisanego przez kierownika');
    expect(waiting.deadlines[0].at).toBeTruthy();
    const days = (Date.parse(waiting.deadlines[0].at) - Date.parse(waiting.createdAt)) / 86_400_000;
    expect(Math.round(days)).toBe(30);

    // The applicant gets the instructions in Polish with the form as a PDF to print and sign.
    const instructions = await sys.smtp.waitFor((m) => m.subject?.startsWith('Formularz rejestracyjny do podpisu') ?? false);
    expect(recipients(instructions)).toEqual([app.applicant.email]);
    expect(instructions.text).toContain('podpisu kierownikowi jednostki');
    expect(instructions.text).toContain('ePUAP');
    const attachment = instructions.attachments.find((a) => a.contentType === 'application/pdf');
    expect(attachment).toBeDefined();
    const text = pdfText(attachment!.content);
    expect(text).toContain('Miejski Ośrodek Pomocy Rodzinie w Kielcach');
    expect(text).toContain('Łucja Żółkiewska');
    expect(text).toContain('ŚWIĘTOKRZYSKIE');
    expect(text).toContain('podpis i pieczęć kierownika jednostki');

    // The generated documents are listed with size and SHA-256, and download intact.
    const pdfDoc = waiting.documents.find((d: { mediaType: string }) => d.mediaType === 'application/pdf');
    const downloaded = await request(sys.app).get(pdfDoc.url).set(auth(admin26)).buffer(true).parse(binaryBody);
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers['x-content-sha256']).toBe(pdfDoc.sha256);
    expect((downloaded.body as Buffer).length).toBe(pdfDoc.size);

    // Another voivodeship's administrator cannot see or act on the case.
    await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin12)).expect(403);
    await request(sys.app).post(`/api/cases/${caseId}/scans`).set(auth(admin12)).field('channel', 'epuap').attach('file', SCAN_PDF, 'skan.pdf').expect(403);

    // The voivodeship office files the signed scan that came by ePUAP.
    const scan = await request(sys.app).post(`/api/cases/${caseId}/scans`).set(auth(admin26)).field('channel', 'epuap').attach('file', SCAN_PDF, 'skan.pdf').expect(201);
    expect(scan.body.sha256).toHaveLength(64);

    const task = await eventually(async () => {
      const r = await request(sys.app).get('/api/tasks').set(auth(admin26));
      return r.body.find((t: { caseId: string }) => t.caseId === caseId);
    }, 20_000, 'decision task');
    expect(task).toMatchObject({ kind: 'registration-decision', role: 'voivodeship_admin', voivodeship: '26' });
    expect((await request(sys.app).get('/api/tasks').set(auth(admin12))).body).toEqual([]);
    await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin12)).send({ decision: 'accept' }).expect(403);

    // Rejected with a reason: the applicant is told why and sends a corrected scan by e-mail.
    const rejected = await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin26)).send({ decision: 'reject', reason: 'Brak podpisu kierownika jednostki' }).expect(200);
    expect(rejected.body.caseStatus).toBe('correction_requested');
    const rejection = await sys.smtp.waitFor((m) => m.subject?.startsWith('Wniosek rejestracyjny wymaga poprawy') ?? false);
    expect(rejection.text).toContain('Brak podpisu kierownika jednostki');
    await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin26)).send({ decision: 'accept' }).expect(409);

    await eventually(async () => (await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin26))).body.status === 'correction_requested', 20_000, 'correction requested');
    await request(sys.app).post(`/api/cases/${caseId}/scans`).set(auth(admin26)).field('channel', 'email').attach('file', SCAN_PNG, 'poprawiony.png').expect(201);
    const task2 = await eventually(async () => {
      const r = await request(sys.app).get('/api/tasks').set(auth(admin26));
      return r.body.find((t: { caseId: string; id: string }) => t.caseId === caseId && t.id !== task.id);
    }, 20_000, 'second decision task');

    const accepted = await request(sys.app).post(`/api/tasks/${task2.id}/complete`).set(auth(admin26)).send({ decision: 'accept' }).expect(200);
    expect(accepted.body.outcome).toBe('accepted');

    // The account exists with a temporary password that is only in the mail, hashed with argon2id.
    const credentials = await sys.smtp.waitFor((m) => m.subject === 'Konto w Centralnej Aplikacji Statystycznej zostało utworzone');
    expect(recipients(credentials)).toEqual([app.applicant.email]);
    const login = /Login:\s*(\S+)/.exec(credentials.text ?? '')![1];
    const password = /Hasło tymczasowe:\s*(\S+)/.exec(credentials.text ?? '')![1];
    expect(login).toBe('lzolkiewska');
    expect(password).toMatch(/^(?=.*\d)(?=.*[a-z])(?=.*[A-Z])(?=.*[^A-Za-z0-9]).{8,}$/);

    const done = await eventually(async () => {
      const r = await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin26));
      return r.body.status === 'accepted' && r.body.closedAt ? r.body : null;
    }, 20_000, 'case accepted');
    expect(done.statusLabel).toBe('Zaakceptowany — konto utworzone');
    expect(done.waitingFor).toBeNull();
    expect(done.tasks.map((t: { outcome: string }) => t.outcome)).toEqual(['rejected', 'accepted']);
    expect(done.documents.filter((d: { kind: string }) => d.kind === 'signed-scan').map((d: { source: string }) => d.source)).toEqual(['epuap', 'email']);
    expect(done.history.map((e: { type: string }) => e.type)).toEqual([
      'case_opened',
      // seed 003: a receipt (UPO) for the application and for each scan as it is received.
      'receipt_issued',
      'document_generated',
      'mail_sent',
      'scan_received',
      'receipt_issued',
      'application_rejected',
      'mail_sent',
      'scan_received',
      'receipt_issued',
      'application_accepted',
      'account_created',
      'mail_sent',
      'case_closed',
    ]);

    const conn = sys.db.orm.em.fork().getConnection();
    const [account] = await conn.execute('select id, password_hash, must_change_password from accounts where login = ?', [login]);
    expect(account.must_change_password).toBe(true);
    expect(account.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(account.password_hash, password)).toBe(true);
    const roles = await conn.execute('select role, voivodeship, unit_code, area from role_assignments where account_id = ? order by area', [account.id]);
    expect(roles).toEqual([
      { role: 'staff', voivodeship: '26', unit_code: '2661011', area: 'PS' },
      { role: 'staff', voivodeship: '26', unit_code: '2661011', area: 'SR' },
    ]);

    // The password is nowhere but in the mail: not in the read model, the outbox, or workflow history.
    const dump = JSON.stringify(await conn.execute(`select (select json_agg(o) from outbox o)::text || (select json_agg(e) from case_events e)::text || (select json_agg(c) from cases c)::text as t`));
    expect(dump).not.toContain(password);
    const history = await sys.client.workflow.getHandle(caseId).fetchHistory();
    const raw = JSON.stringify(history);
    expect(raw).not.toContain(password);
    // Personal data in workflow inputs is sealed by the payload codec.
    expect(raw).not.toContain(Buffer.from(app.applicant.email).toString('base64'));
    expect(raw).not.toContain(app.applicant.email);
});
