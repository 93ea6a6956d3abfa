import { createHash } from 'node:crypto';
import request from 'supertest';
import { startWorkflow } from '../../lib/workflow-types';
import { SA, csizsConnectionWorkflowId, getCsizsStatus, type CsizsConnectionView } from '../../workflows/messages';
import { CAMPAIGN_500_PLUS_2016, addLocalDays, resolveCalendar, shiftCalendarDays, warsawToInstant, type CsizsStep } from '../../workflows/rules/csizs-campaign';
import { acceptNotification, certificateFor, changeTemporaryPassword, csizsUnitUrl, notify, notifyAndAccept, openPackage, sendPackageAndHandOver } from '../support/csizs';
import { tokenFor } from '../support/fixtures';
import { eventually, startSystem, type TestSystem } from '../support/system';
import { unsealedHistory } from '../support/history';

// seed 004, the 2016 calendar run in the time-skipping server for four units: on time (Kielce), an Otago
// user (Kraków), late at installation (Warszawa), unreachable at checkpoint 2 and escalated (Wrocław).
// The server starts at the real current time, so the calendar is moved by whole days to begin now.

const DAY = 24 * 60 * 60 * 1000;
const CAMPAIGN = 'csizs-500-plus-test';
const UNITS = { onTime: '2661011', otago: '1261011', late: '1465011', unreachable: '0264011' } as const;
const VOIV: Record<string, string> = { '2661011': '26', '1261011': '12', '1465011': '14', '0264011': '02' };

let sys: TestSystem;
let shiftDays: number;
let ministry: string;
const admins: Record<string, string> = {};
const locals: Record<string, string> = {};

/** A 2016 local time of the seed, moved to this run's calendar, as an instant. */
const when = (local2016: string) => warsawToInstant(addLocalDays(local2016, shiftDays));
const iso = (local2016: string) => new Date(when(local2016)).toISOString();

async function advanceTo(local2016: string) {
  const now = await sys.env.currentTimeMs();
  const target = when(local2016);
  if (target > now) await sys.env.sleep(target - now);
}

const handle = (unit: string) => sys.client.workflow.getHandle(csizsConnectionWorkflowId(CAMPAIGN, unit));
const status = (unit: string): Promise<CsizsConnectionView> => handle(unit).query(getCsizsStatus);

async function step(unit: string, s: CsizsStep, extra: Record<string, unknown> = {}, expectStatus = 200) {
  const voivodeshipStep = s === 'notification' || s === 'package_sent';
  const token = voivodeshipStep ? admins[VOIV[unit]] : locals[unit];
  const res = await request(sys.app).post(`/api/csizs-campaigns/${CAMPAIGN}/units/${unit}/steps`).set('Authorization', `Bearer ${token}`).send({ step: s, ...extra });
  expect({ status: res.status, body: res.body }).toMatchObject({ status: expectStatus });
  return res.body;
}

/** seed 004 pkt 5 + Uwaga 2: the package mailed, its password read once and handed over by phone. */
const packagePasswords: Record<string, string> = {};
async function sendPackage(unit: string, handedOverAt: string) {
  // The case refuses a hand-over time in its future: the clock first goes to the phone call.
  await advanceTo(handedOverAt);
  packagePasswords[unit] = await sendPackageAndHandOver(sys.app, CAMPAIGN, unit, admins[VOIV[unit]], iso(handedOverAt));
}

/** pkt 6b: the local administrator opens the package and changes the temporary password in it. */
const temporaryPasswords: Record<string, string> = {};
const localLogins: Record<string, string> = {};
async function changePassword(unit: string) {
  const view = await status(unit);
  const pkg = await openPackage(sys.app, CAMPAIGN, unit, locals[unit], view.package!.documentId, packagePasswords[unit]);
  temporaryPasswords[unit] = pkg.temporaryPassword;
  localLogins[unit] = pkg.login;
  await (await changeTemporaryPassword(sys.app, pkg.login, pkg.temporaryPassword, `Nowe#Haslo${unit}`)).done();
  await eventually(async () => (await status(unit)).completed.includes('password_changed'), 20_000, `${unit} password changed`);
}

