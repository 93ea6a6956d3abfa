import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { getRegistrationStatus } from '../../workflows/messages';
import { application, tokenFor } from '../support/fixtures';
import { eventually, startSystem, TEST_PAYLOAD_KEY, type TestSystem } from '../support/system';
import { caseHistory, disableAccount, revokeTokens, unlockAccount } from '../../db/operator';
import { createApp } from '../../api/app';
import { registrationLinkKey } from '../../api/pages/public';
import { createLogger } from '../../lib/logger';

// Its own applicant: the dev server is shared by the API tests, and a registration of the fixture's default
// applicant left open here would be found by test/api/registration-walk.test.ts (200 instead of 201).
const CODEC_APPLICANT = 'codec.reader@mopr.kielce.example';

// The remote codec with the real `temporal` CLI: a case's history reads in plain text through
// /codec (with a ministry token), stays sealed without it, and a token the codec refuses gets nothing.

const temporalBin = () => {
  const cached = join(homedir(), '.cache/obieg/bin/temporal');
  return process.env.TEMPORAL_BIN ?? (existsSync(cached) ? cached : 'temporal');
};

function cli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(temporalBin(), args, { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}\n${stderr}` });
    });
  });
}

/** The CLI's JSON output with every payload's data as text too (its JSON shows data as base64). */
const readable = (out: string) => out + [...out.matchAll(/"data":\s*"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8')).join('\n');
const SEALED = Buffer.from('binary/encrypted').toString('base64');

let sys: TestSystem;
let server: Server;
let endpoint: string;
let caseId: string;
let ministry: string;
let voivodeship: string;

beforeAll(async () => {
  sys = await startSystem();
  ministry = await tokenFor(sys.db.orm, 'codec-ministry', 'ministry', null);
  voivodeship = await tokenFor(sys.db.orm, 'codec-adm-26', 'voivodeship_admin', '26');
  server = sys.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/codec`;
  const { body } = await request(sys.app).post('/api/registrations').send(application({ email: CODEC_APPLICANT })).expect(201);
  caseId = body.id;
  await eventually(async () => (await sys.client.workflow.getHandle(caseId).query(getRegistrationStatus)).status === 'awaiting_scan', 30_000, 'awaiting scan');
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await sys?.close();
});

const show = (extra: string[]) =>
  cli(['workflow', 'show', '--workflow-id', caseId, '--address', sys.config.TEMPORAL_ADDRESS, '--namespace', sys.config.TEMPORAL_NAMESPACE, '--output', 'json', ...extra]);

const decodes = async () =>
  (await sys.db.orm.em.fork().getConnection().execute<{ actor: string; outcome: string }[]>("select actor, outcome from audit_log where action = 'codec.decode' order by id")).map((r) => `${r.actor}:${r.outcome}`);

test('temporal workflow show: plain text through the codec endpoint, ciphertext without it', async () => {
  const sealed = await show([]);
  expect(sealed.code).toBe(0);
  expect(sealed.out).toContain(SEALED);
  expect(readable(sealed.out)).not.toContain('zolkiewska');
  expect(readable(sealed.out)).not.toContain('Żółkiewska');

  const plain = await show(['--codec-endpoint', endpoint, '--codec-auth', `Bearer ${ministry}`]);
  expect(plain.code).toBe(0);
  expect(readable(plain.out)).toContain(CODEC_APPLICANT);
  expect(readable(plain.out)).toContain('Żółkiewska');
  expect(plain.out).not.toContain(SEALED);
  expect(await decodes()).toContain('codec-ministry:ok');
});

test('a token the codec refuses (another role, a revoked or made-up one) gets no plain text, and the refusal is audited', async () => {
  for (const token of [voivodeship, 'obg_' + 'x'.repeat(43)]) {
    const refused = await show(['--codec-endpoint', endpoint, '--codec-auth', `Bearer ${token}`]);
    expect(refused.code).not.toBe(0);
    expect(readable(refused.out)).not.toContain('zolkiewska');
    expect(readable(refused.out)).not.toContain('Żółkiewska');
  }
  expect(await decodes()).toEqual(expect.arrayContaining(['codec-adm-26:denied', 'anonymous:denied']));
});

