import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The last step of scripts/test.sh: every log line the run's processes wrote (the API's and workers'
// pino files of each test process, $OBIEG_TEST_RUN_DIR/logs, and the Temporal dev server's log) is read,
// and none may carry a password, an API or session token, an e-mail address or a personal name the test
// fixtures use. The secrets and names are collected from the tests' own sources, so a new fixture is
// covered as it is written.

const runDir = process.env.OBIEG_TEST_RUN_DIR;
const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'histories' ? [] : sources(p);
    return /\.ts$/.test(f) ? [p] : [];
  });
}

const testText = sources(join(root, 'test')).map((f) => readFileSync(f, 'utf8')).join('\n');
const quoted = (re: RegExp) => [...new Set([...testText.matchAll(re)].map((m) => m[1]))];
/** Names in fixtures: firstName / lastName literals (three letters or more; "Test" is a placeholder). */
const NAMES = quoted(/(?:firstName|lastName)\s*:\s*'([^'\n]{3,})'/g).filter((n) => n !== 'Test' && !/^\$\{/.test(n));
/** Passwords the tests type: values of password fields, of policy strength (8+ characters), but the censor's mark. */
const PASSWORDS = quoted(/(?:[pP]assword|haslo)\w*\s*[:=]\s*'([^'\s]{8,})'/g).filter((p) => p !== '[Redacted]'); // the censor, as tests expect it

const PATTERNS: [string, RegExp][] = [
  ['API token', /obg_[A-Za-z0-9_-]{43}/],
  ['bearer credentials', /Bearer\s+[A-Za-z0-9._~+/-]{10,}/i],
  ['e-mail address', /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/],
  ['session cookie', /obieg_session=/],
];

function logFiles(): string[] {
  if (!runDir) return [];
  const dir = join(runDir, 'logs');
  const files = existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [];
  const temporal = join(runDir, 'temporal.log');
  return existsSync(temporal) ? [...files, temporal] : files;
}

test('the run wrote log lines to scan (the API and the workers log into the run directory)', () => {
  expect(runDir).toBeDefined();
  const lines = logFiles().flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean));
  // The whole command, and any run of test/api, has API request lines to scan (scripts/test.sh says so); a
  // targeted run of unit or database tests may write none.
  if (process.env.OBIEG_LOG_SCAN_EXPECT_REQUESTS === '1') expect(lines.some((l) => l.includes('"requestId"'))).toBe(true);
  expect(NAMES).toEqual(expect.arrayContaining(['Łucja', 'Żółkiewska']));
  expect(PASSWORDS.length).toBeGreaterThan(0);
});

test('no log line carries a password, a token, an e-mail address or a fixture personal name', () => {
  const found: string[] = [];
  for (const file of logFiles()) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const where = `${file.slice((runDir ?? '').length + 1)}:${i + 1}`;
        for (const [what, re] of PATTERNS) if (re.test(line)) found.push(`${where}: ${what}: ${line.slice(0, 300)}`);
        for (const p of PASSWORDS) if (line.includes(p)) found.push(`${where}: a test password: ${line.slice(0, 300)}`);
        for (const n of NAMES) if (line.includes(n)) found.push(`${where}: the name ${n}: ${line.slice(0, 300)}`);
      });
  }
  expect(found.slice(0, 20)).toEqual([]);
});
