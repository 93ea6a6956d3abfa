import { ConfigError, loadConfig } from '../../lib/config';

const KEY_32 = Buffer.alloc(32, 7).toString('base64');
const BASE: NodeJS.ProcessEnv = {
  DATABASE_URL: 'postgres://obieg:secret@127.0.0.1:5432/obieg',
  PAYLOAD_KEY: KEY_32,
};

/** The error loadConfig throws for env, or a failure when it does not throw. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig defaults', () => {
  const config = loadConfig({ ...BASE });

  it.each([
    ['NODE_ENV', 'development'],
    ['DATABASE_POOL_MAX', 10],
    ['TEMPORAL_ADDRESS', '127.0.0.1:7233'],
    ['TEMPORAL_NAMESPACE', 'default'],
    ['TEMPORAL_TASK_QUEUE', 'obieg'],
    ['TEMPORAL_STARTS_TASK_QUEUE', undefined],
    ['TEMPORAL_UI_URL', 'http://127.0.0.1:8233'],
    ['API_HOST', '127.0.0.1'],
    ['API_PORT', 3000],
    ['PUBLIC_URL', 'http://127.0.0.1:3000'],
    ['SMTP_HOST', '127.0.0.1'],
    ['SMTP_PORT', 1025],
    ['SMTP_SECURE', false],
    ['SMTP_USER', undefined],
    ['SMTP_PASSWORD', undefined],
    ['MAIL_FROM', 'obieg <no-reply@obieg.local>'],
    ['CHROMIUM_PATH', '/usr/bin/chromium'],
    ['REGISTRATION_REMINDER_DAYS', [7, 14]],
    ['REGISTRATION_EXPIRY_DAYS', 30],
    ['UPLOAD_MAX_BYTES', 10 * 1024 * 1024],
    ['LOG_LEVEL', 'info'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', undefined],
  ] as const)('%s defaults to %p', (name, value) => {
    expect(config[name]).toEqual(value);
  });

  it('keeps the required values as given', () => {
    expect(config.DATABASE_URL).toBe(BASE.DATABASE_URL);
    expect(config.PAYLOAD_KEY).toBe(KEY_32);
  });

  it('does not copy unrelated environment variables', () => {
    const withExtra = loadConfig({ ...BASE, PATH: '/usr/bin', HOME: '/root' });
    expect(withExtra).not.toHaveProperty('PATH');
    expect(withExtra).not.toHaveProperty('HOME');
  });
});

describe('loadConfig parses given values', () => {
  it.each([
    ['DATABASE_URL', 'postgresql://u@db/obieg', 'postgresql://u@db/obieg'],
    ['API_PORT', '8080', 8080],
    ['DATABASE_POOL_MAX', '200', 200],
    ['SMTP_SECURE', 'true', true],
    ['SMTP_SECURE', 'false', false],
    ['TEMPORAL_ADDRESS', 'temporal:7233', 'temporal:7233'],
    ['REGISTRATION_REMINDER_DAYS', '3', [3]],
    ['REGISTRATION_REMINDER_DAYS', '3,10,20', [3, 10, 20]],
    ['REGISTRATION_EXPIRY_DAYS', '60', 60],
    ['NODE_ENV', 'production', 'production'],
    ['LOG_LEVEL', 'debug', 'debug'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'http://otel-collector:4318', 'http://otel-collector:4318'],
  ] as const)('%s=%s → %p', (name, raw, parsed) => {
    expect(loadConfig({ ...BASE, [name]: raw })[name]).toEqual(parsed);
  });

  it('the worker health and metrics addresses: a default each, host:port, and "off" turns one off (two workers on one host)', () => {
    expect(loadConfig(BASE)).toMatchObject({ WORKER_HEALTH_ADDRESS: '127.0.0.1:9465', WORKER_METRICS_ADDRESS: '127.0.0.1:9464' });
    expect(loadConfig({ ...BASE, WORKER_METRICS_ADDRESS: '0.0.0.0:9100' }).WORKER_METRICS_ADDRESS).toBe('0.0.0.0:9100');
    const off = loadConfig({ ...BASE, WORKER_HEALTH_ADDRESS: 'off', WORKER_METRICS_ADDRESS: 'off' });
    expect(off.WORKER_HEALTH_ADDRESS).toBeUndefined();
    expect(off.WORKER_METRICS_ADDRESS).toBeUndefined();
  });

  it('allows reminders up to the day before a longer expiry', () => {
    const c = loadConfig({ ...BASE, REGISTRATION_REMINDER_DAYS: '7,14,44', REGISTRATION_EXPIRY_DAYS: '45' });
    expect(c.REGISTRATION_REMINDER_DAYS).toEqual([7, 14, 44]);
    expect(c.REGISTRATION_EXPIRY_DAYS).toBe(45);
  });
});

describe('the payload key ring in the configuration', () => {
  it('makes the PAYLOAD_KEY_ID key of PAYLOAD_KEYS the active one, the old PAYLOAD_KEY still opening', () => {
    const next = Buffer.alloc(32, 9).toString('base64');
    const c = loadConfig({ ...BASE, PAYLOAD_KEYS: `2027-01:${next}`, PAYLOAD_KEY_ID: '2027-01' });
    expect(c.PAYLOAD_KEY).toBe(next);
    expect(c.PAYLOAD_KEYRING.activeId).toBe('2027-01');
    expect(Object.values(c.PAYLOAD_KEYRING.keys).sort()).toEqual([KEY_32, next].sort());
  });
});

describe('loadConfig rejects bad values, naming the variable', () => {
  const KEY_16 = Buffer.alloc(16, 7).toString('base64');
  const KEY_33 = Buffer.alloc(33, 7).toString('base64');

  const cases: { title: string; env: NodeJS.ProcessEnv; variable: string; message?: string }[] = [
    { title: 'a MySQL URL', env: { DATABASE_URL: 'mysql://x' }, variable: 'DATABASE_URL', message: 'expected a postgres:// URL' },
    { title: 'a missing DATABASE_URL', env: { DATABASE_URL: undefined }, variable: 'DATABASE_URL' },
    { title: 'a 16-byte PAYLOAD_KEY', env: { PAYLOAD_KEY: KEY_16 }, variable: 'PAYLOAD_KEY', message: 'expected 32 bytes' },
    { title: 'a 33-byte PAYLOAD_KEY', env: { PAYLOAD_KEY: KEY_33 }, variable: 'PAYLOAD_KEY', message: 'expected 32 bytes' },
    { title: 'a missing PAYLOAD_KEY', env: { PAYLOAD_KEY: undefined }, variable: 'PAYLOAD_KEY' },
    { title: 'an active key id not in the ring', env: { PAYLOAD_KEYS: `k1:${KEY_32}`, PAYLOAD_KEY_ID: 'k9' }, variable: 'PAYLOAD_KEY_ID', message: 'no key "k9"' },
    { title: 'a ring entry without an id', env: { PAYLOAD_KEYS: KEY_32, PAYLOAD_KEY_ID: 'k1' }, variable: 'PAYLOAD_KEYS' },
    { title: 'a non-numeric port', env: { API_PORT: 'abc' }, variable: 'API_PORT' },
    { title: 'a port above 65535', env: { API_PORT: '70000' }, variable: 'API_PORT' },
    { title: 'a fractional port', env: { SMTP_PORT: '25.5' }, variable: 'SMTP_PORT' },
    { title: 'an empty port (it would listen on a random port)', env: { API_PORT: '' }, variable: 'API_PORT' },
    { title: 'a pool of 0', env: { DATABASE_POOL_MAX: '0' }, variable: 'DATABASE_POOL_MAX' },
    { title: 'a Temporal address without a port', env: { TEMPORAL_ADDRESS: 'temporal' }, variable: 'TEMPORAL_ADDRESS', message: 'expected host:port' },
    { title: 'a non-URL PUBLIC_URL', env: { PUBLIC_URL: 'obieg.local' }, variable: 'PUBLIC_URL' },
    { title: 'SMTP_SECURE=yes', env: { SMTP_SECURE: 'yes' }, variable: 'SMTP_SECURE' },
    { title: 'an unknown NODE_ENV', env: { NODE_ENV: 'staging' }, variable: 'NODE_ENV' },
    { title: 'a collector address without a scheme', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, variable: 'OTEL_EXPORTER_OTLP_ENDPOINT', message: 'OTLP/HTTP collector' },
    { title: 'a gRPC collector URL', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' }, variable: 'OTEL_EXPORTER_OTLP_ENDPOINT', message: 'OTLP/HTTP collector' },
    { title: 'an unknown LOG_LEVEL', env: { LOG_LEVEL: 'trace' }, variable: 'LOG_LEVEL' },
    { title: 'a non-numeric reminder day', env: { REGISTRATION_REMINDER_DAYS: '7,x' }, variable: 'REGISTRATION_REMINDER_DAYS', message: 'expected comma-separated whole days' },
    { title: 'reminder days separated by "; "', env: { REGISTRATION_REMINDER_DAYS: '7; 14' }, variable: 'REGISTRATION_REMINDER_DAYS' },
    { title: 'an empty reminder list', env: { REGISTRATION_REMINDER_DAYS: '' }, variable: 'REGISTRATION_REMINDER_DAYS' },
    { title: 'an expiry of 0 days', env: { REGISTRATION_EXPIRY_DAYS: '0' }, variable: 'REGISTRATION_EXPIRY_DAYS' },
    { title: 'an upload limit below 1 KiB', env: { UPLOAD_MAX_BYTES: '100' }, variable: 'UPLOAD_MAX_BYTES' },
    {
      title: 'a reminder on the default expiry day (30)',
      env: { REGISTRATION_REMINDER_DAYS: '7,30' },
      variable: 'REGISTRATION_REMINDER_DAYS',
      message: 'every reminder must come before REGISTRATION_EXPIRY_DAYS',
    },
    {
      title: 'reminders after a shortened expiry',
      env: { REGISTRATION_REMINDER_DAYS: '7,14', REGISTRATION_EXPIRY_DAYS: '10' },
      variable: 'REGISTRATION_REMINDER_DAYS',
      message: 'every reminder must come before REGISTRATION_EXPIRY_DAYS',
    },
  ];

  it.each(cases)('$title → $variable', ({ env, variable, message }) => {
    const err = configError({ ...BASE, ...env });
    const [first, ...issues] = err.message.split('\n');
    expect(first).toBe('Invalid configuration:');
    expect(issues.length).toBeGreaterThan(0);
    // Every reported issue is about the bad variable, not about a neighbour that was fine.
    for (const line of issues) expect(line).toMatch(new RegExp(`^  ${variable}: \\S`));
    if (message) expect(err.message).toContain(message);
  });

  it('names every bad variable at once', () => {
    const err = configError({ ...BASE, DATABASE_URL: 'mysql://x', API_PORT: 'abc', PAYLOAD_KEY: 'c2hvcnQ=' });
    expect(err.message).toMatch(/^ {2}DATABASE_URL: /m);
    expect(err.message).toMatch(/^ {2}API_PORT: /m);
    expect(err.message).toMatch(/^ {2}PAYLOAD_KEY: /m);
    expect(err.message).not.toMatch(/^ {2}SMTP_PORT: /m);
  });

  it('does not print the secret it rejected', () => {
    const secretish = 'postgres-ish://user:Sup3rTajne!@db/obieg';
    expect(configError({ ...BASE, DATABASE_URL: secretish }).message).not.toContain('Sup3rTajne!');
  });
});

describe('loadConfig result', () => {
  it('is frozen', () => {
    const config = loadConfig({ ...BASE });
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { API_PORT: number }).API_PORT = 1;
    }).toThrow(TypeError);
    expect(config.API_PORT).toBe(3000);
  });

  it('is a fresh object per call, so one caller cannot see another env', () => {
    const a = loadConfig({ ...BASE, API_PORT: '4000' });
    const b = loadConfig({ ...BASE, API_PORT: '5000' });
    expect(a.API_PORT).toBe(4000);
    expect(b.API_PORT).toBe(5000);
  });
});