/** seed 004 pkt 7a–c: what the local administrator configured (the certificate from the unit's package). */
const registrationOf = (unit: string) => ({ registration: { ntpServer: 'tempus1.gum.gov.pl', empatiaAddress: 'https://empatia.example.gov.pl/csizs', empatiaCertificate: certificateFor(unit, 'SW') } });
/** pkt 7 registration, then pkt 8 (Uwaga 3) the dictionaries first. */
async function register(unit: string) {
  await step(unit, 'domain_registration', registrationOf(unit));
  await step(unit, 'dictionaries');
}

async function call(unit: string, checkpoint: string, outcome: string, reason?: string, expectStatus = 200) {
  const res = await request(sys.app)
    .post(`/api/csizs-campaigns/${CAMPAIGN}/units/${unit}/calls`)
    .set('Authorization', `Bearer ${ministry}`)
    .send({ checkpoint, outcome, ...(reason ? { reason } : {}) });
  expect({ status: res.status, body: res.body }).toMatchObject({ status: expectStatus });
  return res.body;
}

async function unitRow(unit: string) {
  const [row] = await sys.db.orm.em.fork().getConnection().execute(
    'select current_step, late_step, vendor, connected, escalated_at, escalation_reason, package_password_handed_over_at from csizs_units where campaign_id = ? and unit_code = ?',
    [CAMPAIGN, unit],
  );
  return row;
}


const lateSA = async (unit: string) => (await handle(unit).describe()).typedSearchAttributes.get(SA.lateStep) ?? null;

beforeAll(async () => {
  sys = await startSystem({ timeSkipping: true });
  const now = await sys.env.currentTimeMs();
  // The campaign's first day (16 March 2016) becomes tomorrow.
  shiftDays = Math.ceil((now - Date.UTC(2016, 2, 16)) / DAY) + 1;
  ministry = await tokenFor(sys.db.orm, 'mrpips-csizs', 'ministry', null);
  for (const v of new Set(Object.values(VOIV))) admins[v] = await tokenFor(sys.db.orm, `adm-csizs-${v}`, 'voivodeship_admin', v);
  for (const unit of Object.values(UNITS)) {
    locals[unit] = await tokenFor(sys.db.orm, `ladm-${unit}`, 'local_admin', VOIV[unit]);
    await sys.db.orm.em.fork().getConnection().execute(
      "update role_assignments set unit_code = ? where account_id = (select id from accounts where login = ?) and role = 'local_admin'",
      [unit, `ladm-${unit}`],
    );
  }
});
afterAll(async () => {
  await sys?.close();
});

