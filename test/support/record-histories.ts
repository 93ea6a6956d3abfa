import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { historyToJson } from './history-json';

// Recording of workflow histories from real test runs, for the replay test (test/replay). Only active
// when OBIEG_RECORD_HISTORIES names a directory (scripts/record-histories.sh sets it). Payloads are
// written as the server holds them: sealed with the fixture key TEST_PAYLOAD_KEY.
//
// From each system a test file starts, a few histories per workflow type are kept, chosen by shape:
// the sequence of events that matter for replay (commands and what arrived from outside, by name),
// greedily, each pick adding the most not yet covered events and pairs of consecutive events, until a
// pick adds nothing or MAX_PER_TYPE are kept.

const MAX_PER_TYPE = 6;
const FETCH_CONCURRENCY = 8;

type History = temporal.api.history.v1.IHistory;
type Event = temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;

interface Ref {
  workflowId: string;
  runId: string;
  type: string;
  taskQueue?: string;
}

interface Candidate {
  ref: Ref;
  shape: string;
  features: Set<string>;
  events: number;
  ending: string;
}

/** Per test file (jest gives every test file its own module registry): what earlier systems of the same file kept. */
const kept = new Map<string, { count: number; covered: Set<string>; shapes: Set<string> }>();

export function recordingDir(): string | undefined {
  return process.env.OBIEG_RECORD_HISTORIES || undefined;
}

export async function recordHistories(opts: { client: Client; namespace: string; taskQueue: string; timeSkipping: boolean; dir: string }): Promise<void> {
  const testFile = currentTestFile();
  const refs = (await listWorkflows(opts)).filter((r) => !r.taskQueue || r.taskQueue === opts.taskQueue);
  const byType = new Map<string, Ref[]>();
  for (const r of refs) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  const written: string[] = [];
  for (const [type, list] of byType) {
    const candidates = new Map<string, Candidate>();
    await eachLimited(list, FETCH_CONCURRENCY, async (ref) => {
      const c = candidateOf(ref, await fetchHistory(opts.client, ref));
      const prev = candidates.get(c.shape);
      if (!prev || c.events < prev.events) candidates.set(c.shape, c);
    });
    const state = kept.get(type) ?? { count: 0, covered: new Set<string>(), shapes: new Set<string>() };
    kept.set(type, state);
    // A shape another test file already recorded (same type, same shape hash) is covered: not written twice.
    const dir = join(opts.dir, type);
    mkdirSync(dir, { recursive: true });
    const onFile = new Set(readdirSync(dir).map((n) => /-([0-9a-f]{10})\.json$/.exec(n)?.[1]).filter(Boolean));
    for (const c of candidates.values()) {
      if (onFile.has(c.shape.slice(0, 10)) && !state.shapes.has(c.shape)) {
        state.shapes.add(c.shape);
        for (const f of c.features) state.covered.add(f);
      }
    }
    const pool = [...candidates.values()].filter((c) => !state.shapes.has(c.shape));
    while (state.count < MAX_PER_TYPE && pool.length) {
      let best = -1;
      let gain = 0;
      for (let i = 0; i < pool.length; i++) {
        let g = 0;
        for (const f of pool[i].features) if (!state.covered.has(f)) g++;
        if (g > gain || (g === gain && g > 0 && pool[i].events < pool[best].events)) [best, gain] = [i, g];
      }
      // The first history of a type is kept even if its shape adds nothing new (unless another file has it).
      if (best < 0 && (state.count > 0 || state.covered.size > 0)) break;
      const pick = pool.splice(best < 0 ? 0 : best, 1)[0];
      for (const f of pick.features) state.covered.add(f);
      state.shapes.add(pick.shape);
      state.count++;
      const history = await fetchHistory(opts.client, pick.ref);
      const file = join(dir, `${testFile}--${pick.ending}-${pick.shape.slice(0, 10)}.json`);
      writeFileSync(file, fixtureJson(pick.ref.workflowId, history));
      written.push(file);
    }
  }
  if (written.length) process.stderr.write(`recorded ${written.length} histories from ${testFile}:\n  ${written.join('\n  ')}\n`);
}

