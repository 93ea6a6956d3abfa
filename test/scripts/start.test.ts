import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// `npm start` (scripts/start.sh) while one runs from the same data directory: it says so and exits before
// it touches anything (no build, no database, no servers, the running one's pid file left as it was).
// The running start is stood in for by a process whose command line is a start.sh, as the check reads it.
// A whole start and its Ctrl-C ("stopped") take minutes on this machine (build, PostgreSQL, Temporal) and
// are checked by hand (README "Quick start"), not here.

const root = resolve(__dirname, '../..');
let dir: string;
let running: ChildProcess;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'obieg-start-'));
  writeFileSync(join(dir, 'start.sh'), 'sleep 120\n');
  running = spawn('bash', [join(dir, 'start.sh')], { stdio: 'ignore' });
  writeFileSync(join(dir, 'start.pid'), `${running.pid}\n`);
});

afterAll(() => {
  running?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

test('a second start while one runs says so and exits, leaving the running one alone', () => {
  const second = spawnSync('bash', [join(root, 'scripts/start.sh')], { env: { ...process.env, OBIEG_DATA: dir }, encoding: 'utf8', timeout: 30_000 });
  expect(second.status).toBe(1);
  expect(second.stderr).toContain(`obieg is already running from this directory (process ${running.pid}, data in ${dir}); not starting a second one`);
  expect(second.stderr).not.toContain('stopped');
  expect(() => process.kill(running.pid!, 0)).not.toThrow();
  expect(readFileSync(join(dir, 'start.pid'), 'utf8').trim()).toBe(String(running.pid));
  expect(readdirSync(dir).sort()).toEqual(['start.pid', 'start.sh']);
});
