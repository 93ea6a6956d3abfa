import request from 'supertest';
import { isPolishHoliday } from '../../lib/holidays';
import { getRegistrationStatus, getReportStatus, reportWorkflowId, requestReportData } from '../../workflows/messages';
import { addCalendarDays, dataRequestPlan, warsawDay } from '../../workflows/rules/reporting-calendar';
import { currentQuarter, workingDayAhead } from '../support/calendar';
import { application, SCAN_PDF, tokenFor } from '../support/fixtures';
import { eventually, startSystem, type TestSystem } from '../support/system';

// The access matrix: every declared API route × every role × a resource in the role's own scope and
// one in a foreign scope, with the expected allow or deny written out below. A route added without a
// row here fails the test, so no cell is ever skipped.

type Verdict = 'allow' | 'deny';
const ROLES = ['anonymous', 'ministry', 'voivodeship_admin', 'unit_head', 'local_admin', 'staff'] as const;
type RoleName = (typeof ROLES)[number];
type Row = Record<RoleName, [own: Verdict, foreign: Verdict]>;

const everyone: Row = { anonymous: ['allow', 'allow'], ministry: ['allow', 'allow'], voivodeship_admin: ['allow', 'allow'], unit_head: ['allow', 'allow'], local_admin: ['allow', 'allow'], staff: ['allow', 'allow'] };
const signedIn: Row = { ...everyone, anonymous: ['deny', 'deny'] };
const ownOnly: Row = { anonymous: ['deny', 'deny'], ministry: ['allow', 'deny'], voivodeship_admin: ['allow', 'deny'], unit_head: ['allow', 'deny'], local_admin: ['allow', 'deny'], staff: ['allow', 'deny'] };
const viewCase: Row = { ...ownOnly, ministry: ['allow', 'allow'] };
const voivodeshipAdminOnly: Row = { anonymous: ['deny', 'deny'], ministry: ['deny', 'deny'], voivodeship_admin: ['allow', 'deny'], unit_head: ['deny', 'deny'], local_admin: ['deny', 'deny'], staff: ['deny', 'deny'] };
const ministryOnly: Row = { anonymous: ['deny', 'deny'], ministry: ['allow', 'allow'], voivodeship_admin: ['deny', 'deny'], unit_head: ['deny', 'deny'], local_admin: ['deny', 'deny'], staff: ['deny', 'deny'] };
const localAdminOnly: Row = { anonymous: ['deny', 'deny'], ministry: ['deny', 'deny'], voivodeship_admin: ['deny', 'deny'], unit_head: ['deny', 'deny'], local_admin: ['allow', 'deny'], staff: ['deny', 'deny'] };
const reportEditors: Row = { anonymous: ['deny', 'deny'], ministry: ['deny', 'deny'], voivodeship_admin: ['deny', 'deny'], unit_head: ['allow', 'deny'], local_admin: ['deny', 'deny'], staff: ['allow', 'deny'] };

