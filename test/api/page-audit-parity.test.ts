import request from 'supertest';
import { ensureAccount, issueToken } from '../../db/demo';
import type { Role } from '../../db/entities';
import { hashPassword } from '../../lib/passwords';
import { csizsConnectionWorkflowId, getCsizsStatus, getRegistrationStatus, getReportStatus, reportWorkflowId } from '../../workflows/messages';
import { addCalendarDays, warsawDay } from '../../workflows/rules/reporting-calendar';
import { currentQuarter } from '../support/calendar';
import { CAMPAIGN_500_PLUS_2016 } from '../../workflows/rules/csizs-campaign';
import { certificateFor, csizsUnitUrl, notificationFor } from '../support/csizs';
import { application, SCAN_PDF } from '../support/fixtures';
import { eventually, startSystem, type TestSystem } from '../support/system';

// Every page form is the twin of an API action (Api.form): done once through the page (session, CSRF
// token, urlencoded form) and once through the API (token, JSON), it leaves the same audit row — action,
// target, outcome and status. The forms are listed from the kit's registry, so a form added without an
// API twin, or without a case here, fails.

const PASSWORD = 'Parytet#Haslo2026';
const NEW_PASSWORD = 'Parytet#Nowe2026';
let sys: TestSystem;

interface Row {
  action: string;
  target: string | null;
  outcome: string;
  status: number | null;
}

async function person(login: string, role: Role, voivodeship: string | null, unitCode: string | null = null) {
  await ensureAccount(sys.db.orm, { login, firstName: 'Anna', lastName: 'Parytet', role, voivodeship });
  const conn = sys.db.orm.em.fork().getConnection();
  await conn.execute('update accounts set password_hash = ?, password_changed_at = now(), must_change_password = false where login = ?', [await hashPassword(PASSWORD), login]);
  if (unitCode) await conn.execute('update role_assignments set unit_code = ? where account_id = (select id from accounts where login = ?)', [unitCode, login]);
  return issueToken(sys.db.orm, login, 'parytet');
}

/** A browser session: its cookie and CSRF token. */
async function session(login: string, password = PASSWORD) {
  const r = await request(sys.app).post('/api/auth/login').send({ login, password }).expect(200);
  return { cookie: r.headers['set-cookie']![0].split(';')[0], csrf: r.body.csrfToken as string };
}

/** The audit rows one call wrote. */
async function rowsOf(call: () => Promise<request.Response>, expected = 1): Promise<{ res: request.Response; rows: Row[] }> {
  const conn = sys.db.orm.em.fork().getConnection();
  const [{ last }] = await conn.execute<{ last: number }[]>('select coalesce(max(id), 0)::int as last from audit_log');
  const res = await call();
  const read = () => conn.execute<Row[]>('select action, target, outcome, status from audit_log where id > ? order by id', [last]);
  // The API answers before its audit row is written (the row follows the answer); wait for it a moment.
  await eventually(async () => (await read()).length >= expected, 5_000, 'audit rows').catch(() => undefined);
  return { res, rows: await read() };
}

/** A preparatory call's audit row is in (it follows the answer), so the next call's rows do not include it. */
const audited = (action: string) =>
  eventually(async () => {
    const [row] = await sys.db.orm.em.fork().getConnection().execute<{ action: string }[]>('select action from audit_log order by id desc limit 1');
    return row?.action === action;
  }, 5_000, `audit row ${action}`);

type Fields = Record<string, string>;
interface Case {
  /** Through the page: the page path's parameters filled in, and the form's fields. */
  page: () => Promise<{ path: string; form: Fields; login?: string; password?: string; anonymous?: boolean; file?: boolean }>;
  /** Through the API twin: the twin's path filled in, the JSON body and the token (none: anonymous). */
  api: () => Promise<{ path: string; body?: unknown; token?: string; method?: 'post' | 'put'; file?: boolean }>;
  /** The resource each call acted on, where a second call cannot act on the same one (a decision is made once). */
  targets?: { page: string; api: string };
}

const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

