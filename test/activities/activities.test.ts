import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, type Activities } from '../../activities';
import { createBrowserProvider } from '../../lib/browser';
import { createMailer } from '../../lib/mailer';
import { loadTemplates } from '../../lib/templates';
import { createTestDb, type TestDb } from '../support/db';
import { getBlob } from '../../lib/blobs';
import { SecretStore } from '../../lib/secret-store';
import { packagePasswordSecretId } from '../../workflows/messages';
import { application, pdfText } from '../support/fixtures';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp';
import { unzipWithPassword } from '../support/zip';

// Activities against real PostgreSQL, a real SMTP peer and Chromium: a retry writes nothing twice and
// never sends a mail twice.

const SECRET_KEY = Buffer.alloc(32, 9).toString('base64');
let db: TestDb;
let smtp: SmtpPeer;
let acts: Activities;
const browser = createBrowserProvider('/usr/bin/chromium');
const env = new MockActivityEnvironment();
const run = <K extends keyof Activities>(name: K, ...args: Parameters<Activities[K]>): ReturnType<Activities[K]> =>
  env.run(acts[name] as (...a: Parameters<Activities[K]>) => ReturnType<Activities[K]>, ...args) as ReturnType<Activities[K]>;

beforeAll(async () => {
  db = await createTestDb();
  smtp = await startSmtpPeer();
  const mailer = createMailer({ SMTP_HOST: '127.0.0.1', SMTP_PORT: smtp.port, SMTP_SECURE: false, SMTP_USER: undefined, SMTP_PASSWORD: undefined });
  acts = createActivities({ orm: db.orm, mailer, browser, templates: loadTemplates(), mailFrom: 'obieg <no-reply@obieg.local>', publicUrl: 'http://127.0.0.1:3000', secretKey: SECRET_KEY });
});
afterAll(async () => {
  await browser.close();
  await smtp.close();
  await db.drop();
});