/** The expected matrix, one row per route. */
const EXPECTED: Record<string, Row> = {
  'GET /healthz': everyone,
  'GET /readyz': everyone,
  'GET /metrics': everyone,
  'GET /api/units': everyone,
  'POST /api/registrations': everyone,
  'POST /api/auth/login': everyone,
  'POST /api/auth/password-reminder': everyone,
  'POST /api/auth/temporary-password': everyone,
  // The reminder's link is the credential: anyone holding it may open it (an unknown token is 410).
  'POST /api/auth/password-reminder/link': everyone,
  'POST /api/auth/logout': signedIn,
  'GET /api/me': signedIn,
  'POST /api/auth/password': signedIn,
  'GET /api/tokens': signedIn,
  'POST /api/tokens': signedIn,
  'DELETE /api/tokens/:tokenId': ownOnly,
  'GET /api/tasks': signedIn,
  // Lists and figures of the pages, each within the caller's scope (GET /api/cases is the case list page).
  'GET /api/cases': signedIn,
  'GET /api/overview': signedIn,
  'GET /api/mail': signedIn,
  'GET /api/campaigns': { ...ministryOnly, voivodeship_admin: ['allow', 'allow'] },
  // A report is read by its editors and the unit head, the voivodeship of its unit and the ministry.
  'GET /api/reports/:reportId': { ...reportEditors, ministry: ['allow', 'allow'], voivodeship_admin: ['allow', 'deny'] },
  'GET /api/cases/:caseId': viewCase,
  'GET /api/cases/:caseId/documents/:documentId': viewCase,
  // A message of a case the caller sees may be sent again (the outbox page's form is its twin).
  'POST /api/mail/:mailId/resend': viewCase,
  // seed 003: a letter (here the data request the unit sent) is read by whoever sees its case; only its
  // addressee's reading confirms it. Without the mail's key an anonymous caller finds no letter.
  'GET /api/letters/:letterId': viewCase,
  'POST /api/letters/:letterId/opening': viewCase,
  'POST /api/cases/:caseId/scans': voivodeshipAdminOnly,
  'POST /api/tasks/:taskId/complete': voivodeshipAdminOnly,
  'POST /api/tasks/:taskId/claim': voivodeshipAdminOnly,
  // Administrators only; cases outside the administrator's voivodeship refuse the whole request.
  'POST /api/cases/bulk': { ...voivodeshipAdminOnly, ministry: ['allow', 'allow'] },
  'POST /api/tasks/:taskId/release': voivodeshipAdminOnly,
  'POST /api/tasks/:taskId/reassign': voivodeshipAdminOnly,
  'POST /api/permission-requests': signedIn,
  'POST /api/identity-merges': signedIn,
  // Process 3: the ministry runs the calendar and campaigns; the voivodeship sees its own roll-up; a unit's
  // head and its staff of the form's area (PS here) draft and submit its report, nobody outside the unit.
  'GET /api/report-forms': signedIn,
  'PUT /api/report-forms/:formCode': ministryOnly,
  'POST /api/report-campaigns': ministryOnly,
  'GET /api/report-campaigns/:campaignId/rollup': { ...ministryOnly, voivodeship_admin: ['allow', 'allow'] },
  'POST /api/report-campaigns/:campaignId/deadline': ministryOnly,
  'PUT /api/reports/:reportId/draft': reportEditors,
  'POST /api/reports/:reportId/submission': reportEditors,
  // seed 002: the head designates the responsible person and substitute; the head or the responsible
  // person (m-staff here, designated in beforeAll) reports an absence.
  'PUT /api/reports/:reportId/people': { ...reportEditors, staff: ['deny', 'deny'] },
  'PUT /api/reports/:reportId/absence': reportEditors,
  // Data requests are asked, answered (as received by mail or phone) and cancelled by the report's editors.
  'POST /api/reports/:reportId/data-requests': reportEditors,
  'POST /api/reports/:reportId/data-requests/:requestId/reply': reportEditors,
  'POST /api/reports/:reportId/data-requests/:requestId/cancel': reportEditors,
  // seed 004: the ministry runs the CSIZS campaign, its calls and escalations; a unit's head or local
  // administrator reports its own steps (the voivodeship's steps are refused to them: see access.ts).
  'POST /api/csizs-campaigns': ministryOnly,
  'POST /api/csizs-campaigns/:id/start': ministryOnly,
  'GET /api/csizs-campaigns/:id': ministryOnly,
  // The voivodeship administrator watches the campaign for their voivodeship only (services/monitoring.ts).
  'GET /api/csizs-campaigns/:id/monitoring': { ...ministryOnly, voivodeship_admin: ['allow', 'allow'] },
  'POST /api/csizs-campaigns/:id/units/:unitCode/steps': { ...ministryOnly, ministry: ['deny', 'deny'], unit_head: ['allow', 'deny'], local_admin: ['allow', 'deny'] },
  'POST /api/csizs-campaigns/:id/units/:unitCode/calls': ministryOnly,
  // Załącznik 2: the unit files its notification and scan, the voivodeship decides, only the head answers its
  // questions; Załącznik 3 and its password belong to the voivodeship administrator of the unit.
  'POST /api/csizs-campaigns/:id/units/:unitCode/notification': { ...ministryOnly, ministry: ['deny', 'deny'], unit_head: ['allow', 'deny'], local_admin: ['allow', 'deny'] },
  'POST /api/csizs-campaigns/:id/units/:unitCode/notification/scan': { ...ministryOnly, ministry: ['deny', 'deny'], unit_head: ['allow', 'deny'], local_admin: ['allow', 'deny'] },
  'POST /api/csizs-campaigns/:id/units/:unitCode/notification/decision': voivodeshipAdminOnly,
  'POST /api/csizs-campaigns/:id/units/:unitCode/notification/clarification': { ...voivodeshipAdminOnly, voivodeship_admin: ['deny', 'deny'], unit_head: ['allow', 'deny'] },
  'GET /api/csizs-campaigns/:id/units/:unitCode': { ...ministryOnly, voivodeship_admin: ['allow', 'deny'], unit_head: ['allow', 'deny'], local_admin: ['allow', 'deny'] },
  'GET /api/csizs-campaigns/:id/units/:unitCode/documents/:documentId': { ...ministryOnly, voivodeship_admin: ['allow', 'deny'], unit_head: ['allow', 'deny'], local_admin: ['allow', 'deny'] },
  'POST /api/csizs-campaigns/:id/units/:unitCode/package': voivodeshipAdminOnly,
  'POST /api/csizs-campaigns/:id/units/:unitCode/package-password/reveal': voivodeshipAdminOnly,
  'POST /api/csizs-campaigns/:id/units/:unitCode/package-password/handover': voivodeshipAdminOnly,
  'POST /api/csizs-campaigns/:id/units/:unitCode/escalation': ministryOnly,
  // seed 004 pkt 2b, 9: the local administrator manages the areas and PIU roles of their own unit's people only.
  'GET /api/units/:unitCode/people': localAdminOnly,
  'POST /api/units/:unitCode/people/:login/grants': localAdminOnly,
  'POST /api/units/:unitCode/people/:login/revocations': localAdminOnly,
  // seeds 000/004: everyone may read where to send a signed scan; the ministry keeps the register.
  'GET /api/voivodeship-offices': everyone,
  'PUT /api/voivodeship-offices/:voivodeship': ministryOnly,
  // seed 002: the head's standing designation per area; the unit's report editors read it.
  'GET /api/units/:unitCode/report-designations': reportEditors,
  'PUT /api/units/:unitCode/report-designations/:area': { ...reportEditors, staff: ['deny', 'deny'] },
  // The remote codec unseals any workflow's payloads: only the ministry (GRANTS.codec).
  'POST /codec/decode': ministryOnly,
  'POST /codec/encode': ministryOnly,
  // Only the account being merged confirms, as itself; no role does, and a case of another type is not found.
  'POST /api/identity-merges/:caseId/confirm': Object.fromEntries(ROLES.map((r) => [r, ['deny', 'deny']])) as Row,
};

