import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, SECRET_VARIABLES, secretFromEnv } from '../../lib/config';
import { temporalConnectionOptions } from '../../lib/temporal-connection';

// Secrets as files (`<NAME>_FILE`, as Docker and Kubernetes mount them), and the Temporal connection's TLS
// and API key built from configuration.

const KEY_32 = Buffer.alloc(32, 7).toString('base64');
const BASE: NodeJS.ProcessEnv = { DATABASE_URL: 'postgres://obieg:secret@127.0.0.1:5432/obieg', PAYLOAD_KEY: KEY_32 };
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'obieg-secrets-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('loadConfig accepted the configuration');
}

const VALUES: Record<(typeof SECRET_VARIABLES)[number], string> = {
  DATABASE_URL: 'postgres://obieg:Z3!tajne@db:5432/obieg',
  PAYLOAD_KEY: Buffer.alloc(32, 9).toString('base64'),
  PAYLOAD_KEYS: `2027-01:${Buffer.alloc(32, 8).toString('base64')}`,
  SMTP_PASSWORD: 'hasło SMTP z końcową spacją ',
  TEMPORAL_API_KEY: 'tmprl_api_key.abc',
};

describe('every secret may come from a file', () => {
  it.each(SECRET_VARIABLES.map((n) => [n]))('%s_FILE: the file content without its final line break is the value', (name) => {
    const file = secretFile(`${name}.txt`, `${VALUES[name]}\n`);
    const env = { ...BASE, [name]: undefined, [`${name}_FILE`]: file };
    expect(loadConfig(env)[name]).toBe(VALUES[name]);
    expect(secretFromEnv(name, env)).toBe(VALUES[name]);
  });

  it('a value from a file is validated like the variable itself, without printing it', () => {
    const file = secretFile('short-key', Buffer.alloc(16, 1).toString('base64'));
    const message = configError({ ...BASE, PAYLOAD_KEY: undefined, PAYLOAD_KEY_FILE: file });
    expect(message).toMatch(/^ {2}PAYLOAD_KEY: expected 32 bytes/m);
    expect(message).not.toContain(Buffer.alloc(16, 1).toString('base64'));
  });

  it('a missing file stops the start and names the variable', () => {
    const message = configError({ ...BASE, PAYLOAD_KEY: undefined, PAYLOAD_KEY_FILE: join(dir, 'nie-ma') });
    expect(message).toContain(`  PAYLOAD_KEY_FILE: cannot read ${join(dir, 'nie-ma')} (ENOENT)`);
  });

  it('a variable and its file together are refused: which one wins would be a guess', () => {
    const file = secretFile('db-url', VALUES.DATABASE_URL);
    expect(configError({ ...BASE, DATABASE_URL_FILE: file })).toContain('  DATABASE_URL_FILE: set together with DATABASE_URL');
  });

  it('without a file the variable is used as before', () => {
    expect(secretFromEnv('DATABASE_URL', BASE)).toBe(BASE.DATABASE_URL);
    expect(secretFromEnv('SMTP_PASSWORD', BASE)).toBeUndefined();
  });
});

describe('the Temporal connection from configuration', () => {
  const config = (env: NodeJS.ProcessEnv = {}) => loadConfig({ ...BASE, TEMPORAL_ADDRESS: 'temporal.example:7233', ...env });

  it('plain gRPC by default', () => {
    expect(temporalConnectionOptions(config())).toEqual({ address: 'temporal.example:7233', tls: false });
  });

  it('TLS with the CA, the client certificate pair and the server name from files', () => {
    const ca = secretFile('ca.pem', 'CA PEM');
    const crt = secretFile('client.pem', 'CLIENT PEM');
    const key = secretFile('client.key', 'KEY PEM');
    const o = temporalConnectionOptions(config({ TEMPORAL_TLS_CA_FILE: ca, TEMPORAL_TLS_CERT_FILE: crt, TEMPORAL_TLS_KEY_FILE: key, TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal' }));
    expect(o.tls).toEqual({ serverRootCACertificate: Buffer.from('CA PEM'), clientCertPair: { crt: Buffer.from('CLIENT PEM'), key: Buffer.from('KEY PEM') }, serverNameOverride: 'frontend.temporal' });
  });

  it('an API key (from its file) turns TLS on with the system CAs, as a managed service needs', () => {
    const file = secretFile('api-key', 'klucz-api\n');
    const o = temporalConnectionOptions(config({ TEMPORAL_API_KEY_FILE: file }));
    expect(o).toEqual({ address: 'temporal.example:7233', tls: {}, apiKey: 'klucz-api' });
  });

  it('TEMPORAL_TLS=false keeps an API key on plain gRPC; TEMPORAL_TLS=true alone is TLS with the system CAs', () => {
    expect(temporalConnectionOptions(config({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }))).toEqual({ address: 'temporal.example:7233', tls: false, apiKey: 'k' });
    expect(temporalConnectionOptions(config({ TEMPORAL_TLS: 'true' })).tls).toEqual({});
  });

  it('a certificate without its key, an unreadable CA, or files with TLS off stop the start, naming the variable', () => {
    expect(configError({ ...BASE, TEMPORAL_TLS_CERT_FILE: secretFile('only.pem', 'x') })).toContain('  TEMPORAL_TLS_CERT_FILE: the client certificate and TEMPORAL_TLS_KEY_FILE go together');
    expect(() => temporalConnectionOptions(config({ TEMPORAL_TLS_CA_FILE: join(dir, 'brak.pem') }))).toThrow(/ {2}TEMPORAL_TLS_CA_FILE: cannot read .*brak\.pem \(ENOENT\)/);
    expect(() => temporalConnectionOptions(config({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA_FILE: secretFile('ca2.pem', 'x') }))).toThrow(/TEMPORAL_TLS: is false, but TLS files are set/);
  });
});
