import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

// Real processes for the fault tests: the project's entry points run from source (swc-register.js).

const ROOT = join(__dirname, '..', '..', '..');
const REGISTER = join(__dirname, 'swc-register.js');

export interface Proc {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function startProcess(entry: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['-r', REGISTER, join(ROOT, entry)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-20_000)));
  child.stderr!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
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
