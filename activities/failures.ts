import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import { TemplateError } from '../lib/templates';

// Issue 14 item 2: which activity errors no retry can fix, decided in one place. Such an error becomes a
// non-retryable ApplicationFailure (its type names the kind; the original error is its cause, sealed like
// every failure by lib/failure-converter.ts), so the activity fails at once instead of retrying unseen.
// The reason is a fixed Polish sentence: it is shown to officials and mailed, so it never carries the
// error's text (which may quote personal data).

export type PermanentKind = 'invalid_data' | 'constraint_violation' | 'template_error';

export const PERMANENT_REASONS: Record<PermanentKind, string> = {
  invalid_data: 'dane sprawy nie dają się zapisać (niedozwolone znaki lub wartości)',
  constraint_violation: 'zapis narusza regułę spójności bazy danych',
  template_error: 'nie da się utworzyć dokumentu lub wiadomości z szablonu',
};

/** The failure types an activity fails with when retrying cannot help. */
export const PERMANENT_TYPES: Record<PermanentKind, string> = {
  invalid_data: 'InvalidData',
  constraint_violation: 'ConstraintViolation',
  template_error: 'TemplateError',
};

/** SQLSTATE classes: 22 data exception (a NUL in text, a value too long, bad input syntax), 23 integrity
 *  constraint violation (not null, foreign key, check, exclusion). A unique violation (23505) stays
 *  retryable: activities are idempotent by key, so it comes from two attempts racing, and the retry finds
 *  the row. Class 40 (serialization, deadlock), 08 (connection) and 57 (shutdown) are transient. */
function sqlStateKind(code: unknown): PermanentKind | null {
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  if (code.startsWith('22')) return 'invalid_data';
  if (code.startsWith('23') && code !== '23505') return 'constraint_violation';
  return null;
}

/** The kind of a permanent error, or null when a retry may succeed (the default: unknown means transient). */
export function permanentKind(err: unknown): PermanentKind | null {
  const seen = new Set<unknown>();
  for (let e = err; e && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    if (e instanceof TemplateError) return 'template_error';
    if (e instanceof ZodError) return 'invalid_data';
    const r = e as { code?: unknown; sqlState?: unknown; name?: unknown };
    const kind = sqlStateKind(r.sqlState) ?? sqlStateKind(r.code);
    if (kind) return kind;
  }
  return null;
}

/** The error as the activity throws it: non-retryable when permanent, otherwise unchanged. */
export function classifyActivityError(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  const kind = permanentKind(err);
  if (!kind) return err;
  return ApplicationFailure.create({
    type: PERMANENT_TYPES[kind],
    message: err instanceof Error ? err.message : String(err),
    nonRetryable: true,
    cause: err instanceof Error ? err : undefined,
  });
}

/** The kind of a failure already classified (by its type), for the attention reason. */
export function kindOfFailureType(type: string | null | undefined): PermanentKind | null {
  const found = (Object.keys(PERMANENT_TYPES) as PermanentKind[]).find((k) => PERMANENT_TYPES[k] === type);
  return found ?? null;
}
