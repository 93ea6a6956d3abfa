import request from 'supertest';
import { hashPassword } from '../../lib/passwords';
import { binaryBody, pdfText, tokenFor, unitPersonToken } from '../support/fixtures';
import { eventually, startSystem, type TestSystem } from '../support/system';
import { warsawClock } from '../support/warsaw-clock';

// seed 003 (003_ac9166c2b11efdcf.txt, UWAGI, last paragraph): "Rozpakowanie paczki otrzymanej z urzędu
// również wymaga użycia podpisu elektronicznego, w ten sposób urząd otrzymuje elektroniczne poświadczenie
// odbioru pisma" — and pkt 12: letters and decisions of the office reach the unit's box. A decision of the
// voivodeship office on a permission request is a letter: its addressee's first opening (signed in, or
// through the mail's link) is recorded once with the Warsaw date and time, the sender sees it on the case
// (API and page), and a confirmation PDF (UPD) prints that time, read with pdftotext. Nobody but the
// addressee confirms it: not the sender reading the letter, not a mail scanner following the link.
// Real PostgreSQL, Temporal dev server, Chromium, SMTP; scripts/record-histories.sh records
// deliveryConfirmationWorkflow's history from this file.

const KIELCE = '2661011';
let sys: TestSystem;
const tok: Record<string, string> = {};
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const conn = () => sys.db.orm.em.fork().getConnection();

beforeAll(async () => {
  sys = await startSystem();
  tok.adm = await tokenFor(sys.db.orm, 'pisma-adm-26', 'voivodeship_admin', '26');
  tok.requester = await unitPersonToken(sys.db.orm, 'pisma-wnioskodawca', 'staff', '26', KIELCE, 'PS');
  tok.colleague = await unitPersonToken(sys.db.orm, 'pisma-kolega', 'staff', '26', KIELCE, 'SR');
});
afterAll(async () => {
  await sys?.close();
});


/** A permission request of the requester, decided by the voivodeship administrator; its decision mail's letter link. */
async function decided(area: string, decision: 'accept' | 'reject'): Promise<{ caseId: string; letterId: string; key: string; mailText: string }> {
  const created = await request(sys.app).post('/api/permission-requests').set(auth(tok.requester)).send({ unitCode: KIELCE, area, justification: 'Pisma' }).expect(201);
  const caseId: string = created.body.id;
  const task = await eventually(async () => (await request(sys.app).get('/api/tasks').set(auth(tok.adm))).body.find((t: { caseId: string }) => t.caseId === caseId), 30_000, 'decision task');
  await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(tok.adm)).send(decision === 'accept' ? { decision } : { decision, reason: 'Brak uzasadnienia służbowego' }).expect(200);
  const subject = decision === 'accept' ? `Rozszerzenie uprawnień przyznane: obszar ${area}` : 'Wniosek o rozszerzenie uprawnień odrzucony';
  const mail = await sys.smtp.waitFor((m) => (m.subject ?? '').startsWith(subject) && (m.text ?? '').includes('/pisma/') && (m.text ?? '').includes(area), 60_000);
  const link = /\/pisma\/([0-9a-f]{32})\?k=([A-Za-z0-9_-]+)/.exec(mail.text!)!;
  expect(link).not.toBeNull();
  return { caseId, letterId: link[1], key: link[2], mailText: mail.text! };
}

async function pdfOf(url: string): Promise<string> {
  const res = await request(sys.app).get(url).set(auth(tok.adm)).buffer(true).parse(binaryBody).expect(200);
  return pdfText(res.body as Buffer).replace(/\s+/g, ' ');
}

