import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { SA } from '../../../workflows/messages';
import { freePort } from './processes';

// A Temporal dev server of one fault test's own, on a SQLite file (as scripts/start.sh runs it), so that
// stopping it hurts no other test of the run, which share the run's dev server. Started again on the same
// file and port, it serves the same namespace and histories.

export interface OwnTemporal {
  address: string;
  /** Stops the server (SIGTERM, as a restart does) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same file and port; resolves when it answers. */
  start(): Promise<void>;
  /** The server process's id (a restart changes it). */
  pid(): number | undefined;
  destroy(): Promise<void>;
}

export async function startOwnTemporal(): Promise<OwnTemporal> {
  const bin = process.env.TEMPORAL_BIN;
  if (!bin) throw new Error('TEMPORAL_BIN is not set: run the fault tests with scripts/test.sh (OBIEG_FAULT_TESTS=1)');
  const dir = mkdtempSync(join(tmpdir(), 'obieg-fault-temporal-'));
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const attributes = Object.values(SA).flatMap((k) => ['--search-attribute', `${k.name}=${k.type === 'DATETIME' ? 'Datetime' : 'Keyword'}`]);
  let child: ChildProcess | null = null;
  let output = '';

  const start = async () => {
    output = '';
    const c = spawn(bin, ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless', '--db-filename', join(dir, 'temporal.db'), '--log-level', 'warn', ...attributes], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    c.stdout!.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-10_000)));
    c.stderr!.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-10_000)));
    const until = Date.now() + 120_000;
    for (;;) {
      if (c.exitCode !== null) throw new Error(`the Temporal dev server exited (${c.exitCode}):\n${output}`);
      const conn = await Connection.connect({ address, connectTimeout: '2s' }).catch(() => null);
      const ok = conn ? await conn.workflowService.describeNamespace({ namespace: 'default' }).then(() => true, () => false) : false;
      await conn?.close();
      if (ok) return;
      if (Date.now() > until) throw new Error(`the Temporal dev server did not answer on ${address} within 120 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    const killer = setTimeout(() => c.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(killer);
  };
  await start();
  return {
    address,
    stop,
    start,
    pid: () => child?.pid,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
