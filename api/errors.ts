import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../lib/logger';
import { isOutage, OUTAGE_CODE, OUTAGE_MESSAGE, OUTAGE_RETRY_AFTER_SECONDS } from './outage';

// { error: { code, message, details? } }: a stable English code, a Polish message, details per field.
export interface ErrorDetail {
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    /** Headers the answer carries (Retry-After of a 429 or 503). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const notFound = (what: string) => new HttpError(404, 'NOT_FOUND', `Nie znaleziono: ${what}`);

export function errorHandler(log: Logger, maxUploadBytes: number): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    (res.locals.obieg ??= {}).errorCode = err instanceof HttpError ? err.code : 'INTERNAL';
    if (err instanceof HttpError) {
      if (err.headers) res.set(err.headers);
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
      return;
    }
    if (err instanceof Error && err.name === 'MulterError') {
      const code = (err as Error & { code: string }).code;
      if (code === 'LIMIT_FILE_SIZE') {
        res.status(413).json({ error: { code: 'FILE_TOO_LARGE', message: `Plik jest za duży: dopuszczalny rozmiar to ${Math.round(maxUploadBytes / 1024 / 1024)} MB`, details: [{ path: 'file', message: 'Za duży plik' }] } });
      } else {
        res.status(400).json({ error: { code: 'BAD_UPLOAD', message: 'Niepoprawny formularz przesyłania pliku: oczekiwano jednego pliku w polu "file"', details: [{ path: 'file', message: code }] } });
      }
      return;
    }
    if (err && typeof err === 'object' && 'type' in err && (err as { type: string }).type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'MALFORMED_JSON', message: 'Treść żądania nie jest poprawnym JSON-em' } });
      return;
    }
    if (err && typeof err === 'object' && 'type' in err && (err as { type: string }).type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'Treść żądania jest za duża' } });
      return;
    }
    // Other refusals of the HTTP layer (a path that does not decode, an unsupported charset or encoding,
    // an aborted body): the client's fault, never a 500.
    const status = err && typeof err === 'object' ? ((err as { status?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode) : undefined;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'BAD_REQUEST', message: 'Niepoprawne żądanie HTTP (adres, kodowanie lub treść)' } });
      return;
    }
    if (isOutage(err)) {
      log.warn('outage: answered 503', { method: req.method, path: req.route?.path ?? 'unknown', error: err instanceof Error ? err.name : 'unknown' });
      res.status(503).set('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS)).json({ error: { code: OUTAGE_CODE, message: OUTAGE_MESSAGE } });
      return;
    }
    log.error('unhandled error', { method: req.method, path: req.route?.path ?? 'unknown', error: err instanceof Error ? err.message : String(err), cause: err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined });
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Wewnętrzny błąd serwera. Spróbuj ponownie później.' } });
  };
}