async function registrationTask(teryt: string, email: string): Promise<{ caseId: string; taskId: string }> {
  const app = application({ email });
  app.unit.terytCode = teryt;
  const { body } = await request(sys.app).post('/api/registrations').send(app).expect(201);
  const handle = sys.client.workflow.getHandle(body.id);
  await eventually(async () => (await handle.query(getRegistrationStatus)).status === 'awaiting_scan', 60_000, 'awaiting scan');
  await request(sys.app).post(`/api/cases/${body.id}/scans`).set('Authorization', `Bearer ${tokens.adm}`).field('channel', 'epuap').attach('file', SCAN_PDF, 'skan.pdf').expect(201);
  const taskId = await eventually(async () => (await handle.query(getRegistrationStatus)).openTaskId, 30_000, 'task');
  return { caseId: body.id, taskId: taskId! };
}

const warsawLocal = (days: number) => new Date(Date.now() + days * 86_400_000).toLocaleString('sv-SE', { timeZone: 'Europe/Warsaw' }).slice(0, 16).replace(' ', 'T');
const CAMPAIGN = 'parytet-csizs';
const UNITS = { page: '2661011', api: '2601013' } as const;

async function openTask(kind: string, unit: string): Promise<string> {
  const workflowId = csizsConnectionWorkflowId(CAMPAIGN, unit);
  return eventually(async () => {
    const rows = await sys.db.orm.em.fork().getConnection().execute<{ id: string }[]>("select id from tasks where case_id = ? and kind = ? and status = 'open'", [workflowId, kind]);
    return rows[0]?.id;
  }, 30_000, `${kind} task of ${unit}`);
}

/** The token of a password reminder's link, from the mail the login's owner receives. */
async function reminderToken(login: string): Promise<string> {
  await request(sys.app).post('/api/auth/password-reminder').send({ login }).expect(202);
  const mail = await sys.smtp.waitFor((m) => m.subject === 'Przypomnienie hasła do systemu obieg' && (m.text ?? '').includes(login), 60_000);
  return /token=([A-Za-z0-9_-]{43})/.exec(mail.text ?? '')![1];
}

