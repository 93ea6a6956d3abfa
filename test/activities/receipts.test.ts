import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, type Activities } from '../../activities';
import { createBrowserProvider } from '../../lib/browser';
import { createMailer } from '../../lib/mailer';
import { loadTemplates } from '../../lib/templates';
import { createTestDb, type TestDb } from '../support/db';
import { application, pdfText } from '../support/fixtures';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp';
import { warsawClock } from '../support/warsaw-clock';

// seed 003 (003_ac9166c2b11efdcf.txt, pkt 12): every submission gets an "urzędowe potwierdzenie odbioru
// tzw. UPO z dokładną datą i godziną dostarczenia"; the date and time are Poland's. seed 000
// (000_809f31c0e34cf4a4.txt, "UWAGA! Od 2015 roku"): the signed form goes to the voivodeship office's ePUAP
// box /SUWKielce/SkrytkaESP or to wps00@kielce.uw.gov.pl, and the form and the mails say so.
// Real PostgreSQL, Chromium, poppler's pdftotext and an SMTP peer.

let db: TestDb;
let smtp: SmtpPeer;
let acts: Activities;
const browser = createBrowserProvider('/usr/bin/chromium');
const env = new MockActivityEnvironment();
const run = <K extends keyof Activities>(name: K, ...args: Parameters<Activities[K]>): ReturnType<Activities[K]> =>
  env.run(acts[name] as (...a: Parameters<Activities[K]>) => ReturnType<Activities[K]>, ...args) as ReturnType<Activities[K]>;