// Errors that mean "not for you"; anything else (200, 400, 409, …) means the access check let it through.
const DENIALS = ['UNAUTHENTICATED', 'INVALID_TOKEN', 'FORBIDDEN', 'NOT_FOUND'];

let sys: TestSystem;
const tokens = {} as Record<RoleName, string | null>;
const spareTokenIds = {} as Record<RoleName, string>;
let foreignTokenId: string;
const scope = { own: {} as Record<string, string>, foreign: {} as Record<string, string> };

async function registrationWithTask(terytCode: string, email: string, areas: string[], adminToken: string) {
  const app = application({ email });
  app.unit.terytCode = terytCode;
  app.areas = areas as never;
  const { body } = await request(sys.app).post('/api/registrations').send(app).expect(201);
  const handle = sys.client.workflow.getHandle(body.id);
  await eventually(async () => (await handle.query(getRegistrationStatus)).status === 'awaiting_scan', 30_000, 'awaiting scan');
  const caseView = await eventually(async () => {
    const r = await request(sys.app).get(`/api/cases/${body.id}`).set('Authorization', `Bearer ${adminToken}`);
    return r.body.documents?.length ? r.body : null;
  }, 20_000, 'documents');
  await request(sys.app).post(`/api/cases/${body.id}/scans`).set('Authorization', `Bearer ${adminToken}`).field('channel', 'epuap').attach('file', SCAN_PDF, 'skan.pdf').expect(201);
  const taskId = await eventually(async () => (await handle.query(getRegistrationStatus)).openTaskId, 20_000, 'task');
  const [mail] = await sys.db.orm.em.fork().getConnection().execute<{ id: string }[]>('select id from outbox where case_id = ? and not redacted limit 1', [body.id]);
  return { caseId: body.id as string, documentId: caseView.documents[0].id as string, taskId, mailId: mail.id };
}