const CASES: Record<string, Case> = {
  '/logowanie': {
    page: async () => ({ path: '/logowanie', form: { login: 'p-adm', password: PASSWORD, powrot: '/zadania' }, anonymous: true }),
    api: async () => ({ path: '/api/auth/login', body: { login: 'p-adm', password: PASSWORD } }),
  },
  '/wyloguj': {
    page: async () => ({ path: '/wyloguj', form: {} }),
    api: async () => ({ path: '/api/auth/logout', token: tokens.adm }),
  },
  '/haslo/przypomnienie': {
    page: async () => ({ path: '/haslo/przypomnienie', form: { token: await reminderToken('p-przyp-1') }, anonymous: true }),
    api: async () => ({ path: '/api/auth/password-reminder/link', body: { token: await reminderToken('p-przyp-2') } }),
  },
  '/haslo': {
    page: async () => ({ path: '/haslo', form: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, login: 'p-haslo-1' }),
    api: async () => ({ path: '/api/auth/password', body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, token: tokens.haslo2 }),
  },
  // seed 004 pkt 6b: PI-MZT's "Zmiana hasła" on the sign-in screen, without a session.
  '/zmiana-hasla': {
    page: async () => ({ path: '/zmiana-hasla', form: { login: 'p-tymczasowe-1', currentPassword: PASSWORD, newPassword: NEW_PASSWORD, repeatPassword: NEW_PASSWORD }, anonymous: true }),
    api: async () => ({ path: '/api/auth/temporary-password', body: { login: 'p-tymczasowe-2', currentPassword: PASSWORD, newPassword: NEW_PASSWORD, repeatPassword: NEW_PASSWORD } }),
  },
  '/zadania/:taskId/przejmij': {
    page: async () => ({ path: `/zadania/${ids.task}/przejmij`, form: {} }),
    api: async () => {
      await request(sys.app).post(`/api/tasks/${ids.task}/release`).set('Authorization', `Bearer ${tokens.adm}`).expect(200);
      await audited('task_released');
      return { path: `/api/tasks/${ids.task}/claim`, token: tokens.adm };
    },
  },
  '/zadania/:taskId/zwolnij': {
    page: async () => ({ path: `/zadania/${ids.task}/zwolnij`, form: {} }),
    api: async () => {
      await request(sys.app).post(`/api/tasks/${ids.task}/claim`).set('Authorization', `Bearer ${tokens.adm}`).expect(200);
      await audited('task_claimed');
      return { path: `/api/tasks/${ids.task}/release`, token: tokens.adm };
    },
  },
  '/zadania/:taskId/przekaz': {
    page: async () => ({ path: `/zadania/${ids.task}/przekaz`, form: { login: 'p-adm' } }),
    api: async () => ({ path: `/api/tasks/${ids.task}/reassign`, body: { login: 'p-adm' }, token: tokens.adm }),
  },
  '/zadania/:taskId/decyzja': {
    page: async () => ({ path: `/zadania/${ids.task}/decyzja`, form: { decision: 'reject', reason: 'Niepodpisany skan' } }),
    api: async () => ({ path: `/api/tasks/${ids.task2}/complete`, body: { decision: 'reject', reason: 'Niepodpisany skan' }, token: tokens.adm }),
    targets: { page: 'task', api: 'task2' },
  },
  // Before the unit's steps move on: the call list of checkpoint 1 is open now.
  '/kampanie/csizs/:id/jednostki/:unitCode/rozmowa': {
    page: async () => ({ path: `/kampanie/csizs/${CAMPAIGN}/jednostki/${UNITS.page}/rozmowa`, form: { checkpoint: 'checkpoint_1', outcome: 'no_answer', reason: '' }, login: 'p-ministry' }),
    api: async () => ({ path: `${csizsUnitUrl(CAMPAIGN, UNITS.page)}/calls`, body: { checkpoint: 'checkpoint_1', outcome: 'no_answer' }, token: tokens.ministry }),
  },
  '/zadania/:taskId/wyjasnienie': {
    page: async () => ({ path: `/zadania/${await openTask('csizs-clarification', UNITS.page)}/wyjasnienie`, form: { answer: 'Administrator obsługuje SW i SR' }, login: 'p-head-page' }),
    api: async () => ({ path: `${csizsUnitUrl(CAMPAIGN, UNITS.api)}/notification/clarification`, body: { answer: 'Administrator obsługuje SW i SR' }, token: tokens.headApi }),
    targets: { page: 'unitPage', api: 'unitApi' },
  },
  '/zadania/:taskId/haslo-przekazane': {
    page: async () => {
      for (const unit of Object.values(UNITS)) await packageSent(unit);
      return { path: `/zadania/${await openTask('csizs-password-handover', UNITS.page)}/haslo-przekazane`, form: { handedOverAt: warsawLocal(0) } };
    },
    api: async () => ({ path: `${csizsUnitUrl(CAMPAIGN, UNITS.api)}/package-password/handover`, body: { handedOverAt: new Date(Date.now() - 60_000).toISOString() }, token: tokens.adm }),
    targets: { page: 'unitPage', api: 'unitApi' },
  },
  '/sprawy/zbiorczo': {
    page: async () => ({ path: '/sprawy/zbiorczo', form: { action: 'remind', days: '', reason: '', query: 'voivodeship=26&type=registration&page=1', 'filters.voivodeship': '26', 'filters.type': 'registration' } }),
    api: async () => ({ path: '/api/cases/bulk', body: { action: 'remind', filters: { voivodeship: '26', type: 'registration' } }, token: tokens.adm }),
  },
  '/poczta/:mailId/ponow': {
    page: async () => ({ path: `/poczta/${ids.mail}/ponow`, form: {} }),
    api: async () => ({ path: `/api/mail/${ids.mail}/resend`, token: tokens.adm }),
  },
  // The public pages: no session, no token.
  '/rejestracja': {
    page: async () => ({ path: '/rejestracja', form: registrationForm('parytet-strona@mopr.example'), anonymous: true }),
    api: async () => ({ path: '/api/registrations', body: application({ email: 'parytet-api@mopr.example' }) }),
  },
  '/przypomnij-haslo': {
    page: async () => ({ path: '/przypomnij-haslo', form: { login: 'p-przypomnienie' }, anonymous: true }),
    api: async () => ({ path: '/api/auth/password-reminder', body: { login: 'p-przypomnienie' } }),
  },
  '/parametry/wniosek': {
    page: async () => ({ path: '/parametry/wniosek', form: { unitCode: UNITS.page, area: 'FA', justification: 'Parytet' }, login: 'p-head-page' }),
    api: async () => ({ path: '/api/permission-requests', body: { unitCode: UNITS.api, area: 'FA', justification: 'Parytet' }, token: tokens.headApi }),
  },
  // A report of each unit, drafted by its head (a head may draft and submit, and designates the people).
  '/sprawozdania/:reportId/szkic': {
    page: async () => ({ path: `/sprawozdania/${enc(ids.reportPage)}/szkic`, form: { 'content.osoby': '12' }, login: 'p-head-page' }),
    api: async () => ({ path: `/api/reports/${enc(ids.reportApi)}/draft`, body: { content: { osoby: '12' } }, token: tokens.headApi, method: 'put' }),
    targets: { page: 'reportPage', api: 'reportApi' },
  },
  '/sprawozdania/:reportId/osoby': {
    page: async () => ({ path: `/sprawozdania/${enc(ids.reportPage)}/osoby`, form: { responsible: 'p-head-page', substitute: '' }, login: 'p-head-page' }),
    api: async () => ({ path: `/api/reports/${enc(ids.reportApi)}/people`, body: { responsible: 'p-head-api' }, token: tokens.headApi, method: 'put' }),
    targets: { page: 'reportPage', api: 'reportApi' },
  },
  '/sprawozdania/:reportId/nieobecnosc': {
    page: async () => ({ path: `/sprawozdania/${enc(ids.reportPage)}/nieobecnosc`, form: { absent: 'false' }, login: 'p-head-page' }),
    api: async () => ({ path: `/api/reports/${enc(ids.reportApi)}/absence`, body: { absent: false }, token: tokens.headApi, method: 'put' }),
    targets: { page: 'reportPage', api: 'reportApi' },
  },
  '/sprawozdania/:reportId/prosby': {
    page: async () => ({ path: `/sprawozdania/${enc(ids.reportPage)}/prosby`, form: dataRequestForm(), login: 'p-head-page' }),
    api: async () => ({ path: `/api/reports/${enc(ids.reportApi)}/data-requests`, body: dataRequestBody(), token: tokens.headApi }),
    targets: { page: 'reportPage', api: 'reportApi' },
  },
  '/sprawozdania/:reportId/prosby/:requestId/odpowiedz': {
    page: async () => {
      const requestId = await askForData(ids.reportPage, await issueToken(sys.db.orm, 'p-head-page', 'parytet'));
      ids.replyPage = `${ids.reportPage}/${requestId}`;
      return { path: `/sprawozdania/${enc(ids.reportPage)}/prosby/${enc(requestId)}/odpowiedz`, form: { text: 'Dane z księgowości' }, login: 'p-head-page' };
    },
    api: async () => {
      const requestId = await askForData(ids.reportApi, tokens.headApi);
      ids.replyApi = `${ids.reportApi}/${requestId}`;
      return { path: `/api/reports/${enc(ids.reportApi)}/data-requests/${enc(requestId)}/reply`, body: { text: 'Dane z księgowości' }, token: tokens.headApi };
    },
    targets: { page: 'replyPage', api: 'replyApi' },
  },
  '/sprawozdania/:reportId/zloz': {
    page: async () => ({ path: `/sprawozdania/${enc(ids.reportPage)}/zloz`, form: { 'content.osoby': '12', 'content.rodziny': '5' }, login: 'p-head-page' }),
    api: async () => ({ path: `/api/reports/${enc(ids.reportApi)}/submission`, body: { content: { osoby: '12', rodziny: '5' } }, token: tokens.headApi }),
    targets: { page: 'reportPage', api: 'reportApi' },
  },
  // seed 004 pkt 9: each unit's local administrator gives (and takes back) a PIU role to the unit's head.
  '/jednostka/:unitCode/pracownicy/:login/nadaj': {
    page: async () => ({ path: `/jednostka/${UNITS.page}/pracownicy/p-head-page/nadaj`, form: { piuRole: 'SR' }, login: `p-local-${UNITS.page}` }),
    api: async () => ({ path: `/api/units/${UNITS.api}/people/p-head-api/grants`, body: { piuRole: 'SR' }, token: tokens[`local${UNITS.api}`] }),
    targets: { page: 'peoplePage', api: 'peopleApi' },
  },
  '/jednostka/:unitCode/pracownicy/:login/odbierz': {
    page: async () => ({ path: `/jednostka/${UNITS.page}/pracownicy/p-head-page/odbierz`, form: { piuRole: 'SR' }, login: `p-local-${UNITS.page}` }),
    api: async () => ({ path: `/api/units/${UNITS.api}/people/p-head-api/revocations`, body: { piuRole: 'SR' }, token: tokens[`local${UNITS.api}`] }),
    targets: { page: 'peoplePage', api: 'peopleApi' },
    },
  // seed 003 (UWAGI): the addressee opens a letter of the office through its mail's link, without signing in
  // (the clarification the voivodeship asked each unit's head for).
  '/pisma/:letterId': {
    page: async () => ({ path: `/pisma/${ids.letterPage}`, form: { key: ids.letterPageKey }, anonymous: true }),
    api: async () => ({ path: `/api/letters/${ids.letterApi}/opening`, body: { key: ids.letterApiKey } }),
    targets: { page: 'letterPage', api: 'letterApi' },
  },
  // seeds 000/004: the ministry keeps the voivodeship offices' register.
  '/urzedy-wojewodzkie/:voivodeship': {
    page: async () => ({
      path: '/urzedy-wojewodzkie/26',
      form: { name: 'Świętokrzyski Urząd Wojewódzki w Kielcach', epuapBox: '/SUWKielce/SkrytkaESP', socialPolicyEmail: 'wps00@kielce.uw.gov.pl', administratorEmails: 'csizs@kielce.uw.gov.pl' },
      login: 'p-ministry',
    }),
    api: async () => ({
      path: '/api/voivodeship-offices/26',
      method: 'put',
      body: { name: 'Świętokrzyski Urząd Wojewódzki w Kielcach', epuapBox: '/SUWKielce/SkrytkaESP', socialPolicyEmail: 'wps00@kielce.uw.gov.pl', administratorEmails: ['csizs@kielce.uw.gov.pl'] },
      token: tokens.ministry,
    }),
  },
  // The unit's own CSIZS steps, on a second campaign whose units are at the installation (seed 004 pkt 4);
  // the notification (Załącznik 2) and its scan follow it.
  '/jednostka/:unitCode/csizs/:campaignId/krok': {
    page: async () => ({ path: `/jednostka/${UNITS.page}/csizs/${CAMPAIGN2}/krok`, form: { step: 'installation' }, login: `p-local-${UNITS.page}` }),
    api: async () => ({ path: `${csizsUnitUrl(CAMPAIGN2, UNITS.api)}/steps`, body: { step: 'installation' }, token: tokens[`local${UNITS.api}`] }),
    targets: { page: 'unit2Page', api: 'unit2Api' },
  },
  '/jednostka/:unitCode/csizs/:campaignId/zgloszenie': {
    page: async () => ({ path: `/jednostka/${UNITS.page}/csizs/${CAMPAIGN2}/zgloszenie`, form: notificationForm(UNITS.page), login: 'p-head-page' }),
    api: async () => ({ path: `${csizsUnitUrl(CAMPAIGN2, UNITS.api)}/notification`, body: notificationFor(UNITS.api), token: tokens.headApi }),
    targets: { page: 'unit2Page', api: 'unit2Api' },
  },
  '/jednostka/:unitCode/csizs/:campaignId/skan': {
    page: async () => ({ path: `/jednostka/${UNITS.page}/csizs/${CAMPAIGN2}/skan`, form: {}, login: 'p-head-page', file: true }),
    api: async () => ({ path: `${csizsUnitUrl(CAMPAIGN2, UNITS.api)}/notification/scan`, token: tokens.headApi, file: true }),
    targets: { page: 'unit2Page', api: 'unit2Api' },
  },
};

