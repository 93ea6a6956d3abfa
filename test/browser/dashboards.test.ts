import { mkdirSync, readFileSync } from 'node:fs';
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
import { getRegistrationStatus } from '../../workflows/messages';
import { application, SCAN_PDF, tokenFor } from '../support/fixtures';
import { eventually, startSystem, type TestSystem } from '../support/system';

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
  await eventually(async () => (await handle.query(getRegistrationStatus)).status === 'awaiting_scan', 30_000, 'awaiting scan');
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
});
afterAll(async () => {
  await chromium.close();
  await new Promise((r) => server?.close(r));
  await sys?.close();
});

async function signIn(login: string): Promise<Page> {
  const ctx = await browser.createBrowserContext();
  const page = await ctx.newPage();
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