const q = async (sql: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute(sql, params);

async function openCase(caseId: string, runId = 'run-1') {
  await run('openCase', {
    caseId,
    runId,
    type: 'registration',
    unitCode: '2661011',
    voivodeship: '26',
    title: 'Rejestracja: test',
    status: 'submitted',
    waitingFor: null,
    data: { application: application({ email: `${caseId}@mopr.kielce.example` }) },
    event: { key: `${caseId}:${runId}:opened`, type: 'case_opened', actor: 'applicant', message: 'Złożono wniosek' },
  });
}

test('opening a case and recording events twice writes each once', async () => {
  await openCase('c-idem');
  await openCase('c-idem');
  expect(await q('select count(*)::int n from cases where id = ?', ['c-idem'])).toEqual([{ n: 1 }]);
  expect(await q('select count(*)::int n from case_events where case_id = ?', ['c-idem'])).toEqual([{ n: 1 }]);
  const task = { taskId: 'c-idem:t1', caseId: 'c-idem', kind: 'k', title: 'Zadanie', role: 'voivodeship_admin' as const, voivodeship: '26' };
  await run('openTask', task);
  await run('openTask', task);
  await run('completeTask', { taskId: 'c-idem:t1', outcome: 'accepted', completedBy: 'a', event: { key: 'c-idem:done', type: 'x', actor: 'a', message: 'm' } });
  await run('completeTask', { taskId: 'c-idem:t1', outcome: 'rejected', completedBy: 'b', event: { key: 'c-idem:done', type: 'x', actor: 'b', message: 'm' } });
  expect(await q('select outcome, completed_by from tasks where case_id = ?', ['c-idem'])).toEqual([{ outcome: 'accepted', completed_by: 'a' }]);
  expect(await q('select count(*)::int n from case_events where case_id = ?', ['c-idem'])).toEqual([{ n: 2 }]);
});

test('the registration form renders with Polish diacritics, twice without a second copy, on one shared browser', async () => {
  await openCase('c-form');
  const first = await run('renderRegistrationForm', { caseId: 'c-form', runId: 'run-1' });
  const second = await run('renderRegistrationForm', { caseId: 'c-form', runId: 'run-1' });
  expect(second).toEqual(first);
  await openCase('c-form-2');
  await run('renderRegistrationForm', { caseId: 'c-form-2', runId: 'run-1' });
  expect(browser.launches()).toBe(1);
  expect(await q('select count(*)::int n from documents where case_id = ?', ['c-form'])).toEqual([{ n: 2 }]);
  const [{ content }] = await q("select b.content from blobs b join documents d on d.sha256 = b.sha256 where d.id = ?", [first.pdfDocumentId]);
  const text = pdfText(content);
  for (const phrase of ['Formularz rejestracyjny w Centralnej Aplikacji', 'Łucja Żółkiewska', 'ŚWIĘTOKRZYSKIE', 'Kielce (gmina miejska)', 'podpis i pieczęć kierownika jednostki']) {
    expect(text).toContain(phrase);
  }
});

test('a mail the relay refuses is recorded as failed and retried; once sent it is never sent again', async () => {
  await openCase('c-mail');
  const input = { key: 'c-mail:run-1:instructions', caseId: 'c-mail', template: 'registration-instructions', recipient: 'applicant' as const };
  smtp.failNext(1);
  await expect(run('sendCaseMail', input)).rejects.toThrow();
  expect(await q('select status, attempts, last_error is not null as has_error from outbox where id = ?', [input.key])).toEqual([{ status: 'failed', attempts: 1, has_error: true }]);
  await run('sendCaseMail', input);
  await run('sendCaseMail', input);
  expect(await q('select status, attempts from outbox where id = ?', [input.key])).toEqual([{ status: 'sent', attempts: 2 }]);
  expect(smtp.messages.filter((m) => m.to && [m.to].flat()[0]?.text.includes('c-mail@'))).toHaveLength(1);
});

test('account creation retried after the credentials went out creates one account and sends one password', async () => {
  await openCase('c-acct');
  const a = await run('createApplicantAccount', { caseId: 'c-acct', runId: 'run-1' });
  const b = await run('createApplicantAccount', { caseId: 'c-acct', runId: 'run-1' });
  expect(b).toEqual(a);
  expect(await q("select count(*)::int n from accounts where email = 'c-acct@mopr.kielce.example'")).toEqual([{ n: 1 }]);
  const mails = smtp.messages.filter((m) => m.subject === 'Konto w Centralnej Aplikacji Statystycznej zostało utworzone' && [m.to].flat()[0]?.text.includes('c-acct@'));
  expect(mails).toHaveLength(1);
  const [outbox] = await q('select redacted, html, text from outbox where id = ?', ['c-acct:run-1:account:credentials']);
  expect(outbox).toEqual({ redacted: true, html: null, text: null });
});

test('the CSIZS package retried after its mail went out issues no second password: the mailed file still opens', async () => {
  const store = new SecretStore(SECRET_KEY);
  const em = db.orm.em.fork();
  const workflowId = 'csizs-akt-2661011';
  await q(`insert into csizs_campaigns (id, name, area, calendar, plan, status, created_at) values ('akt', 'Test', 'SW', '{}', '{}', 'started', now())`);
  await q(`insert into csizs_units (campaign_id, unit_code, voivodeship, workflow_id, completed, updated_at) values ('akt', '2661011', '26', ?, '{}', now())`, [workflowId]);
  const certificate = '-----BEGIN CERTIFICATE-----\nMIIBakt\n-----END CERTIFICATE-----';
  const certificateSecretId = await store.put(em, { purpose: 'certificate', owner: workflowId, value: certificate, ttlMs: 60_000 });
  const input = {
    workflowId,
    campaignId: 'akt',
    unitCode: '2661011',
    voivodeship: '26',
    notification: {
      unitName: 'MOPR Kielce',
      address: 'ul. Źródlana 7, Kielce',
      areas: ['SW'],
      localAdmin: { firstName: 'Żaneta', lastName: 'Aktywna', phone: '41 000 00 00', email: 'ladm-akt@mopr.kielce.example' },
      head: { firstName: 'Józef', lastName: 'Kierownik', email: 'kierownik-akt@mopr.kielce.example' },
    },
    domainSystems: [{ name: 'SW', certificateSecretId }],
    by: 'adm',
  };
  const first = await run('buildCsizsPackage', input);
  // The activity ran to the mail, then its result was lost: the read model does not know yet.
  await q("update csizs_units set package_sent_at = null where workflow_id = ?", [workflowId]);
  const again = await run('buildCsizsPackage', input);
  expect(again).toMatchObject({ documentId: first.documentId, accountId: first.accountId, login: first.login });
  const mails = smtp.messages.filter((m) => (m.subject ?? '').startsWith('Pakiet informacji do podłączenia do CSIZS'));
  expect(mails).toHaveLength(1);
  const password = await store.take(em, packagePasswordSecretId(workflowId));
  const [entry, ...more] = await unzipWithPassword(mails[0].attachments[0].content, password!);
  expect(more).toEqual([]);
  const text = pdfText(entry.content);
  expect(text).toContain(first.login);
  expect(text).toContain('MIIBakt');
  const [doc] = await q('select sha256 from documents where id = ?', [first.documentId]);
  expect((await getBlob(em, doc.sha256))!.equals(mails[0].attachments[0].content)).toBe(true);
  expect(await store.peek(em, certificateSecretId)).toBeNull();
  expect(await q("select count(*)::int as n from accounts where email = 'ladm-akt@mopr.kielce.example'")).toEqual([{ n: 1 }]);
});
