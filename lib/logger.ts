import pino, { type DestinationStream, type Logger as Pino } from 'pino';
import type { LogLevel as TemporalLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';

// One JSON line per event (pino), one stream per process: the API's request lines, the application's own
// lines and the Temporal SDK's (worker, workflow and activity loggers, through temporalLogger) alike.
// Callers pass ids and codes, never personal data, passwords or tokens; what slips through anyway under a
// secret's name (password, token, cookie, authorization, e-mail, …) is replaced by "[Redacted]".

type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** The pino logger underneath, for pino-http. */
  readonly pino: Pino;
}

export interface LogOptions {
  level?: Level;
  /** A file to append to instead of standard output (tests write theirs to the run directory). */
  file?: string;
  /** Readable lines (pino-pretty) instead of JSON: for `npm start`. */
  pretty?: boolean;
}

/** Keys whose values never reach a log line, wherever they sit. */
export const SECRET_KEY = /pass(word)?|haslo|hasło|token|secret|cookie|authorization|api[-_]?key|e-?mail|phone|telefon|pesel|first_?name|last_?name/i;
const REDACTED = '[Redacted]';

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : scrub(v, depth + 1);
  return out;
}

const roots = new Map<string, Pino>();

/** The process's pino logger for one destination (one per file, so every component writes one stream). */
export function rootLogger(opts: LogOptions = {}): Pino {
  const key = `${opts.file ?? '-'}|${opts.pretty ? 'pretty' : 'json'}`;
  let root = roots.get(key);
  if (!root) {
    const destination: DestinationStream = opts.pretty
      ? (pino.transport({ target: 'pino-pretty', options: { destination: opts.file ?? 1, colorize: !opts.file && process.stdout.isTTY, translateTime: 'SYS:standard', ignore: 'pid,hostname', mkdir: true } }) as DestinationStream)
      : pino.destination({ dest: opts.file ?? 1, sync: true, mkdir: true });
    root = pino(
      {
        level: 'trace',
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }), log: (o) => scrub(o) as Record<string, unknown> },
        redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'], censor: REDACTED },
      },
      destination,
    );
    roots.set(key, root);
  }
  return root;
}

export function createLogger(component: string, level: Level | LogOptions = 'info'): Logger {
  const opts: LogOptions = typeof level === 'string' ? { level } : level;
  const p = rootLogger(opts).child({ component }, { level: opts.level ?? 'info' });
  return {
    debug: (m, f) => p.debug(f ?? {}, m),
    info: (m, f) => p.info(f ?? {}, m),
    warn: (m, f) => p.warn(f ?? {}, m),
    error: (m, f) => p.error(f ?? {}, m),
    pino: p,
  };
}

/** The settings a process's logger comes from (LOG_LEVEL, LOG_FILE, LOG_FORMAT). */
export const logOptions = (config: { LOG_LEVEL: Level; LOG_FILE?: string; LOG_FORMAT: 'json' | 'pretty' }): LogOptions => ({
  level: config.LOG_LEVEL,
  file: config.LOG_FILE,
  pretty: config.LOG_FORMAT === 'pretty',
});

const TEMPORAL_LEVELS: Record<TemporalLevel, 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'debug', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/** An error the SDK logs reduced to its class and failure type: its message and stack can quote an applicant's data. */
function safeError(e: unknown): Record<string, unknown> | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const r = e as { name?: unknown; type?: unknown; cause?: unknown };
  return { name: typeof r.name === 'string' ? r.name : 'Error', ...(typeof r.type === 'string' ? { type: r.type } : {}), ...(r.cause ? { cause: safeError(r.cause) } : {}) };
}

/**
 * The Temporal SDK's logger (Runtime.install({ logger })) writing into the same pino stream: the worker's
 * lifecycle, core's messages, and workflow.log / activity log lines with their workflow and activity ids.
 * The SDK logs a failed activity or workflow with its error, message and stack included: those can quote an
 * applicant's data (an SQL statement, a template's input), so an error keeps its class and failure type
 * only, and other nested objects are dropped: SDK lines carry ids and codes.
 */
export function temporalLogger(log: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>): TemporalLogger {
  const write = (level: TemporalLevel, message: string, meta?: LogMetadata) => {
    const fields: Record<string, unknown> = { sdk: true };
    for (const [k, v] of Object.entries(meta ?? {})) {
      if (k === 'error' || k === 'failure' || v instanceof Error) fields[k] = safeError(v);
      else if ((typeof v !== 'object' && typeof v !== 'function') || v === null) fields[k] = v;
    }
    log[TEMPORAL_LEVELS[level]](message, fields);
  };
  return {
    log: write,
    trace: (m, meta) => write('TRACE', m, meta),
    debug: (m, meta) => write('DEBUG', m, meta),
    info: (m, meta) => write('INFO', m, meta),
    warn: (m, meta) => write('WARN', m, meta),
    error: (m, meta) => write('ERROR', m, meta),
  };
}