const CAMPAIGN2 = 'parytet-csizs-2';
/** The notification (Załącznik 2) as the unit's page form names its fields. */
function notificationForm(unit: string): Fields {
  const n = notificationFor(unit);
  return {
    unitName: n.unitName,
    address: n.address,
    areas: n.areas[0],
    'localAdmin.firstName': n.localAdmin.firstName,
    'localAdmin.lastName': n.localAdmin.lastName,
    'localAdmin.phone': n.localAdmin.phone,
    'localAdmin.email': n.localAdmin.email,
    'head.firstName': n.head.firstName,
    'head.lastName': n.head.lastName,
    'head.email': n.head.email,
  };
}

const enc = encodeURIComponent;
const DATA_DUE = addCalendarDays(warsawDay(Date.now()), 14);
const dataRequestBody = () => ({ recipient: { name: 'Dział księgowości', email: 'ksiegowosc@parytet.example' }, subject: 'Wydatki za kwartał', dueDate: DATA_DUE });
const dataRequestForm = () => ({ 'recipient.name': 'Dział księgowości', 'recipient.email': 'ksiegowosc@parytet.example', subject: 'Wydatki za kwartał', dueDate: DATA_DUE });
async function askForData(reportId: string, token: string): Promise<string> {
  const r = await request(sys.app).post(`/api/reports/${enc(reportId)}/data-requests`).set('Authorization', `Bearer ${token}`).send(dataRequestBody()).expect(201);
  await eventually(async () => (await sys.db.orm.em.fork().getConnection().execute('select 1 from report_data_requests where id = ?', [r.body.requestId])).length === 1, 30_000, 'data request recorded');
  return r.body.requestId;
}

