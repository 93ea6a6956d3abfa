import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import type { Logger } from '../lib/logger';

// The SDK logs a failed activity or workflow with its error, message and stack included: those can quote
// an applicant's data (an SQL statement, a template's input). Its entries go through the project's logger
// with the error reduced to its class and failure type, so logs carry ids and codes only.

function safeError(e: unknown): Record<string, unknown> | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const r = e as { name?: unknown; type?: unknown; cause?: unknown };
  return { name: typeof r.name === 'string' ? r.name : 'Error', ...(typeof r.type === 'string' ? { type: r.type } : {}), ...(r.cause ? { cause: safeError(r.cause) } : {}) };
}

export function redactingSdkLogger(log: Logger, level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' = 'INFO'): DefaultLogger {
  return new DefaultLogger(level, (entry: LogEntry) => {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(entry.meta ?? {})) {
      if (k === 'error' || k === 'failure' || v instanceof Error) fields[k] = safeError(v);
      else if (typeof v !== 'object' || v === null) fields[k] = v;
    }
    const to = entry.level === 'ERROR' ? log.error : entry.level === 'WARN' ? log.warn : entry.level === 'INFO' ? log.info : log.debug;
    to(entry.message, fields);
  });
}
