import { ensureAccount } from '../../db/demo';
import { startWorkflow } from '../../lib/workflow-types';
import { getPasswordExpiry, passwordChanged, passwordExpiryWorkflowId } from '../../workflows/messages';
import { eventually, startSystem, type TestSystem } from '../support/system';

// seeds 001/004: a password is changed every 30 days. In the time-skipping server a month passes in
// seconds; the workflow reminds 7, 3 and 1 days before, then forces the change, then starts over.

const DAY = 24 * 60 * 60 * 1000;
let sys: TestSystem;

beforeAll(async () => {
  sys = await startSystem({ timeSkipping: true });
});
afterAll(async () => {
  await sys?.close();
});

test('reminders before day 30, a forced change at day 30, and a new cycle after the change', async () => {
  const accountId = await ensureAccount(sys.db.orm, { login: 'krystyna', firstName: 'Krystyna', lastName: 'Żak', role: 'staff', voivodeship: '26' });
  const changedAt = new Date();
  const conn = sys.db.orm.em.fork().getConnection();
  await conn.execute("update accounts set email = 'krystyna@ops.example', password_changed_at = ?, must_change_password = false where id = ?", [changedAt, accountId]);
  const handle = await startWorkflow(sys.client, 'passwordExpiryWorkflow', {
    workflowId: passwordExpiryWorkflowId(accountId),
    taskQueue: sys.config.TEMPORAL_TASK_QUEUE,
    args: [{ accountId, changedAt: changedAt.toISOString(), policy: { maxAgeDays: 30, reminderDaysBefore: [7, 3, 1] } }],
  });
  const mails = () => sys.smtp.messages.filter((m) => [m.to].flat().some((a) => a?.text.includes('krystyna@'))).map((m) => m.subject);
  const mustChange = async () => (await conn.execute('select must_change_password from accounts where id = ?', [accountId]))[0].must_change_password;

  await sys.env.sleep(22 * DAY);
  expect(mails()).toEqual([]);
  await sys.env.sleep(1 * DAY + 60_000);
  await eventually(async () => mails().length === 1, 20_000, 'first reminder');
  expect(mails()).toEqual(['Hasło wygaśnie za 7 dni']);
  await sys.env.sleep(4 * DAY);
  await eventually(async () => mails().length === 2, 20_000, 'second reminder');
  await sys.env.sleep(2 * DAY);
  await eventually(async () => mails().length === 3, 20_000, 'third reminder');
  expect(mails()).toEqual(['Hasło wygaśnie za 7 dni', 'Hasło wygaśnie za 3 dni', 'Hasło wygaśnie za 1 dzień']);
  expect(await mustChange()).toBe(false);

  await sys.env.sleep(1 * DAY);
  await eventually(async () => (await handle.query(getPasswordExpiry)).forced, 20_000, 'forced change');
  expect(await mustChange()).toBe(true);
  await eventually(async () => mails().includes('Hasło wygasło — zmień je przy następnym logowaniu'), 20_000, 'expired mail');

  // The person changes the password: the workflow continues as new with a fresh 30-day cycle.
  const firstRun = (await handle.describe()).runId;
  const newChange = new Date(Date.parse(changedAt.toISOString()) + 31 * DAY).toISOString();
  await handle.signal(passwordChanged, { changedAt: newChange });
  await eventually(async () => (await sys.client.workflow.getHandle(handle.workflowId).describe()).runId !== firstRun, 20_000, 'continue-as-new');
  const fresh = sys.client.workflow.getHandle(handle.workflowId);
  const view = await fresh.query(getPasswordExpiry);
  expect(view).toMatchObject({ changedAt: newChange, remindersSent: 0, forced: false });
  expect(Date.parse(view.expiresAt) - Date.parse(newChange)).toBe(30 * DAY);
  // Each cycle's history stays small however long the account lives.
  const history = await fresh.fetchHistory();
  expect(history.events!.length).toBeLessThan(20);
});
