import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import request from 'supertest';
import { ensureAccount, issueToken } from '../../db/demo';
import type { Role } from '../../db/entities';
import { createBrowserProvider } from '../../lib/browser';
import { hashPassword } from '../../lib/passwords';
import { PROJECT_ROOT } from '../../lib/paths';
import { csizsConnectionWorkflowId, getCsizsStatus, getRegistrationStatus } from '../../workflows/messages';
import { CAMPAIGN_500_PLUS_2016 } from '../../workflows/rules/csizs-campaign';
import { application, SCAN_PDF, tokenFor } from '../support/fixtures';
import { certificateFor, csizsUnitUrl, notificationFor } from '../support/csizs';
import { guardAgainstRawCodes, type RawCodeGuard } from '../support/raw-codes';
import { eventually, startSystem, type TestSystem } from '../support/system';
import { workingDayAhead } from '../support/calendar';

// The dashboards as officials use them, in headless Chromium: sign in per role, claim and decide a
// task through the form, filter and export cases, open a case and the overview; screenshots of each
// main page go to test-output/screenshots (git-ignored); axe-core finds no serious violations.

const SHOTS = join(PROJECT_ROOT, 'test-output', 'screenshots');
const PASSWORD = 'Panel#Haslo2026';
let sys: TestSystem;
let server: Server;
let base: string;
let browser: Browser;
const chromium = createBrowserProvider('/usr/bin/chromium');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let own: string;
let foreign: string;
let waiting: string;
let rawCodes: RawCodeGuard;

async function person(login: string, role: Role, voivodeship: string | null) {
  await ensureAccount(sys.db.orm, { login, firstName: 'Anna', lastName: 'Nowak', role, voivodeship });
  await sys.db.orm.em.fork().getConnection().execute('update accounts set password_hash = ?, password_changed_at = now(), must_change_password = false where login = ?', [await hashPassword(PASSWORD), login]);
}

async function registration(teryt: string, name: string, email: string, adminToken: string, scan = true): Promise<string> {
  const app = application({ email });
  app.unit.terytCode = teryt;
  app.unit.name = name;
  const { body } = await request(sys.app).post('/api/registrations').send(app).expect(201);
  const handle = sys.client.workflow.getHandle(body.id);
  await eventually(async () => (await handle.query(getRegistrationStatus)).status === 'awaiting_scan', 90_000, 'awaiting scan');
  if (!scan) return body.id;
  await request(sys.app).post(`/api/cases/${body.id}/scans`).set('Authorization', `Bearer ${adminToken}`).field('channel', 'epuap').attach('file', SCAN_PDF, 'skan.pdf').expect(201);
  await eventually(async () => (await handle.query(getRegistrationStatus)).openTaskId, 20_000, 'task');
  return body.id;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  sys = await startSystem();
  await person('panel-adm-26', 'voivodeship_admin', '26');
  await person('panel-adm-12', 'voivodeship_admin', '12');
  await person('panel-ministerstwo', 'ministry', null);
  const t26 = await tokenFor(sys.db.orm, 'api-adm-26', 'voivodeship_admin', '26');
  const t12 = await tokenFor(sys.db.orm, 'api-adm-12', 'voivodeship_admin', '12');
  own = await registration('2661011', 'Miejski Ośrodek Pomocy Rodzinie w Kielcach', 'panel.kielce@mopr.example', t26);
  foreign = await registration('1261011', 'Miejski Ośrodek Pomocy Społecznej w Krakowie', 'panel.krakow@mops.example', t12);
  waiting = await registration('1263011', 'Miejski Ośrodek Pomocy Społecznej w Tarnowie', 'panel.tarnow@mops.example', t12, false);
  server = sys.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.get();
  rawCodes = guardAgainstRawCodes(browser);
});
// Every page loaded in a test is scanned for internal codes (test/support/raw-codes.ts).
afterEach(async () => {
  await rawCodes.expectNone();
});
afterAll(async () => {
  await chromium.close();
  await new Promise((r) => server?.close(r));
  await sys?.close();
});

