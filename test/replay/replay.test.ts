import * as workflows from '../../workflows';
import { describeFailures, historyType, loadFixtures, readFixtureJson, replay, unsealedPayloads, type ReplayFailure } from './fixtures';

// The replay safety net (docs/evolving-workflows.md): every recorded history of every workflow type
// (test/replay/histories, recorded by scripts/record-histories.sh from real runs) must replay on the
// current workflow code. A failure here means cases in flight of that shape would break on deploy.

const fixtures = loadFixtures();
/** Read from workflows/index.ts at test time: a type added later without a recorded history fails below. */
const exportedTypes = Object.entries(workflows)
  .filter(([, v]) => typeof v === 'function')
  .map(([name]) => name)
  .sort();

let failures: ReplayFailure[] = [];
let replayed = false;

beforeAll(async () => {
  const bundle = process.env.OBIEG_WORKFLOW_BUNDLE;
  if (!bundle) throw new Error('OBIEG_WORKFLOW_BUNDLE is not set: run the suite with scripts/test.sh (npm test)');
  failures = await replay(fixtures, { codePath: bundle });
  replayed = true;
});

test('every exported workflow type has at least one recorded history', () => {
  expect(exportedTypes.length).toBeGreaterThan(0);
  const missing = exportedTypes.filter((t) => !fixtures.some((f) => f.type === t));
  expect({ typesWithoutHistory: missing }).toEqual({ typesWithoutHistory: [] });
});

test('every history sits in the folder of its workflow type, and that type is exported', () => {
  const misplaced = fixtures.filter((f) => historyType(f.history) !== f.type || !exportedTypes.includes(f.type)).map((f) => `${f.file} (started as ${historyType(f.history)})`);
  expect(misplaced).toEqual([]);
});

test.each(exportedTypes)('recorded histories of %s replay on the current workflow code', (type) => {
  expect(replayed).toBe(true);
  const mine = failures.filter((f) => f.type === type);
  if (mine.length) throw new Error(`${mine.length} of ${fixtures.filter((f) => f.type === type).length} histories of ${type} no longer replay:\n${describeFailures(mine)}`);
});

test('no personal data in plain text: every payload is sealed (search attributes aside), and no e-mail address is outside a payload', () => {
  const unsealed = fixtures.flatMap((f) => unsealedPayloads(readFixtureJson(f.file)).map((p) => `${f.file}: ${p}`));
  expect(unsealed).toEqual([]);
  const mail = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
  const withMail = fixtures.filter((f) => {
    const { events } = readFixtureJson(f.file) as { events: unknown[] };
    // Sealed payload data is base64 and cannot hold "@"; what is left is Temporal's own text (ids, names,
    // messages). A worker's identity is "<pid>@<host>", not an address.
    return mail.test(JSON.stringify(events, (k, v: unknown) => (k === 'identity' ? undefined : v)));
  });
  expect(withMail.map((f) => f.file)).toEqual([]);
});