const q = async (sql: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute(sql, params);

beforeAll(async () => {
  db = await createTestDb();
  smtp = await startSmtpPeer();
  const mailer = createMailer({ SMTP_HOST: '127.0.0.1', SMTP_PORT: smtp.port, SMTP_SECURE: false, SMTP_USER: undefined, SMTP_PASSWORD: undefined });
  acts = createActivities({ orm: db.orm, mailer, browser, templates: loadTemplates(), mailFrom: 'obieg <no-reply@obieg.local>', publicUrl: 'http://127.0.0.1:3000' });
});
afterAll(async () => {
  await browser.close();
  await smtp.close();
  await db.drop();
});

async function openCase(caseId: string, type = 'registration') {
  await run('openCase', {
    caseId,
    runId: 'run-1',
    type,
    unitCode: '2661011',
    voivodeship: '26',
    title: 'Rejestracja: test',
    status: 'submitted',
    waitingFor: null,
    data: { application: application({ email: `${caseId}@mopr.kielce.example` }), formCode: 'MPiPS-03', formName: 'Sprawozdanie', period: '2026-Q4' },
    event: { key: `${caseId}:run-1:opened`, type: 'case_opened', actor: 'applicant', message: 'Złożono wniosek' },
  });
}


async function pdfOf(documentId: string): Promise<string> {
  const [{ content }] = await q('select b.content from blobs b join documents d on d.sha256 = b.sha256 where d.id = ?', [documentId]);
  return pdfText(content).replace(/\s+/g, ' ');
}

test('seed 003: the receipt PDF prints the Warsaw date and time of receipt, near midnight UTC the next day; a retry issues nothing twice', async () => {
  await openCase('c-upo');
  // 23:30:15 UTC on 5 December is 00:30:15 on 6 December in Warsaw.
  const receivedAt = '2026-12-05T23:30:15.000Z';
  const input = {
    key: 'c-upo:run-1:receipt',
    caseId: 'c-upo',
    kind: 'registration' as const,
    subject: 'Wniosek rejestracyjny (jednostka i użytkownik): MOPR w Kielcach',
    receivedAt,
    submittedBy: 'Łucja Żółkiewska',
    unitCode: '2661011',
    voivodeship: '26',
  };
  const first = await run('issueReceipt', input);
  const again = await run('issueReceipt', { ...input, receivedAt: '2026-12-06T10:00:00.000Z' });
  expect(again).toEqual(first);
  expect(first.number).toMatch(/^UPO\/20261206\/[0-9A-F]{12}$/);
  expect(await q('select count(*)::int n from receipts where case_id = ?', ['c-upo'])).toEqual([{ n: 1 }]);
  expect(await q("select count(*)::int n from documents where case_id = ? and kind = 'receipt'", ['c-upo'])).toEqual([{ n: 1 }]);
  expect(await q("select count(*)::int n from case_events where case_id = ? and type = 'receipt_issued'", ['c-upo'])).toEqual([{ n: 1 }]);

  const text = await pdfOf(first.documentId);
  expect(warsawClock(receivedAt)).toBe('6 grudnia 2026 00:30:15');
  expect(text).toContain(`Data i godzina odbioru ${warsawClock(receivedAt)}`);
  expect(text).not.toContain('5 grudnia 2026');
  expect(text).toContain(first.number);
  expect(text).toContain('Świętokrzyski Urząd Wojewódzki w Kielcach');
});

test('seed 003: a report receipt (UPO) is numbered and printed with the Warsaw date, also across New Year', async () => {
  await openCase('report-upo', 'report');
  const receipt = await run('recordReportSubmission', { reportId: 'report-upo', version: 1, content: { a: 1 }, submittedBy: 'anna' });
  const at = receipt.submittedAt;
  const pdfId = await run('renderReportReceipt', { reportId: 'report-upo', receipt: { ...receipt, submittedAt: '2026-12-31T23:05:42.000Z' } });
  const text = await pdfOf(pdfId);
  expect(text).toContain(`Data i godzina odbioru ${warsawClock('2026-12-31T23:05:42.000Z')}`);
  expect(text).toContain('1 stycznia 2027 00:05:42');
  // The number recorded at submission uses the Warsaw date of that instant.
  const warsawDate = new Date(at).toLocaleDateString('sv-SE', { timeZone: 'Europe/Warsaw' }).replace(/-/g, '');
  expect(receipt.receiptNumber.split('/')[1]).toBe(warsawDate);
});

test('seed 000: the registration form and the mails name the voivodeship office’s ePUAP box and mailbox', async () => {
  await openCase('c-office');
  const form = await run('renderRegistrationForm', { caseId: 'c-office', runId: 'run-1' });
  const text = await pdfOf(form.pdfDocumentId);
  expect(text).toContain('/SUWKielce/SkrytkaESP');
  expect(text).toContain('wps00@kielce.uw.gov.pl');
  for (const template of ['registration-instructions', 'registration-reminder', 'registration-rejected']) {
    await run('sendCaseMail', { key: `c-office:${template}`, caseId: 'c-office', template, recipient: 'applicant', vars: { reminderNumber: 1, expiresAt: '2026-12-31T10:00:00Z', reason: 'Brak podpisu' } });
  }
  const mails = smtp.messages.filter((m) => [m.to].flat()[0]?.text.includes('c-office@'));
  expect(mails).toHaveLength(3);
  for (const m of mails) {
    expect(m.text).toContain('/SUWKielce/SkrytkaESP');
    expect(m.text).toContain('wps00@kielce.uw.gov.pl');
  }
  // Data, not code: the ministry's change reaches the next document.
  await q("update voivodeship_offices set epuap_box = '/SUWKielce/NowaSkrytka' where voivodeship = '26'");
  await openCase('c-office-2');
  const second = await run('renderRegistrationForm', { caseId: 'c-office-2', runId: 'run-1' });
  expect(await pdfOf(second.pdfDocumentId)).toContain('/SUWKielce/NowaSkrytka');
  await q("update voivodeship_offices set epuap_box = '/SUWKielce/SkrytkaESP' where voivodeship = '26'");
});

test('seed 003 (UWAGI, "elektroniczne poświadczenie odbioru pisma"): a letter’s mail carries its link; the confirmation prints the Warsaw time of the opening, once', async () => {
  await openCase('c-upd');
  await run('sendCaseMail', { key: 'c-upd:rejected', caseId: 'c-upd', template: 'registration-rejected', recipient: 'applicant', vars: { reason: 'Brak podpisu' } });
  const mail = await smtp.waitFor((m) => [m.to].flat()[0]?.text.includes('c-upd@mopr') === true);
  const [letter] = await q('select id, link_key, addressee_email, kind, sender from letters where case_id = ?', ['c-upd']);
  expect(letter).toMatchObject({ addressee_email: 'c-upd@mopr.kielce.example', kind: 'decision', sender: 'Świętokrzyski Urząd Wojewódzki w Kielcach' });
  expect(mail.text).toContain(`/pisma/${letter.id}?k=${letter.link_key}`);
  // A retried send is the same letter with the same link.
  await run('sendCaseMail', { key: 'c-upd:rejected', caseId: 'c-upd', template: 'registration-rejected', recipient: 'applicant', vars: { reason: 'Brak podpisu' } });
  expect(await q('select count(*)::int n from letters where case_id = ?', ['c-upd'])).toEqual([{ n: 1 }]);
  // A reminder is not a letter.
  await run('sendCaseMail', { key: 'c-upd:reminder', caseId: 'c-upd', template: 'registration-reminder', recipient: 'applicant', vars: { reminderNumber: 1, expiresAt: '2026-12-31T10:00:00Z' } });
  expect(await q('select count(*)::int n from letters where case_id = ?', ['c-upd'])).toEqual([{ n: 1 }]);

  // Opened at 23:30:15 UTC on 5 December: 00:30:15 on 6 December in Warsaw.
  const openedAt = '2026-12-05T23:30:15.000Z';
  await q("update letters set opened_at = ?, opened_by = 'c-upd@mopr.kielce.example', opened_via = 'link' where id = ?", [openedAt, letter.id]);
  const first = await run('issueDeliveryConfirmation', { letterId: letter.id });
  const again = await run('issueDeliveryConfirmation', { letterId: letter.id });
  expect(again).toEqual(first);
  expect(first.number).toMatch(/^UPD\/20261206\/[0-9A-F]{12}$/);
  const text = await pdfOf(first.documentId);
  expect(text).toContain(`Data i godzina otwarcia pisma ${warsawClock(openedAt)}`);
  expect(text).toContain('6 grudnia 2026 00:30:15');
  expect(text).toContain(first.number);
  expect(text).toContain('odnośnikiem z wiadomości e-mail');
  expect(await q("select count(*)::int n from case_events where case_id = ? and type = 'letter_opened'", ['c-upd'])).toEqual([{ n: 1 }]);
  expect(await q("select count(*)::int n from documents where case_id = ? and id like 'upd:%'", ['c-upd'])).toEqual([{ n: 1 }]);
});

test('an unopened letter gets no confirmation', async () => {
  await openCase('c-upd-2');
  await run('sendCaseMail', { key: 'c-upd-2:rejected', caseId: 'c-upd-2', template: 'registration-rejected', recipient: 'applicant', vars: { reason: 'Brak podpisu' } });
  const [letter] = await q('select id from letters where case_id = ?', ['c-upd-2']);
  await expect(run('issueDeliveryConfirmation', { letterId: letter.id })).rejects.toThrow(/not been opened/);
});
