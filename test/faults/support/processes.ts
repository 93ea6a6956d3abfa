import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

// Real processes for the fault tests: the project's entry points run from source (swc-register.js).

const ROOT = join(__dirname, '..', '..', '..');
const REGISTER = join(__dirname, 'swc-register.js');

export interface Proc {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts an entry point of the project. With `group`, the process leads its own process group and kill()
 * signals the whole group: a worker's Chromium dies with it, as in a container that is killed.
 */
export function startProcess(entry: string, env: Record<string, string>, opts: { group?: boolean } = {}): Proc {
  const child = spawn(process.execPath, ['-r', REGISTER, join(ROOT, entry)], { cwd: ROOT, env: { ...process.env, WORKER_HEALTH_ADDRESS: 'off', WORKER_METRICS_ADDRESS: 'off', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: !!opts.group });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-20_000)));
  child.stderr!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    async kill(signal) {
      if (opts.group) {
        // The group outlives its leader when a child (Chromium) is still in it.
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // already gone
        }
      } else if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Waits until GET url answers with `status` (connection errors count as not yet). */
export async function waitForStatus(url: string, status: number, timeoutMs: number, proc?: Proc): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.status === status) return;
    } catch {
      // not listening yet
    }
    if (proc && proc.child.exitCode !== null) throw new Error(`process exited (${proc.child.exitCode}) before ${url} answered ${status}:\n${proc.output()}`);
    if (Date.now() > until) throw new Error(`${url} did not answer ${status} within ${timeoutMs / 1000} s${proc ? `:\n${proc.output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until each worker process polls the task queue for activities (each bundles the workflows first). */
export async function workersPolling(client: Client, taskQueue: string, workers: Proc[], timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const dead = workers.find((w) => w.child.exitCode !== null);
    if (dead) throw new Error(`a worker exited (${dead.child.exitCode}) before polling:\n${dead.output()}`);
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    });
    if (new Set(pollers.map((p) => p.identity)).size >= workers.length) return;
    if (Date.now() > until) throw new Error(`the workers did not poll ${taskQueue} within ${timeoutMs / 1000} s:\n${workers.map((w) => w.output()).join('\n')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