const REPORT_FORM = { name: 'Formularz macierzy', area: 'PS', unitKind: 'gmina', period: 'quarterly', dueRule: { kind: 'days-after-period-end', days: 85 } };
const DATA_DUE = addCalendarDays(warsawDay(Date.now()), 14);
// The current quarter: its due date (85 days after it ends) lies ahead, so no report is overdue meanwhile.
const REPORT_CAMPAIGN = { formCode: 'MACIERZ', period: currentQuarter(), units: ['2661011', '1261011'] };

const CSIZS_CAMPAIGN = { id: 'macierz-csizs', unitCodes: ['2661011', '1261011'] };

beforeAll(async () => {
  sys = await startSystem();
  const orm = sys.db.orm;
  tokens.anonymous = null;
  tokens.ministry = await tokenFor(orm, 'm-ministry', 'ministry', null);
  tokens.voivodeship_admin = await tokenFor(orm, 'm-adm-26', 'voivodeship_admin', '26');
  tokens.unit_head = await tokenFor(orm, 'm-head', 'unit_head', '26');
  tokens.local_admin = await tokenFor(orm, 'm-ladm', 'local_admin', '26');
  tokens.staff = await tokenFor(orm, 'm-staff', 'staff', '26');
  const conn = orm.em.fork().getConnection();
  await conn.execute("update role_assignments set unit_code = '2661011' where role in ('unit_head', 'local_admin', 'staff')");
  await conn.execute("update role_assignments set area = 'PS' where role = 'staff'");
  const adm12 = await tokenFor(orm, 'm-adm-12', 'voivodeship_admin', '12');

  const own = await registrationWithTask('2661011', 'wlasny@mopr.kielce.example', ['PS', 'SR'], tokens.voivodeship_admin);
  const foreign = await registrationWithTask('1261011', 'obcy@mops.krakow.example', ['SR'], adm12);
  scope.own = own;
  scope.foreign = foreign;
  await request(sys.app).post('/api/csizs-campaigns').set('Authorization', `Bearer ${tokens.ministry}`).send(CSIZS_CAMPAIGN).expect(201);
  await request(sys.app).put('/api/report-forms/MACIERZ').set('Authorization', `Bearer ${tokens.ministry}`).send(REPORT_FORM).expect(200);
  await request(sys.app).post('/api/report-campaigns').set('Authorization', `Bearer ${tokens.ministry}`).send(REPORT_CAMPAIGN).expect(202);
  scope.own.reportId = reportWorkflowId('MACIERZ', REPORT_CAMPAIGN.period, '2661011');
  scope.foreign.reportId = reportWorkflowId('MACIERZ', REPORT_CAMPAIGN.period, '1261011');
  for (const id of [scope.own.reportId, scope.foreign.reportId]) {
    await eventually(async () => (await sys.client.workflow.getHandle(id).query(getReportStatus)).status === 'not_started', 30_000, 'report started');
  }
  await request(sys.app).put(`/api/reports/${encodeURIComponent(scope.own.reportId)}/people`).set('Authorization', `Bearer ${tokens.unit_head}`).send({ responsible: 'm-staff' }).expect(200);
  // One open data request on each report, so its reply and cancel routes reach the access check.
  const asked = await request(sys.app)
    .post(`/api/reports/${encodeURIComponent(scope.own.reportId)}/data-requests`)
    .set('Authorization', `Bearer ${tokens.unit_head}`)
    .send({ recipient: { name: 'Dział księgowości', email: 'ksiegowosc@macierz.example' }, subject: 'Wydatki', dueDate: DATA_DUE })
    .expect(201);
  scope.own.requestId = asked.body.requestId;
  const { requestId: foreignRequest } = await sys.client.workflow.getHandle(scope.foreign.reportId).executeUpdate(requestReportData, {
    args: [{ recipient: { name: 'Dział obcy', email: 'obcy@macierz.example' }, subject: 'Wydatki', plan: dataRequestPlan(DATA_DUE, Date.now(), isPolishHoliday), requestedBy: 'test' }],
  });
  scope.foreign.requestId = foreignRequest;
  for (const id of [scope.own.requestId, scope.foreign.requestId]) {
    await eventually(async () => (await conn.execute('select 1 from report_data_requests where id = ?', [id])).length === 1, 30_000, 'data request recorded');
  }
  for (const s of [scope.own, scope.foreign]) {
    s.letterId = await eventually(async () => (await conn.execute<{ id: string }[]>("select id from letters where case_id = ? and kind = 'data-request'", [s.reportId]))[0]?.id, 30_000, 'data request letter');
  }

  for (const role of ROLES) {
    if (!tokens[role]) continue;
    const r = await request(sys.app).post('/api/tokens').set('Authorization', `Bearer ${tokens[role]}`).send({ name: 'zapasowy' }).expect(201);
    spareTokenIds[role] = r.body.id;
  }
  const other = await request(sys.app).post('/api/tokens').set('Authorization', `Bearer ${adm12}`).send({ name: 'cudzy' }).expect(201);
  foreignTokenId = other.body.id;
});
afterAll(async () => {
  await sys?.close();
});

