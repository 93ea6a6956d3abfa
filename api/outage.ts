// Issue 14 item 5: PostgreSQL or Temporal out of reach is an outage, not a fault of the request. The API
// answers 503 with Retry-After and says, in Polish, that repeating the same request is safe: every start is
// keyed by its business key, so a repeat finds the case an earlier attempt may have started.

export const OUTAGE_RETRY_AFTER_SECONDS = 5;
export const OUTAGE_CODE = 'SERVICE_UNAVAILABLE';
export const OUTAGE_MESSAGE =
  'Usługa jest chwilowo niedostępna (baza danych lub silnik procesów nie odpowiada). Spróbuj ponownie za kilka sekund: powtórzenie tego samego żądania jest bezpieczne i nie utworzy drugiej sprawy.';

/** Socket errors on the way to PostgreSQL, and its SQLSTATEs for a server shutting down or not yet up. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P01', '57P02', '57P03']);
/** gRPC status codes of a Temporal frontend that cannot be reached: UNAVAILABLE, DEADLINE_EXCEEDED. */
const GRPC_UNAVAILABLE = new Set([14, 4]);
const PG_MESSAGES = [/^Connection terminated/, /^Knex: Timeout acquiring a connection/, /^Client has encountered a connection error/];

function isOutageCause(e: object): boolean {
  const r = e as { code?: unknown; name?: unknown; message?: unknown; details?: unknown };
  if (typeof r.code === 'string' && (CONNECTION_CODES.has(r.code) || /^08[0-9A-Z]{3}$/.test(r.code))) return true;
  // A gRPC error (the Temporal client's ServiceError wraps one as its cause).
  if (typeof r.code === 'number' && 'details' in r && GRPC_UNAVAILABLE.has(r.code)) return true;
  if (r.name === 'KnexTimeoutError') return true;
  return typeof r.message === 'string' && PG_MESSAGES.some((p) => p.test(r.message as string));
}

/** Whether the error (or any error it was caused by) says PostgreSQL or Temporal is out of reach. */
export function isOutage(err: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    if (isOutageCause(e)) return true;
    queue.push((e as { cause?: unknown }).cause);
    // A connection attempt to several addresses fails with an AggregateError of them.
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return false;
}