test('seed 003: the addressee signed in opens the decision once; the sender sees the Warsaw time on the case and on the UPD PDF', async () => {
  const { caseId, letterId, mailText } = await decided('FA', 'reject');
  expect(mailText).toContain('Otwarcie pisma w systemie potwierdza nadawcy jego doręczenie');

  // The case lists the letter, not yet opened, to its sender.
  const before = (await request(sys.app).get(`/api/cases/${encodeURIComponent(caseId)}`).set(auth(tok.adm)).expect(200)).body;
  expect(before.letters).toEqual([expect.objectContaining({ id: letterId, kind: 'decision', sender: 'Świętokrzyski Urząd Wojewódzki w Kielcach', opened: null, confirmation: null })]);

  // The sender reads it: nothing is confirmed, and the addressee's key is not shown to them.
  const read = (await request(sys.app).get(`/api/letters/${letterId}`).set(auth(tok.adm)).expect(200)).body;
  expect(read).toMatchObject({ opened: null, openedNow: false });
  expect(read.text).toContain('Brak uzasadnienia służbowego');
  expect(read.text).not.toMatch(/\?k=[A-Za-z0-9_-]{8,}/);
  // A colleague of the unit, not the addressee and not a party of this personal case, is refused.
  await request(sys.app).get(`/api/letters/${letterId}`).set(auth(tok.colleague)).expect(403);

  // The addressee opens it (signed in): recorded now, with the instant of the request.
  const t0 = Date.now();
  const opened = (await request(sys.app).get(`/api/letters/${letterId}`).set(auth(tok.requester)).expect(200)).body;
  const t1 = Date.now();
  expect(opened).toMatchObject({ openedNow: true, opened: { by: 'pisma-wnioskodawca', via: 'token' } });
  const openedAt: string = opened.opened.at;
  expect(Date.parse(openedAt)).toBeGreaterThanOrEqual(t0 - 1000);
  expect(Date.parse(openedAt)).toBeLessThanOrEqual(t1 + 1000);
  // Once: a second opening changes nothing.
  const again = (await request(sys.app).get(`/api/letters/${letterId}`).set(auth(tok.requester)).expect(200)).body;
  expect(again).toMatchObject({ openedNow: false, opened: { at: openedAt } });

  // The sender sees the opening and the confirmation on the case (API), the PDF printing the Warsaw time.
  const letter = await eventually(async () => {
    const l = (await request(sys.app).get(`/api/cases/${encodeURIComponent(caseId)}`).set(auth(tok.adm)).expect(200)).body.letters[0];
    return l.confirmation ? l : null;
  }, 60_000, 'the delivery confirmation');
  expect(letter.opened).toEqual({ at: openedAt, by: 'pisma-wnioskodawca', via: 'token' });
  expect(letter.confirmation.number).toMatch(/^UPD\/\d{8}\/[0-9A-F]{12}$/);
  expect(letter.confirmation.number.split('/')[1]).toBe(new Date(openedAt).toLocaleDateString('sv-SE', { timeZone: 'Europe/Warsaw' }).replace(/-/g, ''));
  const text = await pdfOf(letter.confirmation.url);
  expect(text).toContain('Urzędowe poświadczenie doręczenia (UPD)');
  expect(text).toContain(`Data i godzina otwarcia pisma ${warsawClock(openedAt)}`);
  expect(text).toContain(letter.confirmation.number);
  expect(text).toContain('Świętokrzyski Urząd Wojewódzki w Kielcach');
  const events = (await request(sys.app).get(`/api/cases/${encodeURIComponent(caseId)}`).set(auth(tok.adm))).body.history.filter((e: { type: string }) => e.type === 'letter_opened');
  expect(events).toHaveLength(1);
  expect(await conn().execute("select count(*)::int n from documents where case_id = ? and id like 'upd:%'", [caseId])).toEqual([{ n: 1 }]);

  // The case page shows the sender the same.
  const login = await request(sys.app).post('/api/auth/login').send({ login: 'pisma-adm-26', password: await adminPassword() }).expect(200);
  const page = await request(sys.app).get(`/sprawy/${encodeURIComponent(caseId)}`).set('Cookie', login.headers['set-cookie']![0].split(';')[0]).expect(200);
  expect(page.text).toContain('Pisma i poświadczenia doręczenia');
  expect(page.text).toContain(warsawClock(openedAt));
  expect(page.text).toContain(letter.confirmation.number);
});

test('seed 003: through the mail’s link, a look confirms nothing until the addressee opens the letter on its page', async () => {
  const { caseId, letterId, key } = await decided('SR', 'accept');
  // A wrong key: no such letter.
  await request(sys.app).get(`/pisma/${letterId}?k=zly-klucz`).expect(404);
  // The link without a session (as a mail scanner follows it): the page asks, nothing is recorded.
  const asked = await request(sys.app).get(`/pisma/${letterId}?k=${key}`).expect(200);
  expect(asked.text).toContain('Otwórz pismo');
  expect(asked.text).not.toContain('Treść');
  expect((await conn().execute('select opened_at from letters where id = ?', [letterId]))[0].opened_at).toBeNull();

  // The addressee opens it on the page (the form, twin of POST /api/letters/:letterId/opening).
  const posted = await request(sys.app).post(`/pisma/${letterId}`).type('form').send({ key }).expect(303);
  expect(posted.headers.location).toContain(`/pisma/${letterId}?k=`);
  const shown = await request(sys.app).get(`/pisma/${letterId}?k=${key}`).expect(200);
  expect(shown.text).toContain('Treść');
  expect(shown.text).toContain('odnośnikiem z wiadomości e-mail');
  const [row] = await conn().execute('select opened_at, opened_by, opened_via from letters where id = ?', [letterId]);
  expect(row).toMatchObject({ opened_by: 'pisma-wnioskodawca@obieg.local', opened_via: 'link' });

  // The API twin with the same key: already opened, the time stays.
  const api = (await request(sys.app).post(`/api/letters/${letterId}/opening`).send({ key }).expect(200)).body;
  expect(api).toMatchObject({ openedNow: false, opened: { at: new Date(row.opened_at).toISOString(), via: 'link' } });
  const letter = await eventually(async () => {
    const l = (await request(sys.app).get(`/api/cases/${encodeURIComponent(caseId)}`).set(auth(tok.adm)).expect(200)).body.letters[0];
    return l.confirmation ? l : null;
  }, 60_000, 'the delivery confirmation');
  expect(await pdfOf(letter.confirmation.url)).toContain(`Data i godzina otwarcia pisma ${warsawClock(new Date(row.opened_at).toISOString())}`);
});

const ADMIN_PASSWORD = 'Pisma#Haslo2026';
async function adminPassword(): Promise<string> {
  await conn().execute("update accounts set password_hash = ?, password_changed_at = now(), must_change_password = false where login = 'pisma-adm-26'", [await hashPassword(ADMIN_PASSWORD)]);
  return ADMIN_PASSWORD;
}