/** The registration form's fields, as the public page names them. */
function registrationForm(email: string): Fields {
  const a = application({ email });
  return {
    registerUnit: 'true',
    'unit.terytCode': a.unit.terytCode,
    'unit.type': a.unit.type,
    'unit.name': a.unit.name,
    'unit.street': a.unit.street,
    'unit.postalCode': a.unit.postalCode,
    'unit.city': a.unit.city,
    'unit.email': a.unit.email,
    'unit.phone': a.unit.phone,
    'applicant.firstName': a.applicant.firstName,
    'applicant.lastName': a.applicant.lastName,
    'applicant.position': a.applicant.position,
    'applicant.email': a.applicant.email,
    'applicant.phone': a.applicant.phone,
    areas: a.areas[0],
  };
}

/** The unit's notification accepted, its steps done and the package sent: the hand-over is the administrator's task. */
async function packageSent(unit: string) {
  const base = csizsUnitUrl(CAMPAIGN, unit);
  const as = (t: string) => ({ Authorization: `Bearer ${t}` });
  await request(sys.app).post(`${base}/notification/decision`).set(as(tokens.adm)).send({ decision: 'accept' }).expect(200);
  await request(sys.app).post(`${base}/package`).set(as(tokens.adm)).send({ domainSystems: ['SW'], certificates: { SW: certificateFor(unit, 'SW') } }).expect(200);
}

