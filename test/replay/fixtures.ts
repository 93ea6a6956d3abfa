import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { dataConverter } from '../../lib/temporal';
import type { KeyRing } from '../../lib/payload-codec';
import { historyFromJson } from '../support/history-json';
import { TEST_PAYLOAD_KEY } from '../support/system';

type History = temporal.api.history.v1.IHistory;

// The recorded histories (scripts/record-histories.sh) and their replay on a workflow bundle.

export const HISTORIES_DIR = join(__dirname, 'histories');
const ROOT = join(__dirname, '..', '..');

export interface Fixture {
  /** The workflow type: the folder the history is in. */
  type: string;
  /** Path relative to the repository root, for messages. */
  file: string;
  workflowId: string;
  history: History;
}

/**
 * Payloads of a fixture file that are not sealed with the payload codec, by their path in the events.
 * Search attributes are Temporal's to index and stay plain (case type, status, unit codes, deadlines), and
 * so do patch markers (`core_patch`: the patch id, e.g. the SDK's own `__sdk_internal_patch_number:1`).
 */
export function unsealedPayloads(json: unknown): string[] {
  const sealed = Buffer.from('binary/encrypted').toString('base64');
  const out: string[] = [];
  const walk = (o: unknown, path: string): void => {
    if (!o || typeof o !== 'object') return;
    const r = o as Record<string, unknown>;
    const meta = r.metadata as Record<string, string> | undefined;
    if (meta && typeof meta === 'object' && typeof meta.encoding === 'string') {
      if (meta.encoding !== sealed && !/\.searchAttributes\.indexedFields\.|\.markerRecordedEventAttributes\.details\.patch-data\./.test(path)) out.push(path);
      return;
    }
    for (const [k, v] of Object.entries(r)) walk(v, `${path}.${k}`);
  };
  walk((json as { events?: unknown }).events, 'events');
  return out;
}

export function readFixtureJson(file: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
}

export interface ReplayFailure {
  type: string;
  file: string;
  error: string;
  /** The SDK's error class: DeterminismViolationError for nondeterminism, ReplayError otherwise. */
  errorName: string;
}

export function loadFixtures(types?: string[]): Fixture[] {
  const out: Fixture[] = [];
  for (const type of readdirSync(HISTORIES_DIR).sort()) {
    const dir = join(HISTORIES_DIR, type);
    if (!statSync(dir).isDirectory() || (types && !types.includes(type))) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const path = join(dir, name);
      const json = JSON.parse(readFileSync(path, 'utf8')) as { workflowId?: string };
      out.push({ type, file: relative(ROOT, path), workflowId: json.workflowId ?? name.replace(/\.json$/, ''), history: historyFromJson(json) });
    }
  }
  return out;
}

/** The workflow type of a history: its first event says which function started it. */
export function historyType(history: History): string | undefined {
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? undefined;
}

/**
 * Replays the fixtures one after another on one replay worker running the given bundle, with the fixture
 * key's data converter. Returns the histories that did not replay, each with its type and file.
 */
export async function replay(
  fixtures: Fixture[],
  workflowBundle: ReplayWorkerOptions['workflowBundle'],
  replayName = 'obieg-replay',
  keys: KeyRing | string = TEST_PAYLOAD_KEY,
): Promise<ReplayFailure[]> {
  const options: ReplayWorkerOptions = {
    workflowBundle,
    dataConverter: dataConverter(keys),
    replayName,
  };
  const failures: ReplayFailure[] = [];
  let i = 0;
  for await (const result of Worker.runReplayHistories(options, fixtures.map((f) => ({ workflowId: f.workflowId, history: f.history })))) {
    const f = fixtures[i++];
    if (result.error) failures.push({ type: f.type, file: f.file, error: result.error.message, errorName: result.error.name });
  }
  if (i !== fixtures.length) throw new Error(`replay ended after ${i} of ${fixtures.length} histories`);
  return failures;
}

export function describeFailures(failures: ReplayFailure[]): string {
  return failures.map((f) => `${f.type}: ${f.file}: ${f.errorName}: ${f.error}`).join('\n');
}
