import { createHash } from 'node:crypto';
import request from 'supertest';
import { csizsConnectionWorkflowId, getCsizsStatus, type CsizsConnectionView } from '../../workflows/messages';
import { CAMPAIGN_500_PLUS_2016, shiftCalendarDays } from '../../workflows/rules/csizs-campaign';
import { certificateFor, changeTemporaryPassword, csizsUnitUrl, notificationFor, openPackage } from '../support/csizs';
import { binaryBody, SCAN_PDF, SCAN_PNG, pdfText, tokenFor } from '../support/fixtures';
import { recipients } from '../support/smtp';
import { extractWith7z } from '../support/zip';
import { eventually, startSystem, type TestSystem } from '../support/system';
import { unsealedHistory } from '../support/history';

// seed 004, the three steps that complete by their own path, against the dev server: the connection
// notification (Załącznik 2) as a PDF to sign, its scan checked by the voivodeship, a question to the
// head; the information package (Załącznik 3) encrypted, its password read once for the phone call;
// the temporary password changed under the policy. Then nothing secret is left in plain text in the
// history, the outbox or the read model.

const CAMPAIGN = 'csizs-paths';
const UNIT = '2661011';
let sys: TestSystem;
let ministry: string;
let adm: string;
let head: string;
let local: string;

const url = (suffix = '') => `${csizsUnitUrl(CAMPAIGN, UNIT)}${suffix}`;
const handle = () => sys.client.workflow.getHandle(csizsConnectionWorkflowId(CAMPAIGN, UNIT));
const status = (): Promise<CsizsConnectionView> => handle().query(getCsizsStatus);
const post = (token: string, suffix: string, body?: object) => request(sys.app).post(url(suffix)).set('Authorization', `Bearer ${token}`).send(body);
const scan = (token: string, content: Buffer, name: string) => request(sys.app).post(url('/notification/scan')).set('Authorization', `Bearer ${token}`).attach('file', content, name);


beforeAll(async () => {
  sys = await startSystem();
  ministry = await tokenFor(sys.db.orm, 'mrpips-paths', 'ministry', null);
  adm = await tokenFor(sys.db.orm, 'adm-paths-26', 'voivodeship_admin', '26');
  head = await tokenFor(sys.db.orm, 'head-paths', 'unit_head', '26');
  local = await tokenFor(sys.db.orm, 'ladm-paths', 'local_admin', '26');
  await sys.db.orm.em.fork().getConnection().execute("update role_assignments set unit_code = ? where role in ('unit_head', 'local_admin')", [UNIT]);
});
afterAll(async () => {
  await sys?.close();
});