beforeAll(async () => {
  sys = await startSystem();
  tokens.adm = await person('p-adm', 'voivodeship_admin', '26');
  tokens.ministry = await person('p-ministry', 'ministry', null);
  await person('p-haslo-1', 'voivodeship_admin', '26');
  await person('p-przyp-1', 'voivodeship_admin', '26');
  await person('p-przyp-2', 'voivodeship_admin', '26');
  tokens.haslo2 = await person('p-haslo-2', 'voivodeship_admin', '26');
  await person('p-tymczasowe-1', 'voivodeship_admin', '26');
  await person('p-tymczasowe-2', 'voivodeship_admin', '26');
  await person('p-head-page', 'unit_head', '26', UNITS.page);
  tokens.headApi = await person('p-head-api', 'unit_head', '26', UNITS.api);
  for (const unit of Object.values(UNITS)) tokens[`local${unit}`] = await person(`p-local-${unit}`, 'local_admin', '26', unit);

  const first = await registrationTask('2661011', 'parytet-1@mopr.example');
  const second = await registrationTask('2601013', 'parytet-2@mgops.example');
  ids.task = first.taskId;
  ids.task2 = second.taskId;
  const [mail] = await sys.db.orm.em.fork().getConnection().execute<{ id: string }[]>('select id from outbox where case_id = ? and not redacted limit 1', [first.caseId]);
  ids.mail = mail.id;
  ids.unitPage = `${CAMPAIGN}/${UNITS.page}`;
  ids.unitApi = `${CAMPAIGN}/${UNITS.api}`;

  // A CSIZS campaign whose first call window is open now; both units' notifications await the head's clarification.
  const day = (n: number) => warsawLocal(n).slice(0, 10);
  const calendar = {
    ...CAMPAIGN_500_PLUS_2016,
    name: 'Parytet formularzy',
    steps: Object.fromEntries(Object.keys(CAMPAIGN_500_PLUS_2016.steps).map((s, i) => [s, day(300 + i)])),
    vendorExceptions: [],
    checkpoints: [
      { id: 'checkpoint_1', opensAt: warsawLocal(-1), closesAt: warsawLocal(3), confirms: 'installation' },
      { id: 'checkpoint_2', opensAt: warsawLocal(320), closesAt: warsawLocal(321), confirms: 'domain_registration' },
    ],
  };
  const as = (t: string) => ({ Authorization: `Bearer ${t}` });
  await request(sys.app).post('/api/csizs-campaigns').set(as(tokens.ministry)).send({ id: CAMPAIGN, calendar, unitCodes: Object.values(UNITS) }).expect(201);
  await request(sys.app).post(`/api/csizs-campaigns/${CAMPAIGN}/start`).set(as(tokens.ministry)).expect(202);
  for (const unit of Object.values(UNITS)) {
    const handle = sys.client.workflow.getHandle(csizsConnectionWorkflowId(CAMPAIGN, unit));
    await eventually(async () => (await handle.query(getCsizsStatus).catch(() => null)) !== null, 60_000, `connection of ${unit}`);
    const base = csizsUnitUrl(CAMPAIGN, unit);
    const head = unit === UNITS.api ? tokens.headApi : await issueToken(sys.db.orm, 'p-head-page', 'parytet');
    await request(sys.app).post(`${base}/steps`).set(as(tokens[`local${unit}`])).send({ step: 'cas_report', vendor: 'Sygnity' }).expect(200);
    // seed 004 pkt 2–4: the notification follows the installation.
    for (const step of ['local_admin', 'infrastructure', 'installation']) await request(sys.app).post(`${base}/steps`).set(as(tokens[`local${unit}`])).send({ step }).expect(200);
    await request(sys.app).post(`${base}/notification`).set(as(head)).send(notificationFor(unit)).expect(200);
    await request(sys.app).post(`${base}/notification/scan`).set(as(head)).attach('file', SCAN_PDF, 'skan.pdf').expect(201);
    await request(sys.app).post(`${base}/notification/decision`).set(as(tokens.adm)).send({ decision: 'clarify', reason: 'Czy administrator obsługuje też SR?' }).expect(200);
  }
  await eventually(async () => {
    const rows = await sys.db.orm.em.fork().getConnection().execute<{ n: number }[]>("select count(*)::int as n from csizs_checkpoints where campaign_id = ? and status = 'open'", [CAMPAIGN]);
    return rows[0].n === 2;
  }, 60_000, 'call list open');
  ids.unit2Page = `${CAMPAIGN2}/${UNITS.page}`;
  ids.unit2Api = `${CAMPAIGN2}/${UNITS.api}`;
  await request(sys.app).post('/api/csizs-campaigns').set(as(tokens.ministry)).send({ id: CAMPAIGN2, calendar: { ...calendar, name: 'Parytet kroków jednostki' }, unitCodes: Object.values(UNITS) }).expect(201);
  await request(sys.app).post(`/api/csizs-campaigns/${CAMPAIGN2}/start`).set(as(tokens.ministry)).expect(202);
  for (const unit of Object.values(UNITS)) {
    const handle = sys.client.workflow.getHandle(csizsConnectionWorkflowId(CAMPAIGN2, unit));
    await eventually(async () => (await handle.query(getCsizsStatus).catch(() => null)) !== null, 60_000, `second connection of ${unit}`);
    const base = csizsUnitUrl(CAMPAIGN2, unit);
    await request(sys.app).post(`${base}/steps`).set(as(tokens[`local${unit}`])).send({ step: 'cas_report', vendor: 'Sygnity' }).expect(200);
    for (const step of ['local_admin', 'infrastructure']) await request(sys.app).post(`${base}/steps`).set(as(tokens[`local${unit}`])).send({ step }).expect(200);
  }
  for (const [name, unit] of [['letterPage', UNITS.page], ['letterApi', UNITS.api]] as const) {
    const [letter] = await eventually(async () => {
      const rows = await sys.db.orm.em.fork().getConnection().execute<{ id: string; link_key: string }[]>("select id, link_key from letters where case_id = ? and kind = 'csizs-clarification'", [csizsConnectionWorkflowId(CAMPAIGN, unit)]);
      return rows.length ? rows : null;
    }, 60_000, `clarification letter of ${unit}`);
    ids[name] = letter.id;
    ids[`${name}Key`] = letter.link_key;
  }
  ids.peoplePage = `${UNITS.page}/p-head-page`;
  ids.peopleApi = `${UNITS.api}/p-head-api`;
  await person('p-przypomnienie', 'voivodeship_admin', '26');

  // A report of each unit in a quarter whose due date lies ahead.
  await request(sys.app).put('/api/report-forms/PARYTET').set(as(tokens.ministry)).send({ name: 'Parytet sprawozdań', area: 'PS', unitKind: 'gmina', period: 'quarterly', dueRule: { kind: 'days-after-period-end', days: 85 } }).expect(200);
  await request(sys.app).post('/api/report-campaigns').set(as(tokens.ministry)).send({ formCode: 'PARYTET', period: currentQuarter(), units: Object.values(UNITS) }).expect(202);
  ids.reportPage = reportWorkflowId('PARYTET', currentQuarter(), UNITS.page);
  ids.reportApi = reportWorkflowId('PARYTET', currentQuarter(), UNITS.api);
  for (const id of [ids.reportPage, ids.reportApi]) {
    await eventually(async () => (await sys.client.workflow.getHandle(id).query(getReportStatus).catch(() => null))?.status === 'not_started', 60_000, 'report started');
  }
}, 300_000);
afterAll(async () => {
  await sys?.close();
});

