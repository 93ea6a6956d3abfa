import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describeFailures, loadFixtures, readFixtureJson, replay, type Fixture } from './fixtures';

// Issue 12, the decision kernel rolled out under patched() (docs/evolving-workflows.md, "Applied once").
// registrationWorkflow and identityMergeWorkflow changed their command sequence (the task is completed by
// the main flow, and the administrator's answer waits for the effects), so they take the kernel only in
// runs with the marker of their patch; permission requests and reports moved without a patch (their
// histories replay in replay.test.ts). Here: the histories recorded before the change have no marker and
// replay through the old path; those recorded after have it and replay through the kernel; and forcing
// either path on the other's histories breaks them, so both branches are needed and both are covered.

const ROOT = join(__dirname, '..', '..');
const quiet = { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never;

const PATCHES = {
  registrationWorkflow: { id: 'registration-decision-kernel', update: 'decideApplication', file: 'registration.ts' },
  identityMergeWorkflow: { id: 'identity-merge-decision-kernel', update: 'decideIdentityMerge', file: 'identity-merge.ts' },
} as const;
type PatchedType = keyof typeof PATCHES;

interface JsonEvent {
  eventId: string;
  eventType: string;
  activityTaskScheduledEventAttributes?: { activityType: { name: string } };
  activityTaskCompletedEventAttributes?: { scheduledEventId: string };
  workflowExecutionUpdateAcceptedEventAttributes?: { acceptedRequest: { input: { name: string } } };
  markerRecordedEventAttributes?: { markerName: string; details: Record<string, { payloads: { data: string }[] }> };
}

const eventsOf = (f: Fixture) => (readFixtureJson(f.file) as { events: JsonEvent[] }).events;
const type = (e: JsonEvent) => e.eventType.replace(/^EVENT_TYPE_/, '');

/** The ids of the patch markers in a history (`core_patch` markers carry `{ id, deprecated }` as plain JSON). */
function patchIds(events: JsonEvent[]): string[] {
  return events
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => (JSON.parse(Buffer.from(e.markerRecordedEventAttributes!.details['patch-data'].payloads[0].data, 'base64').toString('utf8')) as { id: string }).id);
}

/**
 * For each decision of the history: the activity the main flow scheduled after completeTask, and whether it
 * was scheduled in the same workflow task as completeTask (the old shape) or only after completeTask
 * completed (the kernel's).
 */
function decisionShapes(events: JsonEvent[], update: string): { next: string; sameTask: boolean }[] {
  const out: { next: string; sameTask: boolean }[] = [];
  events.forEach((e, i) => {
    if (e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest.input.name !== update) return;
    const rest = events.slice(i + 1);
    const complete = rest.find((x) => x.activityTaskScheduledEventAttributes?.activityType.name === 'completeTask');
    const next = rest.find((x) => x.activityTaskScheduledEventAttributes && x !== complete && Number(x.eventId) > Number(complete?.eventId ?? 0));
    if (!complete || !next) return;
    const completedAt = rest.findIndex((x) => x.activityTaskCompletedEventAttributes?.scheduledEventId === complete.eventId);
    const nextAt = rest.indexOf(next);
    out.push({ next: next.activityTaskScheduledEventAttributes!.activityType.name, sameTask: completedAt < 0 || nextAt < completedAt });
  });
  return out;
}

const fixtures = loadFixtures(Object.keys(PATCHES));
const byPath = (t: PatchedType, withMarker: boolean) => fixtures.filter((f) => f.type === t && patchIds(eventsOf(f)).includes(PATCHES[t].id) === withMarker);

