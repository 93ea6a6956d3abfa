import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KeyRingError, parseKeyRing, type KeyRing } from './payload-codec';

// Every setting the processes read, parsed once from the environment. Nothing else reads process.env.
const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const dayList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'expected comma-separated whole days, e.g. "7,14"')
  .transform((s) => s.split(',').map(Number));

/** host:port, or "off" (undefined). The default goes in before "off" is read: a zod default after a
 * transform would also replace the undefined that "off" becomes. */
const hostPortOrOff = (fallback: string) =>
  z
    .string()
    .regex(/^([^:\s]+:\d+|off)$/, 'expected host:port or off')
    .default(fallback)
    .transform((v) => (v === 'off' ? undefined : v));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL'),
  DATABASE_POOL_MAX: intFrom(1, 200).default(10),
  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('obieg'),
  // The campaign starters' queue (report and CSIZS campaigns started through the API): a Worker of its own in
  // the worker process, so that a campaign's starts never wait behind the tasks of the cases it creates (issue
  // 18). Unset: the case queue (one Worker). docker-compose.yml and npm start set obieg-starts.
  TEMPORAL_STARTS_TASK_QUEUE: z.string().min(1).optional(),
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
  // A managed or TLS-terminated Temporal (lib/temporal-connection.ts). TLS is on when any of the files or an
  // API key is set (the operating system's CAs verify the server unless TEMPORAL_TLS_CA_FILE names one);
  // TEMPORAL_TLS=false forces plain gRPC, TEMPORAL_TLS=true TLS with nothing else set.
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  TEMPORAL_TLS_CA_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  // The one browser origin allowed to call the remote codec (/codec/*); default: TEMPORAL_UI_URL's origin.
  CODEC_CORS_ORIGIN: z.url().optional(),
  // The payload key ring (lib/payload-codec.ts): PAYLOAD_KEY alone (one key), or PAYLOAD_KEYS ("id:base64,…")
  // with PAYLOAD_KEY_ID naming the key that seals; the others only open. Checked as a whole in loadConfig.
  PAYLOAD_KEY: z
    .string()
    .refine((s) => Buffer.from(s, 'base64').length === 32, 'expected 32 bytes, base64-encoded (openssl rand -base64 32)')
    .optional(),
  PAYLOAD_KEYS: z.string().optional(),
  PAYLOAD_KEY_ID: z.string().optional(),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: intFrom(1, 65535).default(3000),
  PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: intFrom(1, 65535).default(1025),
  SMTP_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  SMTP_REQUIRE_TLS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  SMTP_CA_FILE: z.string().min(1).optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  MAIL_FROM: z.string().min(3).default('obieg <no-reply@obieg.local>'),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  REGISTRATION_REMINDER_DAYS: dayList.default([7, 14]),
  REGISTRATION_EXPIRY_DAYS: intFrom(1, 365).default(30),
  SESSION_IDLE_MINUTES: intFrom(1, 24 * 60).default(30),
  MAX_ACTIVE_SESSIONS: intFrom(1, 1_000_000).default(2000),
  LOGIN_MAX_FAILURES: intFrom(1, 100).default(5),
  LOGIN_LOCK_MINUTES: intFrom(1, 7 * 24 * 60).default(15),
  PASSWORD_MAX_AGE_DAYS: intFrom(1, 3650).default(30),
  PASSWORD_EXPIRY_REMINDER_DAYS: dayList.default([7, 3, 1]),
  PERMISSION_REMINDER_DAYS: dayList.default([3, 7]),
  PERMISSION_EXPIRY_DAYS: intFrom(1, 365).default(14),
  // Process 3: reminders 7, 3 and 1 working days before a report is due; the voivodeship 3 working days after.
  REPORT_REMINDER_WORKING_DAYS: dayList.default([7, 3, 1]),
  REPORT_ESCALATION_WORKING_DAYS: intFrom(1, 30).default(3),
  // One Temporal Schedule per periodic report form. Off only where the server has no schedules (the
  // time-skipping test server); forms are then saved without one.
  REPORT_FORM_SCHEDULES: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  MERGE_CONFIRMATION_DAYS: intFrom(1, 365).default(14),
  UPLOAD_MAX_BYTES: intFrom(1024, 100 * 1024 * 1024).default(10 * 1024 * 1024),
  // Issue 14 item 2: an activity failing this many times in a row marks its case "wymaga interwencji"
  // (at once when retrying cannot help), and OPERATOR_EMAIL (when set) gets a mail about it.
  ATTENTION_AFTER_ATTEMPTS: intFrom(1, 1000).default(5),
  OPERATOR_EMAIL: z.email().optional(),
  // Workflows the worker keeps in memory between their tasks (issue 18: about 0.5 MB each); a waiting case
  // beyond them is replayed from its history when it next moves. The SDK's default grows with the heap
  // limit (about 2,300 on a 4 GB heap), a gigabyte and more with thousands of waiting cases. 100 rather than 250:
  // 40 MB less resident with 14,863 waiting cases, first steps of a 2,477-unit campaign as fast (BENCHMARKS.md 1c, 5a).
  WORKER_MAX_CACHED_WORKFLOWS: intFrom(0, 100_000).default(100),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // json: one JSON line per event (production); pretty: readable lines (npm start). LOG_FILE: append there.
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  LOG_FILE: z.string().min(1).optional(),
  // The worker's health (GET /healthz: worker RUNNING and Temporal reachable) and the SDK's Prometheus
  // metrics, each on host:port of its own; "off" turns one off.
  WORKER_HEALTH_ADDRESS: hostPortOrOff('127.0.0.1:9465'),
  WORKER_METRICS_ADDRESS: hostPortOrOff('127.0.0.1:9464'),
  // Express's "trust proxy": which peers' X-Forwarded-For names the client (rate limits and audit use it).
  // true/false, a number of hops, or addresses/subnets/names (loopback, linklocal, uniquelocal), comma-separated.
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2}|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/, 'expected true, false, a hop count or addresses, e.g. "loopback, 10.0.0.0/8"')
    .default('loopback')
    .transform((v): boolean | number | string => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v)),
  // OpenTelemetry tracing (lib/tracing.ts): the base URL of an OTLP/HTTP collector (spans go to <URL>/v1/traces).
  // Unset: no tracing at all.
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'expected the http(s):// URL of an OTLP/HTTP collector, e.g. http://127.0.0.1:4318' })
    .optional(),
  // Multiplies every rate limit's allowance (api/rate-limits.ts); tests raise it, the abuse test keeps 1.
  RATE_LIMIT_FACTOR: z.coerce.number().min(0.01).max(1_000_000).default(1),
});