test('every page form declares an API twin and has a case here', () => {
  const routes = new Set(sys.api.routes.map((r) => `${r.spec.method} ${r.spec.path}`));
  expect(sys.api.forms.length).toBeGreaterThan(0);
  for (const form of sys.api.forms) {
    expect({ form: form.path, twinDeclared: routes.has(`${form.twin.method} ${form.twin.path}`) }).toEqual({ form: form.path, twinDeclared: true });
    expect({ form: form.path, hasCase: form.path in CASES }).toEqual({ form: form.path, hasCase: true });
  }
  // Forms answer with redirects: they are not API routes and not in /openapi.json.
  expect(sys.api.forms.every((f) => !routes.has(`post ${f.path}`))).toBe(true);
});

test('/openapi.json lists no page form', async () => {
  const { body } = await request(sys.app).get('/openapi.json').expect(200);
  for (const form of sys.api.forms) expect(Object.keys(body.paths)).not.toContain(form.path.replace(/:(\w+)/g, '{$1}'));
});

test("the unit's CSIZS page shows its steps and the form of the current one, and refuses another unit's people", async () => {
  const head = await session('p-head-page');
  const page = await request(sys.app).get(`/jednostka/${UNITS.page}/csizs`).set('Cookie', head.cookie).expect(200);
  expect(page.text).toContain('Parytet kroków jednostki');
  expect(page.text).toContain(`action="/jednostka/${UNITS.page}/csizs/${CAMPAIGN2}/krok"`);
  expect(page.text).toContain('Bieżący krok: Instalacja systemu dziedzinowego');
  const other = await request(sys.app).get(`/jednostka/${UNITS.api}/csizs`).set('Cookie', head.cookie);
  expect(other.status).toBe(403);
});