function call(route: string, role: RoleName, where: 'own' | 'foreign') {
  const [method, path] = route.split(' ');
  const s = where === 'own' ? scope.own : scope.foreign;
  const url = path
    .replace(':caseId', encodeURIComponent(s.caseId))
    .replace(':documentId', encodeURIComponent(s.documentId))
    .replace(':taskId', encodeURIComponent(s.taskId))
    .replace(':formCode', 'MACIERZ')
    .replace(':campaignId', `MACIERZ-${REPORT_CAMPAIGN.period}`)
    .replace(':reportId', encodeURIComponent(s.reportId))
    .replace(':requestId', encodeURIComponent(s.requestId))
    .replace(':mailId', encodeURIComponent(s.mailId))
    .replace(':letterId', encodeURIComponent(s.letterId))
    .replace('/:id/', '/macierz-csizs/')
    .replace(/\/:id$/, '/macierz-csizs')
    .replace(':unitCode', where === 'own' ? '2661011' : '1261011')
    .replace(':login', 'm-staff')
    .replace(':voivodeship', where === 'own' ? '26' : '12')
    .replace(':area', 'PS')
    .replace(':tokenId', where === 'own' ? (spareTokenIds[role] ?? foreignTokenId) : foreignTokenId);
  let req = (request(sys.app) as unknown as Record<string, (u: string) => request.Test>)[method.toLowerCase()](url);
  if (tokens[role]) req = req.set('Authorization', `Bearer ${tokens[role]}`);
  const bodies: Record<string, unknown> = {
    'POST /api/registrations': application({ email: `macierz-${role}-${where}@ops.example` }),
    'POST /api/auth/login': { login: 'ktokolwiek', password: 'Zle#Haslo1' },
    'POST /api/auth/password-reminder': { login: 'ktokolwiek' },
    'POST /api/auth/temporary-password': { login: 'ktokolwiek', currentPassword: 'Zle#Haslo1', newPassword: 'Nowe#Haslo1' },
    'POST /api/auth/password-reminder/link': { token: 'A'.repeat(43) },
    'POST /api/auth/password': { currentPassword: 'Stare#Haslo1', newPassword: 'Nowe#Haslo1' },
    'POST /api/tokens': { name: 'macierz' },
    'POST /api/tasks/:taskId/complete': { decision: 'reject', reason: 'Test macierzy dostępu' },
    'POST /api/permission-requests': { unitCode: '2661011', area: 'FA' },
    'POST /api/tasks/:taskId/reassign': { login: 'm-adm-26' },
    'POST /api/cases/bulk': { action: 'remind', caseIds: [s.caseId] },
    'POST /api/identity-merges': { otherLogin: 'nie-ma-takiego-konta' },
    'POST /api/csizs-campaigns': CSIZS_CAMPAIGN,
    'POST /api/csizs-campaigns/:id/units/:unitCode/steps': { step: 'infrastructure' },
    'POST /api/csizs-campaigns/:id/units/:unitCode/calls': { checkpoint: 'checkpoint_1', outcome: 'no_answer' },
    'POST /api/csizs-campaigns/:id/units/:unitCode/escalation': { reason: 'Test macierzy dostępu' },
    'POST /api/csizs-campaigns/:id/units/:unitCode/notification': {
      unitName: 'Ośrodek macierzy',
      address: 'ul. Testowa 1, 25-001 Kielce',
      areas: ['SW'],
      localAdmin: { firstName: 'Anna', lastName: 'Macierz', phone: '41 000 00 00', email: 'macierz-ladm@ops.example' },
      head: { firstName: 'Jan', lastName: 'Macierz', email: 'macierz-head@ops.example' },
    },
    'POST /api/csizs-campaigns/:id/units/:unitCode/notification/decision': { decision: 'accept' },
    'POST /api/csizs-campaigns/:id/units/:unitCode/notification/clarification': { answer: 'Test macierzy dostępu' },
    'POST /api/csizs-campaigns/:id/units/:unitCode/package': { domainSystems: ['SW'], certificates: { SW: '-----BEGIN CERTIFICATE-----MACIERZMACIERZMACIERZ-----END CERTIFICATE-----' } },
    'POST /api/csizs-campaigns/:id/units/:unitCode/package-password/handover': { handedOverAt: new Date(Date.now() - 3_600_000).toISOString() },
    'PUT /api/report-forms/:formCode': REPORT_FORM,
    'POST /api/report-campaigns': REPORT_CAMPAIGN,
    'POST /api/report-campaigns/:campaignId/deadline': { dueDate: workingDayAhead(200), reason: 'Test macierzy dostępu' },
    'PUT /api/reports/:reportId/draft': { content: { macierz: 1 } },
    'POST /api/reports/:reportId/submission': { content: { macierz: 1 } },
    'PUT /api/reports/:reportId/people': { responsible: 'm-staff' },
    'PUT /api/reports/:reportId/absence': { absent: false },
    'PUT /api/voivodeship-offices/:voivodeship': { name: 'Urząd Wojewódzki (test macierzy)', epuapBox: '/UWMacierz/Skrytka', socialPolicyEmail: 'macierz@uw.example' },
    'PUT /api/units/:unitCode/report-designations/:area': { responsible: 'm-staff' },
    'POST /api/reports/:reportId/data-requests': { recipient: { name: 'Dział kadr', email: 'kadry@macierz.example' }, subject: 'Liczba etatów', dueDate: DATA_DUE },
    'POST /api/reports/:reportId/data-requests/:requestId/reply': { text: 'Dane macierzy' },
    'POST /api/reports/:reportId/data-requests/:requestId/cancel': { reason: 'Test macierzy dostępu' },
    'POST /api/units/:unitCode/people/:login/grants': { piuRole: 'PS' },
    'POST /api/units/:unitCode/people/:login/revocations': { piuRole: 'PS' },
    'POST /codec/decode': { payloads: [] },
    'POST /codec/encode': { payloads: [] },
  };
  if (route === 'POST /api/cases/:caseId/scans') return req.field('channel', 'email').attach('file', SCAN_PDF, 'skan.pdf');
  if (route === 'POST /api/csizs-campaigns/:id/units/:unitCode/notification/scan') return req.attach('file', SCAN_PDF, 'skan.pdf');
  if (route === 'POST /api/auth/logout' || route === 'DELETE /api/tokens/:tokenId') return req;
  return method === 'GET' ? req : req.send(bodies[route] ?? {});
}

