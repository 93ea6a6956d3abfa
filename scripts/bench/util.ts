import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

// Small helpers shared by the benchmark's parts (scripts/bench.sh runs them; not a test).

export const ROOT = join(__dirname, '..', '..', '..');

/** One line of the benchmark's table. */
export interface Row {
  /** "1a", "3c", …: the part of issue 18 and a letter. */
  id: string;
  part: string;
  engine: string;
  figure: string;
  measured: string;
  reference: string;
  ratio: string;
  target: string;
  /** null: no target for this figure (reported only). */
  pass: boolean | null;
  /** The command that reproduces this figure alone. */
  command: string;
  values: Record<string, number | string | null>;
}

export interface Settings {
  quick: boolean;
  /** Gminas started per way in part 1 (2,477 = all). */
  units: number;
  decisions: number;
  readModelSizes: number[];
  readModelRequests: number;
  pdfsShared: number;
  pdfsPerDocument: number;
  idleSeconds: number;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const quantile = (values: number[], p: number): number => {
  const t = [...values].sort((a, b) => a - b);
  return t.length ? t[Math.min(t.length - 1, Math.floor(p * t.length))] : NaN;
};

export const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
export const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
export const int = (v: number) => v.toLocaleString('en-US');

/** Polls fn until it returns true; throws after timeoutMs. */
export async function until(fn: () => Promise<boolean>, timeoutMs: number, what: string, everyMs = 200): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function freePort(low = false): Promise<number> {
  // The Temporal server stores membership ports as a smallint: below 32768 for it.
  const want = low ? 20_000 + Math.floor(Math.random() * 12_000) : 0;
  return new Promise((ok) => {
    const s = createServer().listen(want, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => ok(port));
    });
    s.on('error', () => ok(freePort(low)));
  });
}

export interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
  exited: Promise<void>;
}

export function startProcess(name: string, dir: string, command: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const log = join(dir, `${name}.log`);
  const out = createWriteStream(log, { flags: 'a' });
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return { name, child, log, exited };
}

export async function stopProcess(p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  const killer = setTimeout(() => p.child.kill('SIGKILL'), 40_000);
  await p.exited;
  clearTimeout(killer);
}

export const tail = (p: Proc, lines = 10) => {
  try {
    return readFileSync(p.log, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
};

const statFields = (pid: number | string): string[] => {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
};

/** CPU milliseconds used so far by a process (all its threads); NaN once it is gone. */
export function processCpuMs(pid: number | 'self'): number {
  try {
    const f = statFields(pid);
    return (Number(f[11]) + Number(f[12])) * 10; // utime + stime in USER_HZ (100)
  } catch {
    return NaN;
  }
}

/**
 * Waits until a process has been idle (under 5 % of a core) for two seconds in a row: between the
 * measurements of part 1, so that the cases the last one created have taken their first steps and
 * their tasks do not queue in front of the next measurement's.
 */
export async function settle(pid: number, what: string, timeoutMs = 600_000): Promise<number> {
  const t0 = performance.now();
  let idle = 0;
  let last = processCpuMs(pid);
  while (performance.now() - t0 < timeoutMs) {
    await sleep(1000);
    const now = processCpuMs(pid);
    if (!Number.isFinite(now)) throw new Error(`${what} exited while the benchmark waited for it to settle`);
    idle = now - last < 50 ? idle + 1 : 0;
    last = now;
    if (idle >= 2) return performance.now() - t0;
  }
  throw new Error(`${what} still busy after ${timeoutMs / 1000} s`);
}

/** Resident memory of a process in MB (VmRSS), and its peak (VmHWM). */
export function processRssMb(pid: number): { rss: number; peak: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

/** CPU milliseconds used so far by a process tree rooted at `root` (the PostgreSQL postmaster and its backends). */
export function treeCpuMs(root: number): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const f = statFields(pid);
      if (Number(pid) === root || Number(f[1]) === root) total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** A JSON HTTP call to the API under test, with a bearer token. */
export async function call(base: string, token: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

export async function callOk(base: string, token: string | null, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await call(base, token, method, path, body);
  if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json).slice(0, 500)}`);
  return r.json;
}

export const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
