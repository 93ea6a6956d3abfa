import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { loadConfig } from '../../lib/config';
import { SecretStore } from '../../lib/secret-store';
import { dataConverter } from '../../lib/temporal';
import { createTestDb, type TestDb } from '../support/db';

// Issue 17 item 6: rotating the payload key with the operator CLI (db/cli.ts rotate-payload-key), run as a
// real process on real PostgreSQL. The command adds a new key to the ring of the current settings and prints
// the settings that make it the active one; processes started with those settings open what the old
// settings sealed (payloads, failures, the secret store) and seal under the new key. Each rotation is one
// audit row naming key ids, never a key.

const ROOT = join(__dirname, '../..');
const REGISTER = join(ROOT, 'test/faults/support/swc-register.js');
const OLD_KEY = Buffer.alloc(32, 21).toString('base64');

let db: TestDb;
let dir: string;
beforeAll(async () => {
  db = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'obieg-rotate-'));
});
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PAYLOAD_KEY') && k !== 'SUDO_USER'));
  return new Promise((resolve) => {
    execFile(process.execPath, ['-r', REGISTER, join(ROOT, 'db/cli.ts'), ...args], { cwd: ROOT, env: { ...clean, DATABASE_URL: db.url, USER: 'jan.operator', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr });
    });
  });
}

const base = { DATABASE_URL: 'postgres://x@127.0.0.1/x' };
const plain = (text: string): Payload => ({ metadata: { [METADATA_ENCODING_KEY]: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(text)) });
const keyIdOf = (p: Payload) => Buffer.from(p.metadata!['encryption-key-id']!).toString();
const codecOf = (env: NodeJS.ProcessEnv) => dataConverter(loadConfig({ ...base, ...env }).PAYLOAD_KEYRING).payloadCodecs![0];
const audited = async () =>
  db.orm.em.fork().getConnection().execute<{ actor: string; target: string; detail: Record<string, unknown> }[]>("select actor, target, detail from audit_log where action = 'cli.rotate-payload-key' order by id");

test('--help names the command and its options', async () => {
  const { code, out } = await cli(['--help'], {});
  expect(code).toBe(0);
  expect(out).toContain('rotate-payload-key [--id <key-id>] [--keys-file <file>]');
});

test('a rotation from a single PAYLOAD_KEY: the new settings open what the old ones sealed, and seal under the new key', async () => {
  const oldEnv = { PAYLOAD_KEY: OLD_KEY };
  const sealedBefore = await codecOf(oldEnv).encode([plain('Łucja Żółkiewska')]);
  const secretsBefore = new SecretStore(loadConfig({ ...base, ...oldEnv }).PAYLOAD_KEYRING);
  const secretBefore = secretsBefore.seal('csizs-package-password:1', 'Hasło-Paczki-1');

  const file = join(dir, 'payload_keys');
  const run = await cli(['rotate-payload-key', '--id', '2027-01', '--keys-file', file], oldEnv);
  expect(run.err).toBe('');
  expect(run.code).toBe(0);
  expect(run.out).toContain(`PAYLOAD_KEYS_FILE=${file}`);
  expect(run.out).toContain('PAYLOAD_KEY_ID=2027-01');
  expect(run.out).toContain('keep it as it is');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const keys = readFileSync(file, 'utf8').trim();
  expect(keys).toMatch(/^2027-01:[A-Za-z0-9+/]{43}=$/);
  // The new key goes to the file only, never to the terminal.
  expect(run.out).not.toContain(keys.slice('2027-01:'.length));

  const newEnv = { ...oldEnv, PAYLOAD_KEYS_FILE: file, PAYLOAD_KEY_ID: '2027-01' };
  const config = loadConfig({ ...base, ...newEnv });
  expect(config.PAYLOAD_KEYRING.activeId).toBe('2027-01');
  const codec = codecOf(newEnv);
  const [opened] = await codec.decode(sealedBefore);
  expect(Buffer.from(opened.data!).toString()).toBe('"Łucja Żółkiewska"');
  const [sealedAfter] = await codec.encode([plain('Łucja Żółkiewska')]);
  expect(keyIdOf(sealedAfter)).toBe('2027-01');
  // A process still on the old settings cannot open it: every process moves at once.
  await expect(codecOf(oldEnv).decode([sealedAfter])).rejects.toThrow('unknown key 2027-01');
  // A CSIZS package password stored before the rotation is still read after it.
  expect(new SecretStore(config.PAYLOAD_KEYRING).open('csizs-package-password:1', secretBefore)).toBe('Hasło-Paczki-1');

  const [row] = await audited();
  expect(row).toMatchObject({ actor: 'operator:jan.operator', target: '2027-01', detail: { previous: expect.stringMatching(/^[0-9a-f]{16}$/), ring: [expect.any(String), '2027-01'] } });
  expect(JSON.stringify(row)).not.toContain(keys.slice('2027-01:'.length));
});

test('a second rotation keeps every key of the ring; a taken or malformed id is refused and nothing is audited', async () => {
  const first = readFileSync(join(dir, 'payload_keys'), 'utf8').trim();
  const env = { PAYLOAD_KEY: OLD_KEY, PAYLOAD_KEYS: first, PAYLOAD_KEY_ID: '2027-01' };
  const before = (await audited()).length;
  const taken = await cli(['rotate-payload-key', '--id', '2027-01'], env);
  expect(taken.code).not.toBe(0);
  expect(taken.err).toContain('key id "2027-01" is in the ring already');
  const malformed = await cli(['rotate-payload-key', '--id', 'a:b'], env);
  expect(malformed.code).not.toBe(0);
  expect(malformed.err).toContain('key id "a:b"');
  const broken = await cli(['rotate-payload-key'], { PAYLOAD_KEY_ID: 'nie-ma' });
  expect(broken.code).not.toBe(0);
  expect(broken.err).toContain('do not load');
  expect(await audited()).toHaveLength(before);

  // Without --id the key is named by the day (UTC), without --keys-file the ring's value is printed once.
  const run = await cli(['rotate-payload-key'], env);
  expect(run.code).toBe(0);
  const id = /PAYLOAD_KEY_ID=(\S+)/.exec(run.out)![1];
  expect(id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  const printed = /PAYLOAD_KEYS=(\S+)/.exec(run.out)![1];
  expect(printed.startsWith(`${first},${id}:`)).toBe(true);
  const ring = loadConfig({ ...base, PAYLOAD_KEY: OLD_KEY, PAYLOAD_KEYS: printed, PAYLOAD_KEY_ID: id }).PAYLOAD_KEYRING;
  expect(Object.keys(ring.keys)).toHaveLength(3);
  expect(ring.activeId).toBe(id);

  // --keys-file -: the ring's value alone on standard output (redirected into a secret file), the rest on standard error.
  const piped = await cli(['rotate-payload-key', '--id', '2027-07', '--keys-file', '-'], { PAYLOAD_KEY: OLD_KEY, PAYLOAD_KEYS: printed, PAYLOAD_KEY_ID: id });
  expect(piped.code).toBe(0);
  expect(piped.out).toMatch(new RegExp(`^${printed.replace(/[+/]/g, '\\$&')},2027-07:[A-Za-z0-9+/]{43}=\n$`));
  expect(piped.err).toContain('PAYLOAD_KEY_ID=2027-07');
  expect((await audited()).map((r) => r.target)).toEqual(['2027-01', id, '2027-07']);
});