test('every declared route has a row in the expected matrix', () => {
  const declared = sys.api.routes.map((r) => `${r.spec.method.toUpperCase()} ${r.spec.path}`).sort();
  expect(Object.keys(EXPECTED).sort()).toEqual(declared);
});

const cells = Object.entries(EXPECTED).flatMap(([route, row]) =>
  ROLES.flatMap((role) => (['own', 'foreign'] as const).map((where) => ({ route, role, where, expected: row[role][where === 'own' ? 0 : 1] }))),
);

// Logout and token revocation act on the caller; they run last so the other cells keep their tokens.
const order = (r: string) => (r === 'POST /api/auth/logout' || r.startsWith('DELETE') ? 1 : 0);
cells.sort((a, b) => order(a.route) - order(b.route));

test.each(cells)('$route as $role in $where scope: $expected', async ({ route, role, where, expected }) => {
  const res = await call(route, role, where);
  const code: string | undefined = res.body?.error?.code;
  const verdict: Verdict = code && DENIALS.includes(code) ? 'deny' : 'allow';
  expect({ status: res.status, verdict }).toEqual({ status: res.status, verdict: expected });
  if (verdict === 'deny' && role !== 'anonymous') {
    const [{ n }] = await sys.db.orm.em.fork().getConnection().execute("select count(*)::int as n from audit_log where outcome = 'denied'");
    expect(n).toBeGreaterThan(0);
  }
});
