import request from 'supertest';
import { getRegistrationStatus } from '../../workflows/messages';
import { application } from '../support/fixtures';
import { eventually, startSystem, type TestSystem } from '../support/system';

// The reminder days and the expiry come from configuration (REGISTRATION_REMINDER_DAYS,
// REGISTRATION_EXPIRY_DAYS), not from code.

const DAY = 24 * 60 * 60 * 1000;
let sys: TestSystem;

beforeAll(async () => {
  sys = await startSystem({ timeSkipping: true, env: { REGISTRATION_REMINDER_DAYS: '2', REGISTRATION_EXPIRY_DAYS: '5' } });
});
afterAll(async () => {
  await sys?.close();
});

test('with one reminder after 2 days and expiry after 5, the application expires on day 5', async () => {
    const res = await request(sys.app).post('/api/registrations').send(application({ email: 'krotki.termin@mopr.kielce.example' })).expect(201);
    const handle = sys.client.workflow.getHandle(res.body.id);
    await eventually(async () => (await handle.query(getRegistrationStatus)).status === 'awaiting_scan', 30_000, 'awaiting scan');
    const deadline = Date.parse((await handle.query(getRegistrationStatus)).deadline!);
    const started = (await handle.describe()).startTime.getTime();
    expect(Math.round((deadline - started) / DAY)).toBe(5);

    await sys.env.sleep(4 * DAY);
    expect(await handle.query(getRegistrationStatus)).toMatchObject({ status: 'awaiting_scan', remindersSent: 1 });
    await sys.env.sleep(1 * DAY + 60_000);
    expect((await handle.result()).status).toBe('expired');
});
