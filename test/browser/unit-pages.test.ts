import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import request from 'supertest';
import { ensureAccount } from '../../db/demo';
import type { Role } from '../../db/entities';
import { createBrowserProvider } from '../../lib/browser';
import { hashPassword } from '../../lib/passwords';
import { PROJECT_ROOT } from '../../lib/paths';
import { csizsConnectionWorkflowId, getCsizsStatus, getRegistrationStatus, getReportStatus, reportWorkflowId } from '../../workflows/messages';
import { CAMPAIGN_500_PLUS_2016, shiftCalendarDays } from '../../workflows/rules/csizs-campaign';
import { certificateFor, csizsUnitUrl } from '../support/csizs';
import { pdfText, SCAN_PDF, tokenFor } from '../support/fixtures';
import { unzipWithPassword } from '../support/zip';
import { recipients } from '../support/smtp';
import { guardAgainstRawCodes, type RawCodeGuard } from '../support/raw-codes';
import { eventually, startSystem, type TestSystem } from '../support/system';
import { currentQuarter } from '../support/calendar';

// The unit's side in headless Chromium, as the person who does it: an applicant registers from the public
// page (TERYT search, the form, the answer with the PDF and where to send the scan), and after the
// decision signs in with the temporary password and changes it; a staff member drafts a report, leaves,
// comes back to the draft, submits it and downloads the receipt (UPO); the unit's head designates the
// responsible person and the substitute; after the reviewer returns the report, the staff member reads the
// remarks, corrects it and submits the correction; the head and the local administrator go through the unit's CSIZS
// steps (the notification, Załącznik 2, and its signed scan; the package check; the temporary password's
// change; the registration and the PIU reader roles). No page needs script. Screenshots of every page go to
// test-output/screenshots/unit-pages (git-ignored); axe-core finds no serious or critical violations.

const SHOTS = join(PROJECT_ROOT, 'test-output', 'screenshots', 'unit-pages');
const PASSWORD = 'Strona#Haslo2026';
const UNIT = '2661011';
const CSIZS = 'strony-csizs';
let rawCodes: RawCodeGuard;
let sys: TestSystem;
let server: Server;
let base: string;
let browser: Browser;
let admin: string;
let ministry: string;
let reportId: string;
const chromium = createBrowserProvider('/usr/bin/chromium');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function person(login: string, role: Role, voivodeship: string | null, unitCode: string | null = null, area: string | null = null) {
  await ensureAccount(sys.db.orm, { login, firstName: 'Anna', lastName: login, role, voivodeship });
  const conn = sys.db.orm.em.fork().getConnection();
  await conn.execute('update accounts set password_hash = ?, password_changed_at = now(), must_change_password = false where login = ?', [await hashPassword(PASSWORD), login]);
  if (unitCode) await conn.execute('update role_assignments set unit_code = ?, area = ? where account_id = (select id from accounts where login = ?)', [unitCode, area, login]);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  sys = await startSystem();
  admin = await tokenFor(sys.db.orm, 'strony-adm-26', 'voivodeship_admin', '26');
  ministry = await tokenFor(sys.db.orm, 'strony-ministerstwo', 'ministry', null);
  await person('strony-pracownik', 'staff', '26', UNIT, 'PS');
  await person('strony-zastepca', 'staff', '26', UNIT, 'PS');
  await person('strony-kierownik', 'unit_head', '26', UNIT);
  await person('strony-admin-lokalny', 'local_admin', '26', UNIT);
  const as = { Authorization: `Bearer ${ministry}` };
  await request(sys.app).put('/api/report-forms/STRONY').set(as).send({ name: 'Sprawozdanie testowe stron', area: 'PS', unitKind: 'gmina', period: 'quarterly', dueRule: { kind: 'days-after-period-end', days: 85 } }).expect(200);
  const period = currentQuarter();
  await request(sys.app).post('/api/report-campaigns').set(as).send({ formCode: 'STRONY', period, units: [UNIT] }).expect(202);
  reportId = reportWorkflowId('STRONY', period, UNIT);
  // seed 004: a CSIZS campaign of this unit, its calendar moved a year ahead (nothing is late during the walk).
  const calendar = shiftCalendarDays(CAMPAIGN_500_PLUS_2016, Math.ceil((Date.now() - Date.UTC(2016, 2, 16)) / 86_400_000) + 365);
  await request(sys.app).post('/api/csizs-campaigns').set(as).send({ id: CSIZS, calendar: { ...calendar, name: 'Podłączenie do CSIZS (strony)' }, unitCodes: [UNIT] }).expect(201);
  await request(sys.app).post(`/api/csizs-campaigns/${CSIZS}/start`).set(as).expect(202);
  await eventually(async () => (await sys.client.workflow.getHandle(reportId).query(getReportStatus).catch(() => null))?.status === 'not_started', 60_000, 'report started');
  await eventually(async () => (await sys.client.workflow.getHandle(csizsConnectionWorkflowId(CSIZS, UNIT)).query(getCsizsStatus).catch(() => null))?.currentStep === 'cas_report', 60_000, 'CSIZS connection started');
  server = sys.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.get();
  rawCodes = guardAgainstRawCodes(browser);
}, 180_000);
// Every page loaded in a test is scanned for internal codes (test/support/raw-codes.ts).
afterEach(async () => {
  await rawCodes.expectNone();
});
afterAll(async () => {
  await chromium.close();
  await new Promise((r) => server?.close(r));
  await sys?.close();
});