test('CORS for the configured UI origin only; encode and decode round-trip; another namespace is refused', async () => {
  const ui = new URL(sys.config.TEMPORAL_UI_URL).origin;
  const pre = await request(sys.app).options('/codec/decode').set('Origin', ui).set('Access-Control-Request-Method', 'POST').expect(204);
  expect(pre.headers['access-control-allow-origin']).toBe(ui);
  expect(pre.headers['access-control-allow-credentials']).toBe('true');
  const other = await request(sys.app).options('/codec/decode').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST').expect(403);
  expect(other.headers['access-control-allow-origin']).toBeUndefined();

  // A payload sealed by the API itself, decoded back over HTTP with the ministry's token.
  const enc = await request(sys.app).post('/codec/encode').set('Authorization', `Bearer ${ministry}`).set('Origin', ui).send({ payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"Żółkiewska"').toString('base64') }] }).expect(200);
  expect(enc.headers['access-control-allow-origin']).toBe(ui);
  expect(Buffer.from(enc.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
  const dec = await request(sys.app).post('/codec/decode').set('Authorization', `Bearer ${ministry}`).set('X-Namespace', sys.config.TEMPORAL_NAMESPACE).send(enc.body).expect(200);
  expect(Buffer.from(dec.body.payloads[0].data, 'base64').toString()).toBe('"Żółkiewska"');
  const wrongNs = await request(sys.app).post('/codec/decode').set('Authorization', `Bearer ${ministry}`).set('X-Namespace', 'inna').send(enc.body).expect(400);
  expect(wrongNs.body.error.message).toContain('inna');
});

test('operator commands: the case history unsealed on the server; unlock, revoke tokens and disable; each one audited', async () => {
  const events = JSON.stringify(await caseHistory(sys.db.orm, sys.client, TEST_PAYLOAD_KEY, caseId));
  expect(events).toContain(CODEC_APPLICANT);
  expect(events).not.toContain('binary/encrypted');

  const token = await tokenFor(sys.db.orm, 'cli-staff', 'voivodeship_admin', '26');
  const conn = sys.db.orm.em.fork().getConnection();
  await conn.execute("update accounts set failed_logins = 5, locked_until = now() + interval '1 hour' where login = 'cli-staff'");
  await unlockAccount(sys.db.orm, 'cli-staff');
  expect(await conn.execute("select failed_logins, locked_until from accounts where login = 'cli-staff'")).toEqual([{ failed_logins: 0, locked_until: null }]);
  await request(sys.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
  expect(await revokeTokens(sys.db.orm, 'cli-staff')).toBe(1);
  await request(sys.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
  const again = await tokenFor(sys.db.orm, 'cli-staff', 'voivodeship_admin', '26');
  await disableAccount(sys.db.orm, 'cli-staff');
  await request(sys.app).get('/api/me').set('Authorization', `Bearer ${again}`).expect(401);
  await expect(unlockAccount(sys.db.orm, 'nie-ma-takiego')).rejects.toThrow('no account with login nie-ma-takiego');

  const rows = await conn.execute<{ action: string; target: string }[]>("select action, target from audit_log where action like 'cli.%' order by id");
  expect(rows.map((r) => `${r.action} ${r.target}`)).toEqual([`cli.case-history ${caseId}`, 'cli.unlock cli-staff', 'cli.revoke-tokens cli-staff', 'cli.disable cli-staff']);
});

test('after a payload key rotation the codec opens the history sealed under the old key and seals under the new one; old answer links still open', async () => {
  const fresh = Buffer.alloc(32, 17).toString('base64');
  const ring = { activeId: '2027-01', keys: { ...sys.config.PAYLOAD_KEYRING.keys, '2027-01': fresh } };
  const config = { ...sys.config, PAYLOAD_KEY: fresh, PAYLOAD_KEYRING: ring };
  const { app } = createApp({ orm: sys.db.orm, temporal: sys.client, config, log: createLogger('codec-rotated', 'error') });
  const rotated = app.listen(0, '127.0.0.1');
  await new Promise((r) => rotated.once('listening', r));
  try {
    const plain = await show(['--codec-endpoint', `http://127.0.0.1:${(rotated.address() as AddressInfo).port}/codec`, '--codec-auth', `Bearer ${ministry}`]);
    expect(plain.code).toBe(0);
    expect(readable(plain.out)).toContain(CODEC_APPLICANT);
    expect(plain.out).not.toContain(SEALED);
    const enc = await request(app).post('/codec/encode').set('Authorization', `Bearer ${ministry}`).send({ payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"x"').toString('base64') }] }).expect(200);
    expect(Buffer.from(enc.body.payloads[0].metadata['encryption-key-id'], 'base64').toString()).toBe('2027-01');
    // The registration answer link the applicant got before the rotation still opens; a made-up one does not.
    await request(app).get(`/rejestracja/sprawa/${caseId}?k=${registrationLinkKey(TEST_PAYLOAD_KEY, caseId)}`).expect(200);
    await request(app).get(`/rejestracja/sprawa/${caseId}?k=${registrationLinkKey(Buffer.alloc(32, 99).toString('base64'), caseId)}`).expect(404);
  } finally {
    await new Promise((r) => rotated.close(r));
  }
});