async function signIn(login: string): Promise<Page> {
  const ctx = await browser.createBrowserContext();
  const page = await ctx.newPage();
  // A form's answer waits for its workflow update; a busy 2-core machine may need more than 30 s.
  page.setDefaultNavigationTimeout(90_000);
  await page.goto(`${base}/zadania`);
  expect(page.url()).toContain('/logowanie');
  await page.type('input[name=login]', login);
  await page.type('input[name=password]', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  expect(page.url()).toBe(`${base}/zadania`);
  return page;
}

async function accessible(page: Page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run({ resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  expect(result.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
}

const text = (page: Page) => page.evaluate(() => document.body.innerText);

test('a voivodeship administrator claims and decides a task through the form, within their voivodeship only', async () => {
  const page = await signIn('panel-adm-26');
  let body = await text(page);
  expect(body).toContain('Moje zadania (1)');
  expect(body).toContain('Miejski Ośrodek Pomocy Rodzinie w Kielcach');
  await page.screenshot({ path: join(SHOTS, 'zadania.png'), fullPage: true });
  await accessible(page);

  await Promise.all([page.waitForNavigation(), page.click('form[action$="/przejmij"] button')]);
  body = await text(page);
  expect(body).toContain('Zadanie przejęte');
  expect(body).toContain('panel-adm-26');

  await page.click('input[name=decision][value=accept]');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/decyzja"] button')]);
  expect(await text(page)).toContain('Decyzja zapisana: zaakceptowano');
  await eventually(async () => (await sys.client.workflow.getHandle(own).query(getRegistrationStatus)).status === 'accepted', 20_000, 'accepted');

  // A case of another voivodeship is refused on its page.
  const res = await page.goto(`${base}/sprawy/${encodeURIComponent(foreign)}`);
  expect(res!.status()).toBe(403);
  expect(await text(page)).toContain('poza Twoim zakresem');
});

test('the case list filters by URL, exports CSV of the filtered set, and the case page says what it waits for', async () => {
  const page = await signIn('panel-ministerstwo');
  await page.goto(`${base}/sprawy`);
  let body = await text(page);
  expect(body).toContain('Sprawy (3)');
  await page.select('select[name=voivodeship]', '12');
  await Promise.all([page.waitForNavigation(), page.click('form.filters button')]);
  expect(page.url()).toContain('voivodeship=12');
  body = await text(page);
  expect(body).toContain('Sprawy (2)');
  await page.screenshot({ path: join(SHOTS, 'sprawy.png'), fullPage: true });
  await accessible(page);

  const csv = await page.evaluate(async (href) => (await fetch(href)).text(), (await page.$eval('a[href^="/sprawy.csv"]', (a) => a.getAttribute('href')))!);
  const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(lines[0]).toBe('sprawa;rodzaj;status;tytuł;kod TERYT;jednostka;województwo;na co czeka;termin;zmieniono;zamknięto');
  expect(lines).toHaveLength(3);
  expect(lines.slice(1).map((l) => l.split(';')[0]).sort()).toEqual([foreign, waiting].sort());

  await page.goto(`${base}/sprawy/${encodeURIComponent(foreign)}`);
  body = await text(page);
  expect(body).toContain('Czeka na decyzję administratora wojewódzkiego, od 0 dni; przypomnienie wysłano 0 razy.');
  expect(body).toContain('Wpłynął skan formularza');
  expect(body).toMatch(/[0-9a-f]{64}/);
  await page.screenshot({ path: join(SHOTS, 'sprawa.png'), fullPage: true });
  await accessible(page);
});

test('the overview shows the ministry all 16 voivodeships and a voivodeship administrator only theirs', async () => {
  const ministry = await signIn('panel-ministerstwo');
  await ministry.goto(`${base}/przeglad`);
  expect(await ministry.$$eval('.tile', (ts) => ts.length)).toBe(16);
  expect(await text(ministry)).toContain('cały kraj');
  // Counted by the case_counts summary, kept by triggers as the workflows open and close cases.
  expect(await text(ministry)).toContain('Razem: 3 spraw, zakończonych 1 (33%), po terminie 0.');
  await ministry.screenshot({ path: join(SHOTS, 'przeglad.png'), fullPage: true });
  await accessible(ministry);

  const admin = await signIn('panel-adm-12');
  await admin.goto(`${base}/przeglad`);
  const tiles = await admin.$$eval('.tile strong', (ts) => ts.map((t) => t.textContent));
  expect(tiles).toEqual(['Małopolskie']);
  expect(await text(admin)).toContain('Razem: 2 spraw, zakończonych 0 (0%)');
  await admin.goto(`${base}/sprawy`);
  const body = await text(admin);
  expect(body).toContain('Sprawy (2)');
  expect(body).not.toContain('Kielcach');
  await admin.goto(`${base}/poczta`);
  expect(await text(admin)).toContain('Formularz rejestracyjny do podpisu');
  await admin.screenshot({ path: join(SHOTS, 'poczta.png'), fullPage: true });
  await accessible(admin);
});

test('a bulk deadline extension changes the cases that wait on a deadline and names those it could not change', async () => {
  const page = await signIn('panel-adm-12');
  await page.goto(`${base}/sprawy?voivodeship=12`);
  await page.$eval('input[name=days]', (el) => ((el as HTMLInputElement).value = '7'));
  await page.type('input[name=reason]', 'Awaria ePUAP w urzędzie wojewódzkim');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/sprawy/zbiorczo"] button')]);
  const body = await text(page);
  expect(page.url()).toContain('voivodeship=12');
  expect(body).toContain('Zmieniono 1 spraw. Bez zmian 1:');
  expect(body).toContain(foreign);
  await page.goto(`${base}/sprawy/${encodeURIComponent(waiting)}`);
  expect(await text(page)).toContain('Przedłużono termin o 7 dni. Powód: Awaria ePUAP w urzędzie wojewódzkim');
  const status = await sys.client.workflow.getHandle(waiting).query(getRegistrationStatus);
  expect(Math.round((Date.parse(status.deadline!) - Date.now()) / 86_400_000)).toBe(37);
});

/** A person of one unit (head, local administrator or staff for one reporting area). */
async function unitPerson(login: string, role: Role, unitCode: string, area: string | null = null) {
  await person(login, role, unitCode.slice(0, 2));
  await sys.db.orm.em.fork().getConnection().execute('update role_assignments set unit_code = ?, area = ? where account_id = (select id from accounts where login = ?)', [unitCode, area, login]);
}

test('people of a unit (head, local administrator, staff) see their own unit only, and staff only their reporting areas', async () => {
  // A second unit in the same voivodeship: the unit's people must not see it either.
  const busko = await registration('2601013', 'Miejsko-Gminny Ośrodek Pomocy Społecznej w Busku-Zdroju', 'panel.busko@mgops.example', '', false);
  await unitPerson('panel-kierownik', 'unit_head', '2661011');
  await unitPerson('panel-admin-lok', 'local_admin', '2661011');
  await unitPerson('panel-pracownik-ps', 'staff', '2661011', 'PS');
  await unitPerson('panel-pracownik-on', 'staff', '2661011', 'ON');

  for (const [login, shot] of [['panel-kierownik', 'kierownik'], ['panel-admin-lok', 'admin-lokalny'], ['panel-pracownik-ps', 'pracownik']] as const) {
    const page = await signIn(login);
    // Tasks of the voivodeship administrators (the Kraków decision) are not theirs to see.
    let body = await text(page);
    expect(body).toContain('Moje zadania (0)');
    expect(body).not.toContain('Krakowie');

    await page.goto(`${base}/sprawy`);
    body = await text(page);
    expect(body).toContain('Sprawy (1)');
    expect(body).toContain('Kielcach');
    for (const other of ['Krakowie', 'Tarnowie', 'Busku-Zdroju']) expect(body).not.toContain(other);
    await page.screenshot({ path: join(SHOTS, `sprawy-${shot}.png`), fullPage: true });
    await accessible(page);

    const csv = await page.evaluate(async () => (await fetch('/sprawy.csv')).text());
    expect(csv.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((l) => l.split(';')[0])).toEqual([own]);

    await page.goto(`${base}/sprawy/${encodeURIComponent(own)}`);
    expect(await text(page)).toContain('Miejski Ośrodek Pomocy Rodzinie w Kielcach');
    for (const other of [foreign, busko]) {
      const res = await page.goto(`${base}/sprawy/${encodeURIComponent(other)}`);
      expect(res!.status()).toBe(403);
    }

    // The overview counts their own unit's cases only, in their voivodeship's tile.
    await page.goto(`${base}/przeglad`);
    expect(await page.$$eval('.tile strong', (ts) => ts.map((t) => t.textContent))).toEqual(['Świętokrzyskie']);
    expect(await page.$eval('.tile', (t) => (t as HTMLElement).innerText)).toMatch(/ z 1 zakończonych/);
    await accessible(page);

    await page.goto(`${base}/poczta`);
    body = await text(page);
    expect(body).not.toContain('Krakowie');
    await page.browserContext().close();
  }

  // Staff authorised for another reporting area (ON) do not see the Kielce registration (areas PS, SR).
  const other = await signIn('panel-pracownik-on');
  await other.goto(`${base}/sprawy`);
  expect(await text(other)).toContain('Sprawy (0)');
  expect((await other.goto(`${base}/sprawy/${encodeURIComponent(own)}`))!.status()).toBe(403);
  await other.browserContext().close();
});

/** Local Warsaw date-time (YYYY-MM-DDTHH:mm) `days` from now. */
const warsawLocal = (days: number) => new Date(Date.now() + days * 86_400_000).toLocaleString('sv-SE', { timeZone: 'Europe/Warsaw' }).slice(0, 16).replace(' ', 'T');

test('campaign pages: the CSIZS campaign grid, late units, the call list worked through its form, and a report roll-up, each within scope', async () => {
  const ministry = await tokenFor(sys.db.orm, 'api-kampanie-mrpips', 'ministry', null);
  const auth = { Authorization: `Bearer ${ministry}` };
  const day = (n: number) => warsawLocal(n).slice(0, 10);
  // The first step was due yesterday (every unit is late at it) and the first call window is open now.
  const calendar = {
    ...CAMPAIGN_500_PLUS_2016,
    name: 'Podłączenie do CSIZS — kampania testowa',
    steps: Object.fromEntries(Object.keys(CAMPAIGN_500_PLUS_2016.steps).map((s, i) => [s, i === 0 ? day(-1) : day(300 + i)])),
    vendorExceptions: [],
    checkpoints: [
      { id: 'checkpoint_1', opensAt: warsawLocal(-1), closesAt: warsawLocal(3), confirms: 'installation' },
      { id: 'checkpoint_2', opensAt: warsawLocal(320), closesAt: warsawLocal(321), confirms: 'domain_registration' },
    ],
  };
  await request(sys.app).post('/api/csizs-campaigns').set(auth).send({ id: 'panel-csizs', calendar, unitCodes: ['2661011', '1261011', '1263011'] }).expect(201);
  await request(sys.app).post('/api/csizs-campaigns/panel-csizs/start').set(auth).expect(202);
  await eventually(async () => {
    const rows = await sys.db.orm.em.fork().getConnection().execute<{ n: number }[]>("select count(*)::int as n from csizs_checkpoints where campaign_id = 'panel-csizs' and status = 'open'");
    return rows[0].n === 3;
  }, 60_000, 'call list open');
  await request(sys.app)
    .put('/api/report-forms/PANEL-ANK')
    .set(auth)
    .send({ name: 'Ankieta o kadrach pomocy społecznej', area: 'PS', unitKind: 'gmina', period: 'one-off', dueRule: { kind: 'fixed-date', date: workingDayAhead(60) } })
    .expect(200);
  const survey = await request(sys.app).post('/api/report-campaigns').set(auth).send({ formCode: 'PANEL-ANK', period: 'ankieta-1', units: ['2661011', '1261011'] }).expect(202);

  const page = await signIn('panel-ministerstwo');
  await Promise.all([page.waitForNavigation(), page.click('nav a[href="/kampanie"]')]);
  expect(await text(page)).toContain('Podłączenie do CSIZS — kampania testowa');
  await page.screenshot({ path: join(SHOTS, 'kampanie.png'), fullPage: true });
  await accessible(page);

  await Promise.all([page.waitForNavigation(), page.click('a[href="/kampanie/csizs/panel-csizs"]')]);
  let body = await text(page);
  expect(await page.$$eval('.tile', (ts) => ts.length)).toBe(16);
  expect(body).toContain('Podłączone: 0 z 3 jednostek. Po terminie: 3.');
  expect(body).toContain('Lista telefonów: Punkt kontrolny 1 (po instalacji) (3 do zadzwonienia z 3)');
  await page.screenshot({ path: join(SHOTS, 'kampania-csizs.png'), fullPage: true });
  await accessible(page);

  // A call recorded through the row's form; the unit leaves the list of calls still to make.
  const row = await page.$('form[action="/kampanie/csizs/panel-csizs/jednostki/2661011/rozmowa"]');
  await row!.$eval('select[name=outcome]', (s) => ((s as HTMLSelectElement).value = 'confirmed'));
  await Promise.all([page.waitForNavigation(), row!.$eval('button', (b) => (b as HTMLButtonElement).click())]);
  body = await text(page);
  expect(body).toContain('Zapisano rozmowę z jednostką 2661011: potwierdzono');
  expect(body).toContain('(2 do zadzwonienia z 3)');
  expect(await page.$('form[action="/kampanie/csizs/panel-csizs/jednostki/2661011/rozmowa"]')).toBeNull();
  const status = await sys.client.workflow.getHandle(csizsConnectionWorkflowId('panel-csizs', '2661011')).query(getCsizsStatus);
  expect(status.checkpoints.checkpoint_1).toBe('confirmed');

  await page.goto(`${base}/kampanie/raporty/${encodeURIComponent(survey.body.id)}`);
  body = await text(page);
  expect(body).toContain('Sprawozdanie PANEL-ANK za ankieta-1');
  expect(body).toContain('Jednostek: 2.');
  await page.screenshot({ path: join(SHOTS, 'kampania-raporty.png'), fullPage: true });
  await accessible(page);

  // The voivodeship administrator of Małopolskie: their tile, their units, no call forms (the ministry calls).
  const admin = await signIn('panel-adm-12');
  await admin.goto(`${base}/kampanie/csizs/panel-csizs`);
  body = await text(admin);
  expect(await admin.$$eval('.tile strong', (ts) => ts.map((t) => t.textContent))).toEqual(['Małopolskie']);
  expect(body).toContain('Podłączone: 0 z 2 jednostek. Po terminie: 2.');
  expect(body).not.toContain('2661011');
  expect(await admin.$$('form[action*="/rozmowa"]')).toHaveLength(0);
  await admin.goto(`${base}/kampanie/raporty/${encodeURIComponent(survey.body.id)}`);
  expect(await text(admin)).toContain('Jednostek: 1.');

  // People of a unit do not watch campaigns: no menu entry, and the page refuses them.
  const head = await signIn('panel-kierownik');
  expect(await head.$('nav a[href="/kampanie"]')).toBeNull();
  expect((await head.goto(`${base}/kampanie/csizs/panel-csizs`))!.status()).toBe(403);
});

test('CSIZS tasks done through their forms on "Moje zadania": the head explains the notification, the administrator records the password hand-over', async () => {
  // The panel-csizs campaign of the test above; Kielce (2661011) files its notification through the API.
  const unit = csizsUnitUrl('panel-csizs', '2661011');
  const headToken = await issueToken(sys.db.orm, 'panel-kierownik', 'test');
  const localToken = await issueToken(sys.db.orm, 'panel-admin-lok', 'test');
  const adm26 = await tokenFor(sys.db.orm, 'api-adm-26', 'voivodeship_admin', '26');
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  await request(sys.app).post(`${unit}/steps`).set(as(localToken)).send({ step: 'cas_report', vendor: 'Sygnity' }).expect(200);
  // seed 004 pkt 2–4: the notification follows the installation.
  for (const step of ['local_admin', 'infrastructure', 'installation']) await request(sys.app).post(`${unit}/steps`).set(as(localToken)).send({ step }).expect(200);
  await request(sys.app).post(`${unit}/notification`).set(as(headToken)).send(notificationFor('2661011')).expect(200);
  await request(sys.app).post(`${unit}/notification/scan`).set(as(headToken)).attach('file', SCAN_PDF, 'skan.pdf').expect(201);
  await request(sys.app).post(`${unit}/notification/decision`).set(as(adm26)).send({ decision: 'clarify', reason: 'Czy administrator obsługuje też obszar SR?' }).expect(200);
  const status = () => sys.client.workflow.getHandle(csizsConnectionWorkflowId('panel-csizs', '2661011')).query(getCsizsStatus);

  // The head's inbox: the clarification with a form; an empty answer is refused and nothing changes.
  const head = await signIn('panel-kierownik');
  let body = await text(head);
  expect(body).toContain('Wyjaśnienie danych zgłoszenia podłączenia do CSIZS');
  const form = 'form[action$="/wyjasnienie"]';
  await head.$eval(`${form} textarea`, (t) => ((t as HTMLTextAreaElement).required = false));
  await Promise.all([head.waitForNavigation(), head.click(`${form} button`)]);
  expect(await text(head)).toContain('Wpisz wyjaśnienie (co najmniej 3 znaki)');
  expect((await status()).notification?.status).toBe('clarification');
  await head.type(`${form} textarea`, 'Tak, administrator obsługuje SW i SR');
  await head.screenshot({ path: join(SHOTS, 'zadania-kierownik.png'), fullPage: true });
  await accessible(head);
  await Promise.all([head.waitForNavigation(), head.click(`${form} button`)]);
  body = await text(head);
  expect(body).toContain('Wysłano wyjaśnienie do zgłoszenia jednostki 2661011');
  expect(await head.$(form)).toBeNull();
  expect((await status()).notification).toMatchObject({ status: 'awaiting_review', answer: 'Tak, administrator obsługuje SW i SR' });

  // Accepted; the package sent: the hand-over call is the administrator's task.
  await request(sys.app).post(`${unit}/notification/decision`).set(as(adm26)).send({ decision: 'accept' }).expect(200);
  await request(sys.app).post(`${unit}/package`).set(as(adm26)).send({ domainSystems: ['SW'], certificates: { SW: certificateFor('2661011', 'SW') } }).expect(200);

  // Another voivodeship's administrator has no such task; Świętokrzyskie's records the call's time.
  const other = await signIn('panel-adm-12');
  expect(await other.$('form[action$="/haslo-przekazane"]')).toBeNull();
  const admin = await signIn('panel-adm-26');
  const handover = 'form[action$="/haslo-przekazane"]';
  expect(await admin.$eval(`${handover} input[name=handedOverAt]`, (i) => (i as HTMLInputElement).value)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
  await accessible(admin);
  await Promise.all([admin.waitForNavigation(), admin.click(`${handover} button`)]);
  expect(await text(admin)).toContain('Zapisano przekazanie hasła do pakietu jednostce 2661011');
  expect(await admin.$(handover)).toBeNull();
  expect((await status()).package).toMatchObject({ status: 'handed_over', passwordHandedOverBy: 'panel-adm-26' });
});
