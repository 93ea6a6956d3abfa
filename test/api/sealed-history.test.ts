import request from 'supertest';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { extendDeadline, type RegistrationInput } from '../../workflows/messages';
import { registrationCaseId } from '../../api/registration/routes';
import { application, tokenFor } from '../support/fixtures';
import { unsealedHistory } from '../support/history';
import { eventually, startSystem, type TestSystem } from '../support/system';

// Issue 14 item 3: no personal data in plain text in the engine. The workflows are driven through their
// failure paths (an activity failing with the applicant's data in its error, a rejected update, a failed
// workflow) and the raw bytes the server holds (history and the description of pending activities, as
// protobuf, not decoded) are searched for the fixtures' names, e-mails, phones and the password: none.

let sys: TestSystem;
let admin26: string;

beforeAll(async () => {
  sys = await startSystem({ env: { ATTENTION_AFTER_ATTEMPTS: '2' } });
  admin26 = await tokenFor(sys.db.orm, 'adm-woj-26-sealed', 'voivodeship_admin', '26');
});
afterAll(async () => {
  await sys?.close();
});

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

/** The history as the server stores and sends it: protobuf bytes, and the same bytes read as UTF-8. */
async function rawHistory(workflowId: string): Promise<Buffer> {
  const res = await sys.client.workflowService.getWorkflowExecutionHistory({ namespace: sys.config.TEMPORAL_NAMESPACE, execution: { workflowId } });
  return Buffer.from(temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse.encode(res).finish());
}

async function rawDescription(workflowId: string): Promise<Buffer> {
  const res = await sys.client.workflowService.describeWorkflowExecution({ namespace: sys.config.TEMPORAL_NAMESPACE, execution: { workflowId } });
  return Buffer.from(temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(res).finish());
}

/** The personal data of a fixture that must never appear in the engine's bytes (UTF-8, as protobuf holds strings). */
function leaks(raw: Buffer, secrets: string[]): string[] {
  return secrets.filter((s) => raw.includes(Buffer.from(s, 'utf8')) || raw.includes(Buffer.from(s.normalize('NFD'), 'utf8')));
}

test('an activity failing with the applicant’s data in its error, and the workflow failing: nothing readable in history', async () => {
  // A surname PostgreSQL cannot store (a NUL): the case's first activity fails with the SQL text, which
  // names the applicant. Started with the client, as the door (item 1) now refuses such input.
  const app = application({ firstName: 'Bożydar', lastName: 'Wścibski\u0000Nul', email: 'bozydar.wscibski@mopr.kielce.example', phone: '41 999 88 77' });
  const caseId = registrationCaseId(app.unit.terytCode, app.applicant.email);
  const input: RegistrationInput = {
    caseId,
    voivodeship: '26',
    application: app,
    policy: { reminderAfterDays: [7, 14], expireAfterDays: 30 },
    passwordPolicy: { maxAgeDays: 30, reminderDaysBefore: [7, 3, 1] },
  };
  const handle = await sys.client.workflow.start('registrationWorkflow', { workflowId: caseId, taskQueue: sys.config.TEMPORAL_TASK_QUEUE, args: [input] });

  // The data error cannot be fixed by retrying: the activity fails once, the workflow fails.
  const failure = await handle.result().then(
    () => null,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  // A client with the failure converter reads the real message back (sealed is not lost).
  const chain: string[] = [];
  for (let e: unknown = failure; e instanceof Error; e = (e as Error & { cause?: unknown }).cause) chain.push(e.message);
  expect(chain.join(' | ')).not.toContain('Encoded failure');

  const secrets = ['Bożydar', 'Wścibski', 'bozydar.wscibski', 'mopr.kielce.example', '41 999 88 77', 'Studzienna'];
  const history = await rawHistory(caseId);
  expect(history.includes(Buffer.from('EVENT_TYPE_WORKFLOW_EXECUTION_FAILED')) || history.length > 0).toBe(true);
  const events = (await handle.fetchHistory()).events ?? [];
  expect(events.some((e) => e.activityTaskFailedEventAttributes)).toBe(true);
  expect(events.some((e) => e.workflowExecutionFailedEventAttributes)).toBe(true);
  // The failures' plain fields say nothing; message and stack travel sealed.
  const failed = events.find((e) => e.activityTaskFailedEventAttributes)!.activityTaskFailedEventAttributes!.failure!;
  expect(failed.message).toBe('Encoded failure');
  expect(failed.stackTrace ?? '').toBe('');
  expect(failed.encodedAttributes).toBeTruthy();
  expect(leaks(history, secrets)).toEqual([]);
  expect(leaks(await rawDescription(caseId), secrets)).toEqual([]);
  // The control: with the key, the data is there (so the search above could have found it).
  expect(await unsealedHistory(handle)).toContain('bozydar.wscibski@mopr.kielce.example');
});

test('a rejected update and a refused decision carry the applicant’s data nowhere readable; the caller still reads the Polish reason', async () => {
  const app = application({ firstName: 'Gerwazy', lastName: 'Skrytowski', email: 'gerwazy.skrytowski@mopr.kielce.example', phone: '41 777 66 55' });
  const created = await request(sys.app).post('/api/registrations').send(app).expect(201);
  const caseId: string = created.body.id;
  await eventually(async () => {
    const r = await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin26));
    return r.status === 200 && r.body.status === 'awaiting_scan';
  }, 60_000, 'case awaiting scan');

  // Refused by the workflow's validator: the client decodes the sealed failure into the Polish message.
  const handle = sys.client.workflow.getHandle(caseId);
  const refused = await handle
    .executeUpdate(extendDeadline, { args: [{ days: 500, reason: 'Gerwazy Skrytowski, tel. 41 777 66 55, hasło Tajne!Haslo123', by: 'adm-woj-26-sealed' }] })
    .then(
      () => null,
      (err: unknown) => err,
    );
  expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((refused as WorkflowUpdateFailedError).cause?.message).toBe('Termin można przedłużyć o 1 do 180 dni');

  // An accepted update with personal data in its arguments: sealed in history.
  await handle.executeUpdate(extendDeadline, { args: [{ days: 3, reason: 'Prośba Gerwazego Skrytowskiego (41 777 66 55), hasło Tajne!Haslo123', by: 'adm-woj-26-sealed' }] });

  const secrets = ['Gerwazy', 'Skrytowski', 'gerwazy.skrytowski', '41 777 66 55', 'Tajne!Haslo123'];
  expect(leaks(await rawHistory(caseId), secrets)).toEqual([]);
  expect(leaks(await rawDescription(caseId), secrets)).toEqual([]);
  expect(await unsealedHistory(handle)).toContain('Tajne!Haslo123');
  await handle.terminate('test done');
});
