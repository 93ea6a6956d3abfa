import request from 'supertest';
import { application } from '../support/fixtures';
import { eventually, startSystem, type TestSystem } from '../support/system';

// The dashboard's resend (POST /poczta/:mailId/ponow starts mailResendWorkflow): no other test drives
// it, so this one does, on the dev server, and scripts/record-histories.sh records its history for the
// replay test.

let sys: TestSystem;

beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.close();
});

test('a sent mail resent from the outbox reaches the recipient again and counts a second attempt', async () => {
  // An applicant of its own: registrations are keyed by e-mail on the dev server all test files share.
  const app = application({ email: `resend-${Date.now()}@mopr.kielce.example` });
  const created = await request(sys.app).post('/api/registrations').send(app).expect(201);
  const caseId: string = created.body.id;
  const first = await sys.smtp.waitFor((m) => m.subject?.startsWith('Formularz rejestracyjny do podpisu') ?? false, 30_000);

  const [mail] = await eventually(async () => {
    const rows = await sys.db.orm.em.fork().execute<{ id: string; attempts: number }[]>(
      "select id, attempts from outbox where case_id = ? and status = 'sent' and not redacted", [caseId]);
    return rows.length ? rows : null;
  }, 30_000, 'the instructions in the outbox');

  const before = sys.smtp.messages.length;
  await sys.client.workflow.execute('mailResendWorkflow', {
    workflowId: `mail-resend-${mail.id}`,
    taskQueue: sys.config.TEMPORAL_TASK_QUEUE,
    args: [{ mailId: mail.id }],
  });
  const again = await sys.smtp.waitFor((m) => sys.smtp.messages.indexOf(m) >= before && m.subject === first.subject, 30_000);
  expect(again.messageId).toBe(first.messageId);
  const [row] = await sys.db.orm.em.fork().execute<{ attempts: number; status: string }[]>('select attempts, status from outbox where id = ?', [mail.id]);
  expect(row).toEqual({ attempts: mail.attempts + 1, status: 'sent' });
});
