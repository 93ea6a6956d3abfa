import { loadConfig } from '../../lib/config';
import { TEST_PAYLOAD_KEY } from '../support/system';
import { describeFailures, loadFixtures, replay, type Fixture } from './fixtures';

// Issue 14 item 3: payload key rotation (README, "Security and resilience"). The recorded histories were
// sealed under the fixture key. After a rotation, configured as the README says (the old PAYLOAD_KEY kept,
// a new key in PAYLOAD_KEYS made active with PAYLOAD_KEY_ID), they still replay; a ring that dropped the
// old key cannot read them. Payloads sealed before payloads named their key (no key id) open too.

const TYPES = ['registrationWorkflow', 'permissionRequestWorkflow'];
const NEW_KEY = Buffer.alloc(32, 42).toString('base64');

const rotated = loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/x', PAYLOAD_KEY: TEST_PAYLOAD_KEY, PAYLOAD_KEYS: `2027-01:${NEW_KEY}`, PAYLOAD_KEY_ID: '2027-01' });
const newOnly = loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/x', PAYLOAD_KEYS: `2027-01:${NEW_KEY}`, PAYLOAD_KEY_ID: '2027-01' });

function bundle(): { codePath: string } {
  const codePath = process.env.OBIEG_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('OBIEG_WORKFLOW_BUNDLE is not set: run the suite with scripts/test.sh (npm test)');
  return { codePath };
}

/** The same histories with every payload's key id removed, as payloads were sealed before key ids. */
function withoutKeyIds(fixtures: Fixture[]): Fixture[] {
  const strip = (o: unknown): unknown => {
    if (Array.isArray(o)) return o.map(strip);
    if (!o || typeof o !== 'object' || o instanceof Uint8Array) return o;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === 'metadata' && v && typeof v === 'object') {
        const { ['encryption-key-id']: _dropped, ...rest } = v as Record<string, unknown>;
        out[k] = rest;
      } else out[k] = strip(v);
    }
    return out;
  };
  return fixtures.map((f) => ({ ...f, history: strip(f.history) as Fixture['history'] }));
}

test('after a rotation (new active key, old key kept) the histories sealed under the old key replay', async () => {
  expect(rotated.PAYLOAD_KEYRING.activeId).toBe('2027-01');
  const fixtures = loadFixtures(TYPES);
  expect(fixtures.length).toBeGreaterThan(3);
  expect(describeFailures(await replay(fixtures, bundle(), 'rotated-ring', rotated.PAYLOAD_KEYRING))).toBe('');
});

test('payloads that name no key id open with the ring too', async () => {
  const fixtures = withoutKeyIds(loadFixtures(['registrationWorkflow']));
  expect(JSON.stringify(fixtures.map((f) => f.history))).not.toContain('encryption-key-id');
  expect(describeFailures(await replay(fixtures, bundle(), 'no-key-ids', rotated.PAYLOAD_KEYRING))).toBe('');
});

test('a ring without the old key cannot read them: every history fails, naming the unknown key', async () => {
  const fixtures = loadFixtures(['registrationWorkflow']);
  const failures = await replay(fixtures, bundle(), 'new-key-only', newOnly.PAYLOAD_KEYRING);
  expect(failures.map((f) => f.file)).toEqual(fixtures.map((f) => f.file));
});