/** The SDK's JSON history format (what historyFromJSON reads), one event a line, with the workflow id beside the events. */
function fixtureJson(workflowId: string, history: History): string {
  const { events } = historyToJson(history);
  return `{"workflowId": ${JSON.stringify(workflowId)}, "events": [\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`;
}

function currentTestFile(): string {
  const state = (globalThis as { expect?: { getState?: () => { testPath?: string } } }).expect?.getState?.();
  return state?.testPath ? basename(state.testPath).replace(/\.test\.ts$/, '') : 'unknown';
}

async function fetchHistory(client: Client, ref: Ref): Promise<History> {
  return client.workflow.getHandle(ref.workflowId, ref.runId).fetchHistory();
}

/**
 * Every execution the server knows. The dev server answers visibility queries (filtered to the test's task
 * queue); the time-skipping server (one per test system) has no ListWorkflowExecutions, but answers the
 * older ListOpen/ListClosedWorkflowExecutions.
 */
async function listWorkflows(opts: { client: Client; namespace: string; taskQueue: string; timeSkipping: boolean }): Promise<Ref[]> {
  if (!opts.timeSkipping) {
    const refs: Ref[] = [];
    for await (const w of opts.client.workflow.list({ query: `TaskQueue = '${opts.taskQueue}'` })) {
      refs.push({ workflowId: w.workflowId, runId: w.runId, type: w.type, taskQueue: w.taskQueue });
    }
    return refs;
  }
  const service = opts.client.workflowService;
  const refs: Ref[] = [];
  for (const kind of ['open', 'closed'] as const) {
    let nextPageToken: Uint8Array | undefined;
    do {
      const req = { namespace: opts.namespace, maximumPageSize: 1000, nextPageToken };
      const res = kind === 'open' ? await service.listOpenWorkflowExecutions(req) : await service.listClosedWorkflowExecutions(req);
      for (const e of res.executions ?? []) {
        refs.push({ workflowId: e.execution!.workflowId!, runId: e.execution!.runId!, type: e.type!.name!, taskQueue: e.taskQueue || undefined });
      }
      nextPageToken = res.nextPageToken?.length ? res.nextPageToken : undefined;
    } while (nextPageToken);
  }
  return refs;
}

/** Events that decide whether code still replays: commands, and what came in from outside, by name. */
function label(e: Event): string | null {
  const t = e.eventType ?? 0;
  switch (t) {
    case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
    case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
    case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
    case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
      return null;
    case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
      return `activity:${e.activityTaskScheduledEventAttributes?.activityType?.name}`;
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
      return `signal:${e.workflowExecutionSignaledEventAttributes?.signalName}`;
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
      return `update:${e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name}`;
    case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
      return `child:${e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name}`;
    case EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
      return `signal-external:${e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName}`;
    case EventType.EVENT_TYPE_MARKER_RECORDED:
      return `marker:${e.markerRecordedEventAttributes?.markerName}`;
    default:
      return EventType[t]?.replace(/^EVENT_TYPE_/, '').toLowerCase() ?? String(t);
  }
}

const ENDINGS: Record<number, string> = {
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED]: 'completed',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED]: 'failed',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED]: 'canceled',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED]: 'terminated',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT]: 'timed-out',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW]: 'continued-as-new',
};

function candidateOf(ref: Ref, history: History): Candidate {
  const events = history.events ?? [];
  const labels = events.map(label).filter((l): l is string => l !== null);
  const features = new Set<string>(labels);
  // How the run began and ended count too: a run continued from another, or started by a parent, replays
  // from a different start than a fresh one.
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  if (started?.continuedExecutionRunId) features.add('start:continued-as-new');
  if (started?.parentWorkflowExecution?.workflowId) features.add('start:child');
  for (let i = 1; i < labels.length; i++) features.add(`${labels[i - 1]} > ${labels[i]}`);
  const last = events[events.length - 1]?.eventType ?? 0;
  features.add(`end:${ENDINGS[last] ?? 'open'}`);
  return {
    ref,
    shape: createHash('sha256').update(labels.join('\n')).digest('hex'),
    features,
    events: events.length,
    ending: ENDINGS[last] ?? 'open',
  };
}

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(lanes);
}