async function fresh(): Promise<Page> {
  const ctx = await browser.createBrowserContext();
  const page = await ctx.newPage();
  // No page relies on script: the walk runs with it off.
  await page.setJavaScriptEnabled(false);
  page.setDefaultNavigationTimeout(90_000);
  return page;
}

async function signIn(login: string, password = PASSWORD): Promise<Page> {
  const page = await fresh();
  await page.goto(`${base}/logowanie`);
  await page.type('input[name=login]', login);
  await page.type('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/logowanie"] button[type=submit]')]);
  return page;
}

/** A screenshot, and axe-core (script back on for the check only, on a copy of the page's HTML). */
async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const html = await page.content();
  const check = await browser.newPage();
  try {
    await check.setContent(html);
    await check.evaluate(axeSource);
    const result = await check.evaluate(async () => {
      const r = await (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run({ resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    expect({ page: name, violations: result.filter((v) => v.impact === 'serious' || v.impact === 'critical') }).toEqual({ page: name, violations: [] });
  } finally {
    await check.close();
  }
}

const text = (page: Page) => page.evaluate(() => document.body.innerText);
const submit = (page: Page, selector: string) => Promise.all([page.waitForNavigation(), page.click(selector)]);

test('an applicant registers from the public page and, after the decision, signs in and changes the temporary password', async () => {
  const page = await fresh();
  await page.goto(`${base}/logowanie`);
  await shot(page, '01-logowanie');
  await submit(page, 'a[href="/przypomnij-haslo"]');
  await shot(page, '02-przypomnij-haslo');
  await page.type('input[name=login]', 'nie-ma-takiego');
  await submit(page, 'form[action="/przypomnij-haslo"] button');
  expect(await text(page)).toContain('Jeśli konto o podanym loginie istnieje');

  await submit(page, 'a[href="/rejestracja"]');
  await page.type('input[name=q]', 'Kielce');
  await submit(page, 'form[role=search] button');
  await shot(page, '03-rejestracja-wyszukiwanie');
  await submit(page, `a[href="/rejestracja?teryt=${UNIT}"]`);
  expect(await text(page)).toContain('Świętokrzyski Urząd Wojewódzki w Kielcach');

  // A mistake first: the form comes back with what was typed and names the field.
  await page.select('select[name="unit.type"]', 'MOPR');
  const fill: Record<string, string> = {
    'unit.name': 'Miejski Ośrodek Pomocy Rodzinie w Kielcach',
    'unit.street': 'ul. Studzienna 2',
    'unit.postalCode': '25-544',
    'unit.city': 'Kielce',
    'unit.email': 'mopr@kielce.example',
    'unit.phone': '41 367 60 00',
    'applicant.firstName': 'Łucja',
    'applicant.lastName': 'Żółkiewska',
    'applicant.position': 'Starszy specjalista',
    'applicant.email': 'lucja.strony@kielce.example',
    'applicant.phone': '41 367 60 10',
  };
  for (const [name, value] of Object.entries(fill)) await page.type(`[name="${name}"]`, value);
  await page.click('input[name=areas][value=PS]');
  await page.$eval('input[name="unit.postalCode"]', (e) => e.removeAttribute('pattern'));
  await page.$eval('input[name="unit.postalCode"]', (e) => ((e as HTMLInputElement).value = '25544'));
  await shot(page, '04-rejestracja-formularz');
  await submit(page, 'form[method=post][action="/rejestracja"] button[type=submit]');
  let body = await text(page);
  expect(body).toContain('Kod pocztowy: Kod pocztowy w formacie 00-000');
  expect(await page.$eval('input[name="applicant.lastName"]', (e) => (e as HTMLInputElement).value)).toBe('Żółkiewska');
  await shot(page, '05-rejestracja-blad');

  await page.$eval('input[name="unit.postalCode"]', (e) => ((e as HTMLInputElement).value = '25-544'));
  await submit(page, 'form[method=post][action="/rejestracja"] button[type=submit]');
  body = await text(page);
  expect(body).toContain('Wniosek przyjęty');
  const caseId = /registration-2661011-[0-9a-f]{16}/.exec(body)![0];
  expect(body).toContain('/SUWKielce/SkrytkaESP');
  expect(body).toContain('wps00@kielce.uw.gov.pl');
  // The form is rendered by the workflow: the page offers it once it is there.
  await eventually(async () => {
    await page.reload();
    return (await page.$('a[href*="formularz.pdf"]')) !== null;
  }, 60_000, 'registration form ready');
  await shot(page, '06-rejestracja-przyjeta');
  const pdfUrl = await page.$eval('a[href*="formularz.pdf"]', (a) => (a as HTMLAnchorElement).href);
  const pdf = await fetch(pdfUrl);
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 4).toString()).toBe('%PDF');
  // Without the link's key the answer page is not found.
  expect((await fetch(`${base}/rejestracja/sprawa/${caseId}`)).status).toBe(404);

  // The voivodeship office files the scan and accepts (through the API; its pages are tested elsewhere).
  const handle = sys.client.workflow.getHandle(caseId);
  await request(sys.app).post(`/api/cases/${caseId}/scans`).set('Authorization', `Bearer ${admin}`).field('channel', 'epuap').attach('file', SCAN_PDF, 'skan.pdf').expect(201);
  const taskId = await eventually(async () => (await handle.query(getRegistrationStatus)).openTaskId, 30_000, 'decision task');
  await request(sys.app).post(`/api/tasks/${taskId}/complete`).set('Authorization', `Bearer ${admin}`).send({ decision: 'accept' }).expect(200);
  const mail = await sys.smtp.waitFor((m) => m.subject === 'Konto w Centralnej Aplikacji Statystycznej zostało utworzone' && recipients(m).includes(fill['applicant.email']), 60_000);
  const login = /Login:\s*(\S+)/.exec(mail.text ?? '')![1];
  const temporary = /Hasło tymczasowe:\s*(\S+)/.exec(mail.text ?? '')![1];

  const applicant = await signIn(login, temporary);
  expect(applicant.url()).toBe(`${base}/haslo`);
  await shot(applicant, '07-zmiana-hasla');
  await applicant.type('input[name=currentPassword]', temporary);
  await applicant.type('input[name=newPassword]', 'Nowe#Haslo2026');
  await submit(applicant, 'form[action="/haslo"] button');
  expect(await text(applicant)).toContain('Hasło zostało zmienione');
  await applicant.goto(`${base}/parametry`);
  body = await text(applicant);
  expect(body).toContain(login);
  expect(body).toContain('Wnioskuj o rozszerzenie uprawnień');
  await submit(applicant, 'a[href^="/parametry?wniosek=1"]');
  await applicant.type('textarea[name=justification]', 'Przejmuję sprawozdania SR');
  await applicant.select('select[name=area]', 'SR');
  await shot(applicant, '08-parametry-wniosek');
  await submit(applicant, 'form[action="/parametry/wniosek"] button');
  expect(await text(applicant)).toContain('Wniosek o rozszerzenie uprawnień złożony');
  // "Moje sprawy": the request, what it waits for and on whom.
  // (The case's row and its task are written by its workflow a moment after the request.)
  body = await eventually(async () => {
    await applicant.goto(`${base}/moje-sprawy`);
    const now = await text(applicant);
    return now.includes('Czeka na decyzję administratora wojewódzkiego o rozszerzeniu uprawnień') && /: administrator wojewódzki/.test(now) ? now : null;
  }, 30_000, 'permission case and its task listed');
  await shot(applicant, '08a-moje-sprawy');
}, 240_000);

test('a staff member drafts a report, leaves, returns to the draft, submits it and downloads the UPO', async () => {
  const page = await signIn('strony-pracownik');
  await page.goto(`${base}/sprawozdania`);
  await shot(page, '09-sprawozdania');
  await submit(page, `a[href="/sprawozdania/${encodeURIComponent(reportId)}"]`);
  let body = await text(page);
  expect(body).toMatch(/Sesja wygaśnie o \d+ \S+ \d{4} \d{2}:\d{2}/);
  await page.type('input[name="content.osoby"]', '124');
  await page.type('input[name="content.rodziny"]', '57');
  await submit(page, 'button[formaction$="/szkic"]');
  expect(await text(page)).toContain('Zapisano wersję roboczą (zapis nr 1)');
  await shot(page, '10-sprawozdanie-szkic');

  // Types more, but the session has ended meanwhile (30 idle minutes, set on the session row): "Zapisz"
  // leads to the sign-in, and after it the typed value is back in the form, to be saved.
  await page.$eval('input[name="content.rodziny"]', (e) => ((e as HTMLInputElement).value = '58'));
  await sys.db.orm.em.fork().getConnection().execute("update sessions set last_seen_at = now() - interval '31 minutes' where account_id = (select id from accounts where login = 'strony-pracownik') and ended_at is null");
  await submit(page, 'button[formaction$="/szkic"]');
  expect(page.url()).toContain('/logowanie');
  expect(await text(page)).toContain('Wpisane dane sprawozdania zachowano');
  await shot(page, '10a-sesja-wygasla');
  await page.type('input[name=login]', 'strony-pracownik');
  await page.type('input[name=password]', PASSWORD);
  await submit(page, 'form[action="/logowanie"] button[type=submit]');
  expect(page.url()).toBe(`${base}/sprawozdania/${encodeURIComponent(reportId)}`);
  expect(await text(page)).toContain('Przywrócono dane wpisane');
  expect(await page.$eval('input[name="content.rodziny"]', (e) => (e as HTMLInputElement).value)).toBe('58');
  await shot(page, '10b-dane-przywrocone');
  await submit(page, 'button[formaction$="/szkic"]');
  expect(await text(page)).toContain('Zapisano wersję roboczą (zapis nr 2)');

  // Leaves (another page, then signs out) and comes back in a new session: the draft is there.
  await page.goto(`${base}/parametry`);
  await submit(page, 'form[action="/wyloguj"] button');
  const again = await signIn('strony-pracownik');
  await again.goto(`${base}/sprawozdania/${encodeURIComponent(reportId)}`);
  expect(await again.$eval('input[name="content.osoby"]', (e) => (e as HTMLInputElement).value)).toBe('124');
  expect(await again.$eval('input[name="content.rodziny"]', (e) => (e as HTMLInputElement).value)).toBe('58');
  expect(await text(again)).not.toContain('Przywrócono dane wpisane');
  await again.type('input[name="content.kwota"]', '15300');
  await submit(again, 'button[formaction$="/zloz"]');
  body = await text(again);
  expect(body).toContain('Sprawozdanie przekazane (wersja 1)');
  await eventually(async () => {
    await again.reload();
    return (await again.$('a[href$="upo.pdf"]')) !== null;
  }, 60_000, 'UPO PDF');
  await shot(again, '11-sprawozdanie-upo');
  const [pdfHref, jsonHref] = await Promise.all([again.$eval('a[href$="upo.pdf"]', (a) => a.getAttribute('href')!), again.$eval('a[href$="upo.json"]', (a) => a.getAttribute('href')!)]);
  const cookie = (await again.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const pdf = await fetch(`${base}${pdfHref}`, { headers: { cookie } });
  expect(pdf.status).toBe(200);
  expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 4).toString()).toBe('%PDF');
  const receipt = (await (await fetch(`${base}${jsonHref}`, { headers: { cookie } })).json()) as { receiptNumber: string; version: number };
  expect(receipt.version).toBe(1);
  expect(body).toContain(receipt.receiptNumber);
}, 180_000);

test('the unit head designates the responsible person and the substitute', async () => {
  const page = await signIn('strony-kierownik');
  await page.goto(`${base}/sprawozdania/${encodeURIComponent(reportId)}`);
  await page.select('select[name=responsible]', 'strony-pracownik');
  await page.select('select[name=substitute]', 'strony-zastepca');
  await shot(page, '12-kierownik-osoby');
  await submit(page, 'form[action$="/osoby"] button');
  expect(await text(page)).toContain('Wyznaczono: odpowiedzialny strony-pracownik, zastępca strony-zastepca');
  await shot(page, '13-kierownik-wyznaczono');
  // A staff member of the unit may not designate: the form is not there, and the API twin refuses.
  const staff = await signIn('strony-zastepca');
  await staff.goto(`${base}/sprawozdania/${encodeURIComponent(reportId)}`);
  expect(await staff.$('form[action$="/osoby"]')).toBeNull();
}, 120_000);

test('a staff member corrects a report the reviewer returned, and submits the correction', async () => {
  // The voivodeship administrator returns version 1 with remarks (through the API; its pages are tested elsewhere).
  const conn = sys.db.orm.em.fork().getConnection();
  const taskId = await eventually(async () => {
    const [t] = await conn.execute<{ id: string }[]>("select id from tasks where case_id = ? and kind = 'report-verification' and status = 'open'", [reportId]);
    return t?.id ?? null;
  }, 30_000, 'verification task');
  const remarks = 'Liczba rodzin nie zgadza się z ewidencją: popraw pole „Liczba rodzin”';
  await request(sys.app).post(`/api/tasks/${encodeURIComponent(taskId)}/complete`).set('Authorization', `Bearer ${admin}`).send({ decision: 'reject', reason: remarks }).expect(200);

  const page = await signIn('strony-pracownik');
  const reportPage = `${base}/sprawozdania/${encodeURIComponent(reportId)}`;
  await eventually(async () => {
    await page.goto(reportPage);
    return (await text(page)).includes('Sprawozdanie zwrócono do korekty');
  }, 30_000, 'report returned on its page');
  let body = await text(page);
  expect(body).toContain(`Uwagi administratora wojewódzkiego: ${remarks}`);
  expect(body).toContain('Stan: Zwrócone do korekty');
  // The form holds the version returned.
  expect(await page.$eval('input[name="content.rodziny"]', (e) => (e as HTMLInputElement).value)).toBe('58');
  await page.$eval('input[name="content.rodziny"]', (e) => ((e as HTMLInputElement).value = '61'));
  await shot(page, '13a-sprawozdanie-zwrocone');
  await submit(page, 'button[formaction$="/zloz"]');
  body = await text(page);
  expect(body).toContain('Sprawozdanie przekazane (wersja 2)');
  expect(body).not.toContain('Sprawozdanie zwrócono do korekty');
  await eventually(async () => {
    await page.reload();
    return (await page.$(`a[href$="${encodeURIComponent(`${reportId}:v2:upo.pdf`)}"]`)) !== null;
  }, 60_000, 'UPO of the correction');
  await shot(page, '13b-korekta-zlozona');
  const [v2] = await conn.execute<{ content: Record<string, unknown> }[]>('select content from report_versions where report_id = ? and version = 2', [reportId]);
  expect([String(v2.content.osoby), String(v2.content.rodziny)]).toEqual(['124', '61']);
}, 180_000);

test('a local administrator grants a reporting area and a PIU role to the staff of their unit, and nowhere else', async () => {
  const page = await signIn('strony-admin-lokalny');
  await submit(page, `a[href="/jednostka/${UNIT}/pracownicy"]`);
  await shot(page, '14-pracownicy-jednostki');
  const row = `form[action="/jednostka/${UNIT}/pracownicy/strony-zastepca/nadaj"]`;
  await page.select(`${row} select[name=area]`, 'SR');
  await submit(page, `${row}:has(select[name=area]) button`);
  expect(await text(page)).toContain('Nadano strony-zastepca: obszar świadczenia rodzinne (SR)');
  await page.select(`${row} select[name=piuRole]`, 'FA');
  await submit(page, `${row}:has(select[name=piuRole]) button`);
  expect(await text(page)).toContain('Nadano strony-zastepca: rolę Czytelnik PIU – obszar funduszu alimentacyjnego');
  await shot(page, '15-pracownicy-nadano');
  const conn = sys.db.orm.em.fork().getConnection();
  const held = await conn.execute<{ area: string }[]>("select area from role_assignments where account_id = (select id from accounts where login = 'strony-zastepca') and unit_code = ? order by area", [UNIT]);
  expect(held.map((r) => r.area)).toEqual(['PS', 'SR']);
  const [audited] = await conn.execute("select count(*)::int as n from audit_log where action = 'unit_person_granted' and actor = 'strony-admin-lokalny' and outcome = 'ok'");
  expect(audited.n).toBe(2);

  // Beyond their unit: another unit is refused (and audited), and so is a person who is not the unit's.
  const token = await request(sys.app).post('/api/auth/login').send({ login: 'strony-admin-lokalny', password: PASSWORD }).expect(200);
  const cookie = token.headers['set-cookie']![0].split(';')[0];
  const foreign = await request(sys.app).post('/api/units/1261011/people/strony-zastepca/grants').set('Cookie', cookie).set('X-CSRF-Token', token.body.csrfToken).send({ area: 'SR' });
  expect(foreign.status).toBe(403);
  const outsider = await request(sys.app).post(`/api/units/${UNIT}/people/strony-adm-26/grants`).set('Cookie', cookie).set('X-CSRF-Token', token.body.csrfToken).send({ area: 'SR' });
  expect(outsider.status).toBe(422);
  expect(outsider.body.error.message).toContain('nie jest pracownikiem jednostki');
  const page403 = await page.goto(`${base}/jednostka/1261011/pracownicy`);
  expect(page403!.status()).toBe(403);
  const [denied] = await conn.execute("select count(*)::int as n from audit_log where action = 'unit_person_granted' and actor = 'strony-admin-lokalny' and outcome = 'denied'");
  expect(denied.n).toBe(1);
}, 120_000);

test("the unit head and the local administrator go through the unit's CSIZS steps: the notification and its signed scan, the package check, the temporary password, the registration", async () => {
  const flash = (page: Page) => page.$eval('.flash', (e) => (e as HTMLElement).innerText).catch(() => '');
  const stepForm = 'form[action$="/krok"]';
  const csizsPage = `/jednostka/${UNIT}/csizs`;

  // ---- the head: the CAS report with the vendor, the local administrator designated ----
  const head = await signIn('strony-kierownik');
  await submit(head, `a[href="${csizsPage}"]`);
  expect(await text(head)).toContain('Podłączenie do CSIZS (strony)');
  await shot(head, '16-csizs-kierownik');
  await head.select(`${stepForm} select[name=vendor]`, 'Sygnity');
  await submit(head, `${stepForm} button`);
  expect(await flash(head)).toBe('Zapisano wykonanie kroku „Sprawozdanie jednorazowe w CAS i wybór dostawcy SD”. Następny krok: „Wyznaczenie administratora lokalnego CSIZS”');
  await submit(head, `${stepForm} button`);
  expect(await flash(head)).toContain('Następny krok: „Przygotowanie infrastruktury”');

  // ---- the unit's local administrator reports the infrastructure and the installation ----
  const local = await signIn('strony-admin-lokalny');
  await submit(local, `a[href="${csizsPage}"]`);
  await submit(local, `${stepForm} button`);
  await submit(local, `${stepForm} button`);
  expect(await flash(local)).toContain('Następny krok: „Zgłoszenie gotowości do podłączenia do CSIZS (Załącznik 2)”');
  // The notification is the head's and the voivodeship's path: no "report done" form for it.
  expect(await local.$(stepForm)).toBeNull();

  // ---- the head: the notification (Załącznik 2), its PDF, the signed scan ----
  await head.goto(`${base}${csizsPage}`);
  expect(await head.$eval('input[name="head.lastName"]', (e) => (e as HTMLInputElement).value)).toBe('strony-kierownik');
  expect(await head.$eval('input[name=areas][value=SW]', (e) => (e as HTMLInputElement).checked)).toBe(true);
  const admin2 = { firstName: 'Żaneta', lastName: 'Łącka', phone: '+48 41 367 00 00', email: 'zaneta.lacka@mopr-kielce.example' };
  await head.type('input[name=address]', 'ul. Studzienna 2, 25-544 Kielce');
  for (const [k, v] of Object.entries(admin2)) await head.type(`input[name="localAdmin.${k}"]`, v);
  await shot(head, '17-csizs-zgloszenie');
  await submit(head, 'form[action$="/zgloszenie"] button');
  expect(await flash(head)).toBe('Zapisano zgłoszenie (Załącznik 2): pobierz je, podpisz i prześlij skan');
  expect(await text(head)).toContain('Stan zgłoszenia: czeka na skan zgłoszenia podpisanego przez kierownika');
  const cookie = (await head.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const pdfHref = await head.$eval('a[href*="zgloszenie-1.pdf"]', (a) => a.getAttribute('href')!);
  const pdf = Buffer.from(await (await fetch(`${base}${pdfHref}`, { headers: { cookie } })).arrayBuffer());
  expect(pdfText(pdf)).toContain('Żaneta');
  // A scan that is not one: the API's refusal, on the page; then the signed scan.
  const notScan = join(SHOTS, 'skan-tekst.pdf');
  writeFileSync(notScan, 'to nie jest skan, tylko tekst');
  await (await head.$('input[type=file][name=file]'))!.uploadFile(notScan);
  await submit(head, 'form[action$="/skan"] button');
  expect(await head.$eval('.flash.error', (e) => (e as HTMLElement).innerText)).toContain('skan-tekst.pdf');
  await shot(head, '18-csizs-skan-odrzucony');
  const scan = join(SHOTS, 'skan-zgloszenia.pdf');
  writeFileSync(scan, SCAN_PDF);
  await (await head.$('input[type=file][name=file]'))!.uploadFile(scan);
  await submit(head, 'form[action$="/skan"] button');
  expect(await flash(head)).toBe('Przesłano skan zgłoszenia: czeka na decyzję administratora wojewódzkiego');
  await shot(head, '19-csizs-skan-przeslany');

  // ---- the voivodeship (its pages are tested elsewhere): accepts, sends the package, phones the password ----
  const unitUrl = csizsUnitUrl(CSIZS, UNIT);
  const asAdmin = { Authorization: `Bearer ${admin}` };
  await request(sys.app).post(`${unitUrl}/notification/decision`).set(asAdmin).send({ decision: 'accept' }).expect(200);
  const certificate = certificateFor(UNIT, 'SW');
  await request(sys.app).post(`${unitUrl}/package`).set(asAdmin).send({ domainSystems: ['SW'], certificates: { SW: certificate } }).expect(200);
  const packagePassword = (await request(sys.app).post(`${unitUrl}/package-password/reveal`).set(asAdmin).expect(200)).body.password as string;
  await request(sys.app).post(`${unitUrl}/package-password/handover`).set(asAdmin).send({ handedOverAt: new Date().toISOString() }).expect(200);
  // The designated local administrator gets the package by mail and opens it with the password from the call.
  const mail = await sys.smtp.waitFor((m) => (m.subject ?? '').startsWith('Pakiet informacji do podłączenia do CSIZS') && recipients(m).includes(admin2.email), 120_000);
  const [entry] = await unzipWithPassword(mail.attachments[0].content, packagePassword);
  const inPackage = pdfText(entry.content);
  const login = /^\s*Login \(nazwa użytkownika\)\s+(\S+)\s*$/m.exec(inPackage)![1];
  const temporary = /^\s*Hasło tymczasowe\s+(\S+)\s*$/m.exec(inPackage)![1];

  // ---- the new local administrator: the temporary password signs nobody in; "Zmiana hasła" first ----
  const la = await fresh();
  await la.goto(`${base}/logowanie`);
  await la.type('input[name=login]', login);
  await la.type('input[name=password]', temporary);
  await submit(la, 'form[action="/logowanie"] button[type=submit]');
  expect(await text(la)).toContain('Błędny login lub hasło');
  await submit(la, 'a[href="/zmiana-hasla"]');
  await la.type('input[name=login]', login);
  await la.type('input[name=currentPassword]', temporary);
  await la.type('input[name=newPassword]', 'Admin#Lokalny2026');
  await la.type('input[name=repeatPassword]', 'Admin#Lokalny2026');
  await shot(la, '20-csizs-zmiana-hasla');
  await submit(la, 'form[action="/zmiana-hasla"] button');
  expect(await text(la)).toContain('Hasło zostało zmienione. Zaloguj się nowym hasłem.');
  await la.type('input[name=login]', login);
  await la.type('input[name=password]', 'Admin#Lokalny2026');
  await submit(la, 'form[action="/logowanie"] button[type=submit]');
  await submit(la, `a[href="${csizsPage}"]`);
  await eventually(async () => {
    await la.reload();
    return (await text(la)).includes('Hasło tymczasowe administratora lokalnego zmieniono');
  }, 30_000, 'password change on the page');
  expect(await la.$('a[href$="%3Apakiet"]')).not.toBeNull();
  await shot(la, '21-csizs-sprawdzenie-pakietu');

  // The package check; the password step then records itself.
  await submit(la, `${stepForm} button`);
  expect(await flash(la)).toContain('Zapisano wykonanie kroku „Weryfikacja kompletności pakietu przez administratora lokalnego”');
  const body = await text(la);
  expect(body).toContain('Bieżący krok: Rejestracja systemu dziedzinowego w CSIZS');

  // The registration (seed 004 pkt 7): a certificate that is not the package's is refused by the workflow's rule.
  const register = async (cert: string) => {
    await la.type('input[name="registration.ntpServer"]', 'tempus1.gum.gov.pl');
    await la.type('input[name="registration.empatiaAddress"]', 'https://empatia.kielce.example/ws');
    await la.$eval('textarea[name="registration.empatiaCertificate"]', (e, v) => ((e as HTMLTextAreaElement).value = v), cert);
    await submit(la, `${stepForm} button`);
  };
  await register(certificateFor(UNIT, 'XX'));
  expect(await la.$eval('.flash.error', (e) => (e as HTMLElement).innerText)).toContain('Certyfikat Emp@tia nie pochodzi z pakietu informacji');
  await register(certificate);
  expect(await flash(la)).toContain('Następny krok: „Aktualizacja słowników w pierwszej kolejności po podłączeniu”');
  await submit(la, `${stepForm} button`);
  await la.click('input[name=piuRoles][value=PS]');
  await la.click('input[name=piuRoles][value=SR]');
  await shot(la, '22-csizs-role-piu');
  await submit(la, `${stepForm} button`);
  expect(await flash(la)).toContain('Jednostka wykonała wszystkie kroki');
  expect(await text(la)).toContain('jednostka podłączona');
  await shot(la, '23-csizs-podlaczona');
  await submit(la, `a[href="/kampanie/csizs/${CSIZS}/jednostki/${UNIT}"]`);
  const details = await text(la);
  expect(details).toContain(createHash('sha256').update(certificate.trim()).digest('hex'));
  expect(details).toContain('Czytelnik PIU – obszar pomocy społecznej');
  await shot(la, '24-csizs-szczegoly');

  // Audited as the API twins: the head's notification and scan, the local administrators' steps.
  const conn = sys.db.orm.em.fork().getConnection();
  const rows = await conn.execute<{ actor: string; action: string; outcome: string; n: number }[]>(
    "select actor, action, outcome, count(*)::int as n from audit_log where action like 'csizs_%' and target = ? and actor <> 'strony-adm-26' group by actor, action, outcome order by actor, action, outcome",
    [`${CSIZS}/${UNIT}`],
  );
  expect(rows).toEqual(
    expect.arrayContaining([
      { actor: 'strony-kierownik', action: 'csizs_notification_submitted', outcome: 'ok', n: 1 },
      { actor: 'strony-kierownik', action: 'csizs_notification_scan_filed', outcome: 'ok', n: 1 },
      { actor: 'strony-kierownik', action: 'csizs_step_completed', outcome: 'ok', n: 2 },
      { actor: 'strony-admin-lokalny', action: 'csizs_step_completed', outcome: 'ok', n: 2 },
      { actor: login, action: 'csizs_step_completed', outcome: 'ok', n: 4 },
    ]),
  );
  // Another unit's CSIZS page is not theirs.
  expect((await la.goto(`${base}/jednostka/1261011/csizs`))!.status()).toBe(404);
}, 300_000);