// In declaration order: the CSIZS clarification comes before the hand-over that follows it.
const ORDER = Object.keys(CASES);

test.each(ORDER)('%s writes the audit row of its API twin', async (formPath) => {
  const form = sys.api.forms.find((f) => f.path === formPath);
  expect(form).toBeDefined();
  const c = CASES[formPath];
  const p = await c.page();
  const s = p.anonymous ? null : await session(p.login ?? 'p-adm', p.password);
  const page = await rowsOf(() => {
    const fields = { ...(s ? { _csrf: s.csrf } : {}), ...p.form };
    if (p.file) {
      // A form with a file: multipart, as the browser sends it.
      let m = request(sys.app).post(p.path);
      if (s) m = m.set('Cookie', s.cookie);
      for (const [k, v] of Object.entries(fields)) m = m.field(k, v);
      return m.attach('file', SCAN_PDF, 'skan.pdf');
    }
    let r = request(sys.app).post(p.path).type('form');
    if (s) r = r.set('Cookie', s.cookie);
    return r.send(fields);
  });
  // A form answers with a redirect; a refusal would come back as ?blad=.
  expect(page.res.status).toBe(303);
  expect(page.res.headers.location).not.toContain('blad=');

  const a = await c.api();
  const api = await rowsOf(() => {
    let r = request(sys.app)[a.method ?? 'post'](a.path);
    if (a.token) r = r.set('Authorization', `Bearer ${a.token}`);
    if (a.file) return r.attach('file', SCAN_PDF, 'skan.pdf');
    return a.body === undefined ? r : r.send(a.body as object);
  }, page.rows.length);
  expect(api.res.status).toBeLessThan(300);

  expect(page.rows.length).toBeGreaterThan(0);
  const same = (rows: Row[], resource?: string) => rows.map((r) => ({ ...r, target: resource && r.target === ids[resource] ? '<resource>' : r.target }));
  expect(same(page.rows, c.targets?.page)).toEqual(same(api.rows, c.targets?.api));
  expect(page.rows.every((r) => r.outcome === 'ok')).toBe(true);
}, 120_000);