let tmp: string;
beforeAll(() => {
  mkdirSync(join(ROOT, '.data'), { recursive: true });
  tmp = mkdtempSync(join(ROOT, '.data', 'decision-kernel-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A bundle of a copy of workflows/ where patched('<id>') of the given types is replaced by a constant. */
async function forcedBundle(name: string, types: PatchedType[], value: boolean): Promise<string> {
  const dir = join(tmp, name);
  cpSync(join(ROOT, 'workflows'), join(dir, 'workflows'), { recursive: true });
  for (const t of types) {
    const file = join(dir, 'workflows', PATCHES[t].file);
    const src = readFileSync(file, 'utf8');
    const call = `patched('${PATCHES[t].id}')`;
    expect(src.split(call)).toHaveLength(2); // read once, in one place
    writeFileSync(file, src.replace(call, String(value)));
  }
  return (await bundleWorkflowCode({ workflowsPath: join(dir, 'workflows', 'index.ts'), logger: quiet })).code;
}

describe.each(Object.keys(PATCHES) as PatchedType[])('%s', (t) => {
  const { id, update } = PATCHES[t];

  test(`the histories recorded before the kernel have no '${id}' marker, decide in the old shape, and replay on the current code`, async () => {
    const old = byPath(t, false);
    expect(old.length).toBeGreaterThan(0);
    const shapes = old.flatMap((f) => decisionShapes(eventsOf(f), update));
    // Decisions are in them (accepted and rejected), each decided the old way.
    expect(shapes.length).toBeGreaterThan(0);
    if (t === 'registrationWorkflow') {
      expect(shapes.map((s) => s.next)).toEqual(expect.arrayContaining(['createApplicantAccount', 'sendCaseMail']));
      // The handler completed the task while the main flow already created the account or mailed.
      expect(shapes.every((s) => s.sameTask)).toBe(true);
    }
    expect(describeFailures(await replay(old, { codePath: process.env.OBIEG_WORKFLOW_BUNDLE! }, `old-${t}`))).toBe('');
  });

  test(`the histories recorded with the kernel carry the '${id}' marker before their first command, decide in order, and replay`, async () => {
    const kernel = byPath(t, true);
    expect(kernel.length).toBeGreaterThan(0);
    for (const f of kernel) {
      const commands = eventsOf(f).filter((e) => /^(MARKER_RECORDED|ACTIVITY_TASK_SCHEDULED|TIMER_STARTED|START_CHILD)/.test(type(e)));
      expect({ file: f.file, first: type(commands[0]) }).toEqual({ file: f.file, first: 'MARKER_RECORDED' });
    }
    const shapes = kernel.flatMap((f) => decisionShapes(eventsOf(f), update));
    expect(shapes.length).toBeGreaterThan(0);
    // Nothing the decision causes is scheduled before its task is completed.
    expect(shapes.filter((s) => s.sameTask)).toEqual([]);
    if (t === 'registrationWorkflow') expect(shapes.map((s) => s.next)).toEqual(expect.arrayContaining(['createApplicantAccount', 'sendCaseMail']));
    expect(describeFailures(await replay(kernel, { codePath: process.env.OBIEG_WORKFLOW_BUNDLE! }, `kernel-${t}`))).toBe('');
  });
});

test('the patch is needed: forcing the kernel on the histories without a marker breaks every one that has a decision, and forcing the old path breaks the kernel histories', async () => {
  const types = Object.keys(PATCHES) as PatchedType[];
  const decided = (withMarker: boolean) => types.flatMap((t) => byPath(t, withMarker).filter((f) => decisionShapes(eventsOf(f), PATCHES[t].update).length > 0));

  const alwaysKernel = await forcedBundle('always-kernel', types, true);
  const old = decided(false);
  expect(old.length).toBeGreaterThan(0);
  const oldFailures = await replay(old, { code: alwaysKernel }, 'forced-kernel');
  expect(oldFailures.map((f) => f.file)).toEqual(old.map((f) => f.file));
  for (const f of oldFailures) expect(f.errorName).toBe(DeterminismViolationError.name);

  const neverKernel = await forcedBundle('never-kernel', types, false);
  const kernel = decided(true);
  expect(kernel.length).toBeGreaterThan(0);
  const kernelFailures = await replay(kernel, { code: neverKernel }, 'forced-old');
  expect(kernelFailures.map((f) => f.file)).toEqual(kernel.map((f) => f.file));
  for (const f of kernelFailures) expect(f.errorName).toBe(DeterminismViolationError.name);
});