test('seed 004 pkt 2, 5 and 6b: notification, package and temporary password (PI-MZT sign-in rule) through their own paths, with no secret left in plain text', async () => {
  const calendar = shiftCalendarDays(CAMPAIGN_500_PLUS_2016, Math.ceil((Date.now() - Date.UTC(2016, 2, 16)) / 86_400_000) + 365);
  await request(sys.app).post('/api/csizs-campaigns').set('Authorization', `Bearer ${ministry}`).send({ id: CAMPAIGN, calendar, unitCodes: [UNIT] }).expect(201);
  await request(sys.app).post(`/api/csizs-campaigns/${CAMPAIGN}/start`).set('Authorization', `Bearer ${ministry}`).expect(202);
  await eventually(async () => (await status().catch(() => null))?.currentStep === 'cas_report', 60_000, 'connection started');
  await post(local, '/steps', { step: 'cas_report', vendor: 'Sygnity' }).expect(200);
  // seed 004 pkt 2–4: the local administrator designated and the infrastructure ready by 23 March, installation; then the notification.
  for (const step of ['local_admin', 'infrastructure', 'installation']) await post(local, '/steps', { step }).expect(200);

  // ---- Załącznik 2 ----
  const data = notificationFor(UNIT);
  const filed = await post(head, '/notification', data).expect(200);
  expect(filed.body.notification).toMatchObject({ status: 'awaiting_scan', scanDocumentId: null });
  const pdf = await request(sys.app)
    .get(url(`/documents/${encodeURIComponent(filed.body.notification.documentId)}`))
    .set('Authorization', `Bearer ${head}`)
    .buffer(true)
    .parse(binaryBody)
    .expect(200);
  const text = pdfText(pdf.body as Buffer);
  for (const part of ['Zgłoszenie gotowości do podłączenia', data.unitName, 'Żaneta', data.localAdmin.email, data.localAdmin.phone, 'SW, SR', 'podpis i pieczęć kierownika']) expect(text).toContain(part);

  // Nothing to decide before the scan; uploads that are not what they claim leave the workflow untouched.
  expect((await post(adm, '/notification/decision', { decision: 'accept' }).expect(409)).body.error.code).toBe('CSIZS_NOTIFICATION_NOT_AWAITING');
  const png = await scan(head, SCAN_PNG, 'zgloszenie.pdf').expect(415);
  expect(png.body.error).toMatchObject({ code: 'FILE_TYPE_MISMATCH', message: 'Plik zgloszenie.pdf ma rozszerzenie .pdf, ale jego zawartość to PNG' });
  const txt = await scan(head, Buffer.from('to nie jest skan, tylko tekst'), 'zgloszenie.pdf').expect(415);
  expect(txt.body.error.code).toBe('UNSUPPORTED_FILE_TYPE');
  expect(txt.body.error.message).toContain('zgloszenie.pdf');
  expect((await status()).notification).toMatchObject({ status: 'awaiting_scan', scanDocumentId: null });
  expect((await post(adm, '/steps', { step: 'notification' }).expect(409)).body.error.code).toBe('CSIZS_STEP_HAS_OWN_PATH');
  // Another voivodeship's administrator may not look at it.
  const adm12 = await tokenFor(sys.db.orm, 'adm-paths-12', 'voivodeship_admin', '12');
  await post(adm12, '/notification/decision', { decision: 'accept' }).expect(403);

  await scan(head, SCAN_PDF, 'zgloszenie.pdf').expect(201);
  expect((await status()).notification?.status).toBe('awaiting_review');
  // seed 003 (003_ac9166c2b11efdcf.txt, pkt 12): the notification's scan gets its receipt (UPO) as it is received.
  const upos = await sys.db.orm.em.fork().getConnection().execute('select kind, number from receipts where case_id = ?', [csizsConnectionWorkflowId(CAMPAIGN, UNIT)]);
  expect(upos).toEqual([{ kind: 'csizs-notification-scan', number: expect.stringMatching(/^UPO\/\d{8}\/[0-9A-F]{12}$/) }]);

  // The voivodeship doubts the data and asks the head: a task and a mail to the head; the head answers.
  expect((await post(adm, '/notification/decision', { decision: 'clarify' }).expect(400)).body.error.code).toBe('CSIZS_REASON_REQUIRED');
  await post(adm, '/notification/decision', { decision: 'clarify', reason: 'Czy administrator lokalny obsługuje też obszar SR?' }).expect(200);
  const mail = await sys.smtp.waitFor((m) => (m.subject ?? '').startsWith('Prośba o wyjaśnienie danych zgłoszenia'));
  expect(recipients(mail)).toEqual([data.head.email]);
  expect(mail.text).toContain('Czy administrator lokalny obsługuje też obszar SR?');
  const conn = sys.db.orm.em.fork().getConnection();
  const [task] = await conn.execute("select role, status, unit_code from tasks where kind = 'csizs-clarification'");
  expect(task).toMatchObject({ role: 'unit_head', status: 'open', unit_code: UNIT });
  await post(local, '/notification/clarification', { answer: 'Tak, oba obszary' }).expect(403);
  await post(adm, '/notification/decision', { decision: 'accept' }).expect(409);
  const answered = await post(head, '/notification/clarification', { answer: 'Tak, administrator obsługuje SW i SR' }).expect(200);
  expect(answered.body.notification).toMatchObject({ status: 'awaiting_review', answer: 'Tak, administrator obsługuje SW i SR' });
  expect((await conn.execute("select status, comment from tasks where kind = 'csizs-clarification'"))[0]).toMatchObject({ status: 'done', comment: 'Tak, administrator obsługuje SW i SR' });

  // Rejected with a reason, scanned again, accepted: the step is done.
  await post(adm, '/notification/decision', { decision: 'reject', reason: 'Brak podpisu kierownika' }).expect(200);
  expect((await status()).notification).toMatchObject({ status: 'rejected', rejectionReason: 'Brak podpisu kierownika' });
  await scan(head, SCAN_PDF, 'zgloszenie-podpisane.pdf').expect(201);
  const accepted = await post(adm, '/notification/decision', { decision: 'accept' }).expect(200);
  expect(accepted.body).toMatchObject({ currentStep: 'package_sent', notification: { status: 'accepted' } });

  // ---- Załącznik 3 ----
  const missing = await post(adm, '/package', { domainSystems: ['SW', 'SR'], certificates: { SW: certificateFor(UNIT, 'SW') } }).expect(422);
  expect(missing.body.error).toMatchObject({ code: 'CSIZS_CERTIFICATES_MISSING', message: 'Brak certyfikatu dla systemu dziedzinowego: SR' });
  expect(missing.body.error.details).toEqual([expect.objectContaining({ path: 'body.certificates.SR' })]);
  expect((await status()).package).toBeNull();
  expect((await post(adm, '/package-password/reveal').expect(410)).body.error.code).toBe('CSIZS_PACKAGE_PASSWORD_GONE');

  const certificates = { SW: certificateFor(UNIT, 'SW'), SR: certificateFor(UNIT, 'SR') };
  const sent = await post(adm, '/package', { domainSystems: ['SW', 'SR'], certificates }).expect(200);
  expect(sent.body.package).toMatchObject({ status: 'sent', domainSystems: ['SW', 'SR'], passwordHandedOverAt: null });
  expect(sent.body.package.certificateSha256).toEqual([createHash('sha256').update(certificates.SW).digest('hex'), createHash('sha256').update(certificates.SR).digest('hex')]);
  expect(JSON.stringify(sent.body)).not.toMatch(/password"\s*:\s*"/);
  expect((await post(adm, '/package', { domainSystems: ['SW'], certificates: { SW: certificates.SW } }).expect(409)).body.error.code).toBe('CSIZS_PACKAGE_NOT_AWAITING');

  // The file goes to the local administrator by e-mail as a password-protected ZIP; the password does not.
  const pkgMail = await sys.smtp.waitFor((m) => (m.subject ?? '').startsWith('Pakiet informacji do podłączenia do CSIZS'));
  expect(recipients(pkgMail)).toEqual([data.localAdmin.email]);
  expect(pkgMail.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`pakiet-csizs-${UNIT}.zip`, 'application/zip']]);
  const [handoverTask] = await conn.execute("select role, voivodeship, status, title from tasks where kind = 'csizs-password-handover'");
  expect(handoverTask).toMatchObject({ role: 'voivodeship_admin', voivodeship: '26', status: 'open' });
  expect(handoverTask.title).toContain(data.localAdmin.phone);

  // The phone task shows the password once.
  expect((await post(local, '/package-password/reveal').expect(403)).body.error.code).toBe('FORBIDDEN');
  const revealed = await post(adm, '/package-password/reveal').expect(200);
  expect(revealed.headers['cache-control']).toBe('no-store');
  const packagePassword: string = revealed.body.password;
  expect(packagePassword.length).toBeGreaterThanOrEqual(16);
  expect((await post(adm, '/package-password/reveal').expect(410)).body.error.code).toBe('CSIZS_PACKAGE_PASSWORD_GONE');
  expect(Buffer.compare(pkgMail.attachments[0].content, Buffer.from(''))).not.toBe(0);

  const opened = await openPackage(sys.app, CAMPAIGN, UNIT, local, sent.body.package.documentId, packagePassword);
  expect(opened.file.equals(pkgMail.attachments[0].content)).toBe(true);
  expect(opened.entryName).toBe(`pakiet-csizs-${UNIT}.pdf`);
  expect(opened.text).toContain(certificates.SR.split('\n')[1]);
  expect(opened.text).toContain('https://mzt.mpips.gov.pl/mzt-app-web');
  // 7-Zip, as at the gmina, opens the mailed file with the password from the phone call, and not without it.
  const with7z = extractWith7z(pkgMail.attachments[0].content, packagePassword);
  expect(with7z.ok && pdfText(with7z.files[`pakiet-csizs-${UNIT}.pdf`])).toContain(opened.login);
  expect(extractWith7z(pkgMail.attachments[0].content, 'Zle#Haslo12345678').ok).toBe(false);
  await expect(openPackage(sys.app, CAMPAIGN, UNIT, local, sent.body.package.documentId, 'Zle#Haslo12345678')).rejects.toThrow();

  // A hand-over time in the case's future is refused by name, and the task stays open.
  const future = await post(adm, '/package-password/handover', { handedOverAt: new Date(Date.now() + 3_600_000).toISOString() }).expect(400);
  expect(future.body.error).toMatchObject({ code: 'CSIZS_REASON_REQUIRED', message: 'Godzina przekazania hasła nie może być w przyszłości' });
  expect((await conn.execute("select status from tasks where kind = 'csizs-password-handover'"))[0].status).toBe('open');
  const handedOverAt = new Date().toISOString();
  const handed = await post(adm, '/package-password/handover', { handedOverAt }).expect(200);
  expect(handed.body).toMatchObject({ currentStep: 'package_verified', package: { status: 'handed_over', passwordHandedOverAt: handedOverAt, passwordHandedOverBy: 'adm-paths-26' } });
  expect((await conn.execute("select status from tasks where kind = 'csizs-password-handover'"))[0].status).toBe('done');
  await post(local, '/steps', { step: 'package_verified' }).expect(200);

  // ---- seed 004 pkt 6b: the temporary password, by PI-MZT's rule ----
  expect((await post(local, '/steps', { step: 'password_changed' }).expect(409)).body.error.code).toBe('CSIZS_STEP_HAS_OWN_PATH');
  const signInTemporary = () => request(sys.app).post('/api/auth/login').send({ login: opened.login, password: opened.temporaryPassword });
  // Signing in without changing the temporary password: "Błędny login lub hasło", and no session.
  for (let i = 1; i <= 2; i++) {
    const refused = await signInTemporary().expect(401);
    expect(refused.body.error).toMatchObject({ code: 'BAD_CREDENTIALS', message: 'Błędny login lub hasło' });
    expect(refused.headers['set-cookie']).toBeUndefined();
  }
  const { change } = await changeTemporaryPassword(sys.app, opened.login, opened.temporaryPassword, 'Nowe#Haslo2016');
  const weak = await change(opened.temporaryPassword, 'slabe').expect(400);
  expect(weak.body.error.message).toBe('Hasło nie spełnia reguł polityki bezpieczeństwa');
  const repeated = await change(opened.temporaryPassword, 'Nowe#Haslo2016', 'Nowe#Haslo2017').expect(400);
  expect(repeated.body.error.message).toBe('Powtórzone hasło różni się od nowego hasła');
  const wrongOld = await change('Niepoprawne#1', 'Nowe#Haslo2016').expect(400);
  expect(wrongOld.body.error.message).toBe('Stare hasło nie jest poprawne');
  // The 4th failed attempt is refused as before; the 5th locks the user for a while, even the change screen.
  expect((await signInTemporary().expect(401)).body.error.message).toBe('Błędny login lub hasło');
  expect((await signInTemporary().expect(423)).body.error.code).toBe('ACCOUNT_LOCKED');
  expect((await change(opened.temporaryPassword, 'Nowe#Haslo2016').expect(423)).body.error.code).toBe('ACCOUNT_LOCKED');
  expect((await status()).passwordChangedAt).toBeNull();
  expect((await status()).currentStep).toBe('password_changed');
  // LOGIN_LOCK_MINUTES later (the lock's end moved to now: the dev server keeps the machine's clock).
  await conn.execute('update accounts set locked_until = now() - interval \'1 second\' where login = ?', [opened.login]);
  await change(opened.temporaryPassword, 'Nowe#Haslo2016').expect(204);
  expect((await request(sys.app).post('/api/auth/login').send({ login: opened.login, password: 'Nowe#Haslo2016' }).expect(200)).body.mustChangePassword).toBe(false);
  await eventually(async () => (await status()).currentStep === 'domain_registration', 20_000, 'password step done');
  const row = async () => (await conn.execute('select * from csizs_units where campaign_id = ? and unit_code = ?', [CAMPAIGN, UNIT]))[0];
  await eventually(async () => (await row()).password_changed_at !== null, 20_000, 'read model: password changed');
  const unitRow = await row();
  expect(unitRow.current_step).toBe('domain_registration');
  expect(unitRow.notification_status).toBe('accepted');
  expect(new Date(unitRow.package_password_handed_over_at).toISOString()).toBe(handedOverAt);
  // The local administrator's new account: five wrong sign-ins lock it, with the seed's messages.
  for (let i = 1; i <= 4; i++) expect((await request(sys.app).post('/api/auth/login').send({ login: opened.login, password: opened.temporaryPassword }).expect(401)).body.error.message).toBe('Błędny login lub hasło');
  await request(sys.app).post('/api/auth/login').send({ login: opened.login, password: opened.temporaryPassword }).expect(423);

  // ---- nothing secret in plain text: history, outbox, read model, audit trail, sealed store ----
  const secrets = [opened.temporaryPassword, packagePassword, 'BEGIN CERTIFICATE', 'SEKRET0', 'Nowe#Haslo2016'];
  const history = await unsealedHistory(handle());
  expect(history).toContain(createHash('sha256').update(certificates.SW).digest('hex'));
  expect(history).toContain(handedOverAt);
  const dump = async (sql: string) => JSON.stringify(await conn.execute(sql));
  const outbox = await dump('select * from outbox');
  const readModel = await dump('select * from csizs_units') + (await dump('select * from csizs_checkpoints')) + (await dump('select * from csizs_calls')) + (await dump('select * from tasks')) + (await dump('select * from documents'));
  const auditTrail = await dump('select * from audit_log');
  const sealed = (await conn.execute<{ sealed: Buffer }[]>('select sealed from secrets')).map((r) => r.sealed.toString('latin1')).join('\n');
  for (const [where, content] of Object.entries({ history, outbox, readModel, auditTrail, sealed })) {
    for (const secret of secrets) expect({ where, leaked: content.includes(secret) ? secret : null }).toEqual({ where, leaked: null });
  }
  expect(outbox).toContain('Pakiet informacji do podłączenia do CSIZS');
  // Every sealed secret has been used and erased: the certificates into the package, the password by the phone task.
  expect(await conn.execute("select count(*)::int as n from secrets where octet_length(sealed) > 0")).toEqual([{ n: 0 }]);
}, 240_000);