test('seed 004 Rozdział 1 pkt 2–9, the 2016 calendar for four units: on time (notifying right after the installation of 24 March), Otago, late at installation, escalated at checkpoint 2', async () => {
  const calendar = shiftCalendarDays(CAMPAIGN_500_PLUS_2016, shiftDays);
  const created = await request(sys.app)
    .post('/api/csizs-campaigns')
    .set('Authorization', `Bearer ${ministry}`)
    .send({ id: CAMPAIGN, calendar, unitCodes: Object.values(UNITS) })
    .expect(201);
  expect(created.body).toMatchObject({ totalUnits: 4, startedUnits: 0, status: 'created' });
  // The connections are started directly here: the Java time-skipping server stops skipping time once a
  // child reports completion to a parent that already closed (ParentClosePolicy ABANDON), which the real
  // server handles. The campaign starter is covered against the dev server (test/api/csizs-campaign.test.ts).
  const plan = resolveCalendar(calendar);
  for (const unit of Object.values(UNITS)) {
    await startWorkflow(sys.client, 'csizsConnectionWorkflow', {
      workflowId: csizsConnectionWorkflowId(CAMPAIGN, unit),
      taskQueue: sys.config.TEMPORAL_TASK_QUEUE,
      args: [{ campaignId: CAMPAIGN, unitCode: unit, voivodeship: VOIV[unit], vendors: calendar.vendors, plan }],
    });
  }
  for (const unit of Object.values(UNITS)) await eventually(async () => (await status(unit)).currentStep === 'cas_report', 20_000, `${unit} running`);

  const first = await status(UNITS.onTime);
  expect(first.deadlines).toMatchObject({ cas_report: iso('2016-03-24'), local_admin: iso('2016-03-24'), installation: iso('2016-03-25'), notification: iso('2016-03-25'), package_sent: iso('2016-03-26'), domain_registration: iso('2016-03-30') });

  // Out of order: refused with a 409 that names it, nothing changes.
  const bad = await step(UNITS.onTime, 'installation', {}, 409);
  expect(bad.error.code).toBe('CSIZS_STEP_OUT_OF_ORDER');
  const noVendor = await step(UNITS.onTime, 'cas_report', {}, 400);
  expect(noVendor.error.code).toBe('CSIZS_VENDOR_REQUIRED');
  // A call before the window opens: the unit is not on any call list yet.
  expect((await call(UNITS.onTime, 'checkpoint_1', 'confirmed', undefined, 409)).error.code).toBe('CSIZS_NOT_ON_CALL_LIST');
  expect((await status(UNITS.onTime)).completed).toEqual([]);

  await advanceTo('2016-03-22T10:00');
  for (const [unit, vendor] of [[UNITS.onTime, 'Sygnity'], [UNITS.otago, 'Otago'], [UNITS.late, 'Comarch'], [UNITS.unreachable, 'Sygnity']] as const) {
    await step(unit, 'cas_report', { vendor });
    // seed 004 pkt 2: by 23 March the local administrator is designated; the notification waits for the installation.
    await step(unit, 'local_admin');
    await step(unit, 'infrastructure');
  }
  const early = await request(sys.app).post(`${csizsUnitUrl(CAMPAIGN, UNITS.onTime)}/notification`).set('Authorization', `Bearer ${locals[UNITS.onTime]}`).send({});
  expect(early.status).toBe(400);
  const notYet = await notify(sys.app, CAMPAIGN, UNITS.onTime, locals[UNITS.onTime], 409);
  expect(notYet.error).toMatchObject({ code: 'CSIZS_STEP_OUT_OF_ORDER', message: 'Zgłoszenie podłączenia składa się po kroku „Instalacja systemu dziedzinowego”' });
  expect((await status(UNITS.onTime)).notification).toBeNull();
  const otagoView = await status(UNITS.otago);
  expect(otagoView.deadlines).toMatchObject({ installation: iso('2016-03-30'), package_sent: iso('2016-03-30'), cas_report: iso('2016-03-24') });

  // 24 March: Kielce installs and right after sends the notification (Załącznik 2); the voivodeship checks it the next morning.
  await advanceTo('2016-03-24T10:00');
  await step(UNITS.onTime, 'installation');
  await notify(sys.app, CAMPAIGN, UNITS.onTime, locals[UNITS.onTime]);
  await step(UNITS.unreachable, 'installation');
  await notifyAndAccept(sys.app, CAMPAIGN, UNITS.unreachable, { unit: locals[UNITS.unreachable], voivodeship: admins[VOIV[UNITS.unreachable]] });

  // Uwaga 1: from 12:00 the ministry phones every unit.
  await advanceTo('2016-03-24T12:30');
  await eventually(async () => (await status(UNITS.late)).checkpoints.checkpoint_1 === 'open', 20_000, 'call list 1');
  await call(UNITS.onTime, 'checkpoint_1', 'confirmed');
  await call(UNITS.unreachable, 'checkpoint_1', 'confirmed');
  expect((await call(UNITS.otago, 'checkpoint_1', 'not_confirmed', undefined, 400)).error.code).toBe('CSIZS_REASON_REQUIRED');
  await call(UNITS.otago, 'checkpoint_1', 'not_confirmed', 'Oprogramowanie Otago dystrybuowane od 29 marca');
  await call(UNITS.late, 'checkpoint_1', 'no_answer');
  expect((await status(UNITS.late)).checkpoints.checkpoint_1).toBe('open');

  // Past 24 March: Warszawa is late at installation, Kraków (Otago) is not.
  await advanceTo('2016-03-25T00:30');
  await eventually(async () => (await unitRow(UNITS.late)).late_step === 'installation', 20_000, 'late in read model');
  expect(await lateSA(UNITS.late)).toBe('installation');
  expect((await status(UNITS.late)).checkpoints.checkpoint_1).toBe('unreachable');
  expect((await status(UNITS.otago)).lateStep).toBeNull();
  expect(await lateSA(UNITS.otago)).toBeNull();
  // Kielce followed the seed: installed on 24 March, notified right after; not late though not yet accepted.
  const kielce = await status(UNITS.onTime);
  expect(kielce).toMatchObject({ currentStep: 'notification', lateStep: null, lateAt: [], notification: { status: 'awaiting_review' } });
  expect((await unitRow(UNITS.onTime)).late_step).toBeNull();
  expect(await lateSA(UNITS.onTime)).toBeNull();
  // Warszawa neither installed nor notified by 24 March.
  await eventually(async () => (await status(UNITS.late)).lateAt.length === 2, 20_000, 'Warszawa late twice');
  expect((await status(UNITS.late)).lateAt).toEqual(['installation', 'notification']);

  await advanceTo('2016-03-25T09:00');
  await acceptNotification(sys.app, CAMPAIGN, UNITS.onTime, admins['26']);
  expect(await status(UNITS.onTime)).toMatchObject({ currentStep: 'package_sent', lateStep: null, lateAt: [] });

  await advanceTo('2016-03-25T10:00');
  await step(UNITS.late, 'installation');
  expect((await unitRow(UNITS.late)).late_step).toBe('notification');
  await notifyAndAccept(sys.app, CAMPAIGN, UNITS.late, { unit: locals[UNITS.late], voivodeship: admins[VOIV[UNITS.late]] });
  expect((await unitRow(UNITS.late)).late_step).toBeNull();
  expect(await lateSA(UNITS.late)).toBeNull();
  expect((await status(UNITS.late)).lateAt).toEqual(['installation', 'notification']);

  // The package needs a certificate for each domain system; only its fingerprint is kept.
  const noSR = await request(sys.app)
    .post(`${csizsUnitUrl(CAMPAIGN, UNITS.onTime)}/package`)
    .set('Authorization', `Bearer ${admins['26']}`)
    .send({ domainSystems: ['SW', 'SR'], certificates: { SW: certificateFor(UNITS.onTime, 'SW') } })
    .expect(422);
  expect(noSR.body.error).toMatchObject({ code: 'CSIZS_CERTIFICATES_MISSING', message: 'Brak certyfikatu dla systemu dziedzinowego: SR' });
  expect((await status(UNITS.onTime)).package).toBeNull();
  for (const unit of [UNITS.onTime, UNITS.late, UNITS.unreachable]) await sendPackage(unit, '2016-03-25T11:00');
  expect(new Date((await unitRow(UNITS.onTime)).package_password_handed_over_at).toISOString()).toBe(iso('2016-03-25T11:00'));

  await advanceTo('2016-03-28T10:00');
  for (const unit of [UNITS.onTime, UNITS.late]) {
    await step(unit, 'package_verified');
    await changePassword(unit);
  }
  // pkt 7: the registration needs its data; a certificate not from the unit's package is refused by name.
  const bare = await step(UNITS.onTime, 'domain_registration', {}, 422);
  expect(bare.error).toMatchObject({ code: 'CSIZS_STEP_DATA_INVALID', message: expect.stringContaining('źródło czasu NTP') });
  const foreign = await step(UNITS.onTime, 'domain_registration', { registration: { ...registrationOf(UNITS.onTime).registration, empatiaCertificate: certificateFor(UNITS.late, 'SW') } }, 422);
  expect(foreign.error.message).toBe('Certyfikat Emp@tia nie pochodzi z pakietu informacji (Załącznik 3) przekazanego jednostce');
  const http = await step(UNITS.onTime, 'domain_registration', { registration: { ...registrationOf(UNITS.onTime).registration, empatiaAddress: 'http://empatia.example.gov.pl' } }, 400);
  expect(JSON.stringify(http.error)).toContain('adres https://');
  expect((await status(UNITS.onTime)).currentStep).toBe('domain_registration');
  for (const unit of [UNITS.onTime, UNITS.late]) await register(unit);
  const fingerprint = createHash('sha256').update(certificateFor(UNITS.onTime, 'SW')).digest('hex');
  expect((await status(UNITS.onTime)).registration).toEqual({ ntpServer: 'tempus1.gum.gov.pl', empatiaAddress: 'https://empatia.example.gov.pl/csizs', empatiaCertificateSha256: fingerprint });
  // The unit's page shows what was recorded, to its local administrator (signed in with the changed password).
  const signedIn = await request(sys.app).post('/api/auth/login').send({ login: localLogins[UNITS.onTime], password: `Nowe#Haslo${UNITS.onTime}` }).expect(200);
  const page = await request(sys.app).get(`/kampanie/csizs/${CAMPAIGN}/jednostki/${UNITS.onTime}`).set('Cookie', signedIn.headers['set-cookie']![0].split(';')[0]).expect(200);
  for (const part of ['źródło czasu NTP: <span class="mono">tempus1.gum.gov.pl</span>', 'https://empatia.example.gov.pl/csizs', fingerprint, 'Aktualizacja słowników w pierwszej kolejności po podłączeniu', 'Prezydent Miasta Kielce']) {
    expect(page.text).toContain(part);
  }
  // Kraków still inside its Otago dates on 28 March.
  expect((await status(UNITS.otago)).lateStep).toBeNull();

  await advanceTo('2016-03-29T09:00');
  await step(UNITS.otago, 'installation');
  await notifyAndAccept(sys.app, CAMPAIGN, UNITS.otago, { unit: locals[UNITS.otago], voivodeship: admins[VOIV[UNITS.otago]] });
  await sendPackage(UNITS.otago, '2016-03-29T09:30');
  await step(UNITS.otago, 'package_verified');
  await changePassword(UNITS.otago);
  await register(UNITS.otago);
  // pkt 9: the staff accounts' PIU reader roles, from the eight of the seed.
  expect((await step(UNITS.onTime, 'staff_accounts', {}, 422)).error.code).toBe('CSIZS_STEP_DATA_INVALID');
  expect((await step(UNITS.onTime, 'staff_accounts', { piuRoles: ['SW'] }, 400)).error.code).toBe('VALIDATION_FAILED');
  await step(UNITS.onTime, 'staff_accounts', { piuRoles: ['SR', 'FA'] });
  expect((await status(UNITS.onTime)).piuRoles).toEqual(['SR', 'FA']);
  await step(UNITS.late, 'staff_accounts', { piuRoles: ['SR'] });

  // Past 29 March: Wrocław never registered its domain system.
  await advanceTo('2016-03-30T00:30');
  await eventually(async () => (await status(UNITS.unreachable)).lateAt.length === 4, 20_000, 'Wrocław late');
  expect((await status(UNITS.unreachable)).lateAt).toEqual(['package_verified', 'password_changed', 'domain_registration', 'dictionaries']);
  expect((await unitRow(UNITS.unreachable)).late_step).toBe('package_verified');
  expect(await lateSA(UNITS.unreachable)).toBe('package_verified');

  // Uwaga 5: 30 March, checkpoint 2.
  await advanceTo('2016-03-30T09:00');
  await eventually(async () => (await status(UNITS.unreachable)).checkpoints.checkpoint_2 === 'open', 20_000, 'call list 2');
  await call(UNITS.onTime, 'checkpoint_2', 'confirmed');
  await call(UNITS.late, 'checkpoint_2', 'confirmed');
  await call(UNITS.otago, 'checkpoint_2', 'confirmed');
  await call(UNITS.unreachable, 'checkpoint_2', 'no_answer');
  await step(UNITS.otago, 'staff_accounts', { piuRoles: ['SR', 'UE'] });

  await advanceTo('2016-03-31T00:30');
  await eventually(async () => (await status(UNITS.unreachable)).escalation?.status === 'open', 20_000, 'escalation');
  expect((await status(UNITS.unreachable)).checkpoints.checkpoint_2).toBe('unreachable');
  expect((await unitRow(UNITS.unreachable)).escalated_at).not.toBeNull();
  const esc = await request(sys.app)
    .post(`/api/csizs-campaigns/${CAMPAIGN}/units/${UNITS.unreachable}/escalation`)
    .set('Authorization', `Bearer ${ministry}`)
    .send({ reason: 'Prezydent miasta: awaria serwera, podłączenie do 4 kwietnia' })
    .expect(200);
  expect(esc.body.escalation).toEqual({ status: 'recorded', reason: 'Prezydent miasta: awaria serwera, podłączenie do 4 kwietnia' });

  // The three connected units have finished; Wrocław carries on, late.
  for (const unit of [UNITS.onTime, UNITS.otago, UNITS.late]) {
    const done = await handle(unit).result();
    expect(done).toMatchObject({ connected: true, currentStep: null, lateStep: null });
  }
  expect((await status(UNITS.onTime)).lateAt).toEqual([]);
  expect((await status(UNITS.otago)).lateAt).toEqual([]);

  const m = await request(sys.app).get(`/api/csizs-campaigns/${CAMPAIGN}/monitoring`).set('Authorization', `Bearer ${ministry}`).expect(200);
  expect(m.body.perStep).toMatchObject({ connected: 3, package_verified: 1 });
  expect(m.body.latePerStep).toMatchObject({ package_verified: 1, installation: 0 });
  expect(m.body.perVoivodeship['02']).toMatchObject({ total: 1, late: 1, connected: 0 });
  expect(m.body.perVoivodeship['26']).toMatchObject({ total: 1, late: 0, connected: 1 });
  expect(m.body.lateUnits).toEqual([{ unitCode: UNITS.unreachable, voivodeship: '02', lateStep: 'package_verified' }]);
  expect(m.body.callLists.checkpoint_1.find((c: { unitCode: string }) => c.unitCode === UNITS.late)).toMatchObject({ status: 'unreachable', calls: 1, lastOutcome: 'no_answer' });
  expect(m.body.callLists.checkpoint_1.find((c: { unitCode: string }) => c.unitCode === UNITS.otago)).toMatchObject({ status: 'not_confirmed', calls: 1 });
  // seed 004 Uwaga 5: Wrocław is a city with powiat rights: its prezydent miasta is the one to ask.
  expect(m.body.escalations).toEqual([expect.objectContaining({ unitCode: UNITS.unreachable, reason: 'Prezydent miasta: awaria serwera, podłączenie do 4 kwietnia', recordedBy: 'mrpips-csizs', office: 'prezydent', addressee: 'Prezydent Miasta Wrocław' })]);

  // No certificate or password in any history, even with the payloads unsealed: only the SHA-256 went in.
  for (const unit of [UNITS.onTime, UNITS.otago, UNITS.late, UNITS.unreachable]) {
    const text = await unsealedHistory(handle(unit));
    expect(text).toContain(createHash('sha256').update(certificateFor(unit, 'SW')).digest('hex'));
    expect(text).not.toContain('SEKRET');
    expect(text).not.toContain('BEGIN CERTIFICATE');
    expect(text).not.toContain(packagePasswords[unit]);
    if (temporaryPasswords[unit]) expect(text).not.toContain(temporaryPasswords[unit]);
  }
});
