import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describeFailures, loadFixtures, replay } from './fixtures';

// Proof that the replay net holds: the committed registration histories replay on an unmodified copy of
// workflows/, and fail with a determinism violation once one activity call in the copy is moved (the
// case is opened after the form is rendered instead of before). The copy lives under .data/ (git-ignored)
// so that node_modules resolves from it.

const ROOT = join(__dirname, '..', '..');
const TYPE = 'registrationWorkflow';
const quiet = { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never;

let tmp: string;

beforeAll(() => {
  mkdirSync(join(ROOT, '.data'), { recursive: true });
  tmp = mkdtempSync(join(ROOT, '.data', 'replay-proof-'));
  cpSync(join(ROOT, 'workflows'), join(tmp, 'workflows'), { recursive: true });
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Swaps `await acts.openCase({…});` and the form rendering that follows it. */
function moveOpenCase(src: string): string {
  const start = src.indexOf('  await acts.openCase({');
  const formLine = '  const form = await documents.renderRegistrationForm({ caseId, runId });\n';
  const formAt = src.indexOf(formLine);
  if (start < 0 || formAt < start) return src;
  const openCase = src.slice(start, formAt);
  return src.slice(0, start) + formLine + openCase + src.slice(formAt + formLine.length);
}

test('moving one activity call in registrationWorkflow breaks the replay of its recorded histories; the unmodified copy replays', async () => {
  const fixtures = loadFixtures([TYPE]);
  expect(fixtures.length).toBeGreaterThan(0);
  const workflowsPath = join(tmp, 'workflows', 'index.ts');

  const unmodified = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  expect(describeFailures(await replay(fixtures, { code: unmodified.code }, 'proof-unmodified'))).toBe('');

  const file = join(tmp, 'workflows', 'registration.ts');
  const src = readFileSync(file, 'utf8');
  const changed = moveOpenCase(src);
  expect(changed).not.toBe(src);
  expect(changed.indexOf('documents.renderRegistrationForm')).toBeLessThan(changed.indexOf('acts.openCase('));
  writeFileSync(file, changed);

  const modified = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  const failures = await replay(fixtures, { code: modified.code }, 'proof-modified');
  // Every registration history starts by opening the case, so every one of them must fail, each named.
  expect(failures.map((f) => f.file)).toEqual(fixtures.map((f) => f.file));
  for (const f of failures) {
    expect(f.type).toBe(TYPE);
    expect(f.errorName).toBe(DeterminismViolationError.name);
  }
  expect(describeFailures(failures)).toContain(`${TYPE}: test/replay/histories/${TYPE}/`);
});