/** Every variable the processes read (without the `_FILE` forms of the secrets). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export type Config = Readonly<
  Omit<z.infer<typeof schema>, 'PAYLOAD_KEY'> & {
    /** The active key (base64): seals payloads and derives the secret store's key. */
    PAYLOAD_KEY: string;
    /** Every key that opens payloads, and the active one's id. */
    PAYLOAD_KEYRING: KeyRing;
  }
>;

export class ConfigError extends Error {}

/**
 * Secrets may come from files (Docker/Kubernetes secrets): `<NAME>_FILE` names a file whose content, without a
 * trailing line break, is the value. Setting both a variable and its `_FILE` is refused.
 */
export const SECRET_VARIABLES = ['DATABASE_URL', 'PAYLOAD_KEY', 'PAYLOAD_KEYS', 'SMTP_PASSWORD', 'TEMPORAL_API_KEY'] as const;

function withSecretFiles(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  const problems: string[] = [];
  for (const name of SECRET_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) {
      problems.push(`  ${name}_FILE: set together with ${name}; set only one of them`);
      continue;
    }
    try {
      out[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      problems.push(`  ${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return out;
}

/** One secret for an entry point that needs only it (the operator commands' DATABASE_URL): the variable or its _FILE. */
export function secretFromEnv(name: (typeof SECRET_VARIABLES)[number], env: NodeJS.ProcessEnv = process.env): string | undefined {
  return withSecretFiles({ [name]: env[name], [`${name}_FILE`]: env[`${name}_FILE`] })[name] || undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(withSecretFiles(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  let ring: KeyRing;
  try {
    ring = parseKeyRing(parsed.data);
  } catch (err) {
    if (err instanceof KeyRingError) throw new ConfigError(`Invalid configuration:\n  ${err.variable}: ${err.detail}`);
    throw err;
  }
  if (parsed.data.REGISTRATION_REMINDER_DAYS.some((d) => d >= parsed.data.REGISTRATION_EXPIRY_DAYS)) {
    throw new ConfigError(
      'Invalid configuration:\n  REGISTRATION_REMINDER_DAYS: every reminder must come before REGISTRATION_EXPIRY_DAYS',
    );
  }
  if (parsed.data.PERMISSION_REMINDER_DAYS.some((d) => d >= parsed.data.PERMISSION_EXPIRY_DAYS)) {
    throw new ConfigError('Invalid configuration:\n  PERMISSION_REMINDER_DAYS: every reminder must come before PERMISSION_EXPIRY_DAYS');
  }
  if (parsed.data.PASSWORD_EXPIRY_REMINDER_DAYS.some((d) => d >= parsed.data.PASSWORD_MAX_AGE_DAYS)) {
    throw new ConfigError('Invalid configuration:\n  PASSWORD_EXPIRY_REMINDER_DAYS: reminders are days before PASSWORD_MAX_AGE_DAYS and must be fewer');
  }
  if (!parsed.data.TEMPORAL_TLS_CERT_FILE !== !parsed.data.TEMPORAL_TLS_KEY_FILE) {
    throw new ConfigError('Invalid configuration:\n  TEMPORAL_TLS_CERT_FILE: the client certificate and TEMPORAL_TLS_KEY_FILE go together; set both or neither');
  }
  return Object.freeze({ ...parsed.data, PAYLOAD_KEY: ring.keys[ring.activeId], PAYLOAD_KEYRING: ring });
}

/** Exits the process with a message naming the bad variable(s); for the entry points. */
/** The queue the campaign starters run on: TEMPORAL_STARTS_TASK_QUEUE, or (unset) the case queue. */
export function startsTaskQueue(config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'TEMPORAL_STARTS_TASK_QUEUE'>): string {
  return config.TEMPORAL_STARTS_TASK_QUEUE ?? config.TEMPORAL_TASK_QUEUE;
}

export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
