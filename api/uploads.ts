import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { sha256 } from '../lib/blobs';
import { extensionFor, scanMismatch, sniffScanType, type ScanMediaType } from '../lib/file-type';
import { HttpError } from './errors';
import type { RateLimits } from './rate-limits';

// One upload policy for every route that takes a file (a registration's signed scan, a data request's
// reply, a CSIZS notification's signed scan): one file in the "file" part, at most UPLOAD_MAX_BYTES
// (413 FILE_TOO_LARGE from the error handler), PDF, JPEG or PNG by its bytes, and a name whose extension
// agrees with them. Refusals are in Polish, with the field named.

export interface AcceptedFile {
  buffer: Buffer;
  size: number;
  mediaType: ScanMediaType;
  extension: string;
  sha256: string;
  /** The sender's file name, reduced to safe characters (for a download's name only). */
  safeName: string;
}

export interface UploadPolicy {
  /** The multipart parser: the size limit and one file part named "file"; the address's upload limit first. */
  single: RequestHandler;
  /** The uploaded file checked against the policy; null when it is optional and absent. */
  accept(req: Request, opts: { required: true }): AcceptedFile;
  accept(req: Request, opts: { required: false }): AcceptedFile | null;
}

export function uploadPolicy(maxBytes: number, limits: RateLimits): UploadPolicy {
  const parser = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 10 } }).single('file');
  // A body that is not multipart as announced (a malformed part header, no boundary, cut short) is the
  // sender's fault: 400 naming the form, never a 500. Multer's own errors (size, parts) keep their answers.
  const parse: RequestHandler = (req, res, next) =>
    parser(req, res, (err?: unknown) => {
      if (!err || (err instanceof Error && err.name === 'MulterError')) return next(err);
      next(new HttpError(400, 'BAD_UPLOAD', 'Niepoprawny formularz przesyłania pliku (multipart/form-data)', [{ path: 'file', message: 'Nie da się odczytać treści formularza' }]));
    });
  const single: RequestHandler = (req, res, next) => limits.uploadByAddress(req, res, (err?: unknown) => (err ? next(err) : parse(req, res, next)));
  function accept(req: Request, opts: { required: boolean }): AcceptedFile | null {
    const file = req.file;
    if (!file) {
      if (!opts.required) return null;
      throw new HttpError(400, 'FILE_REQUIRED', 'Brak pliku (pole formularza "file")', [{ path: 'file', message: 'Wymagany plik' }]);
    }
    const name = file.originalname || 'plik';
    const bad = scanMismatch(name, file.buffer);
    if (bad) throw new HttpError(415, bad.code, bad.message, [{ path: 'file', message: 'Dozwolone: PDF, JPEG, PNG (po zawartości) o zgodnym rozszerzeniu' }]);
    const mediaType = sniffScanType(file.buffer)!;
    return { buffer: file.buffer, size: file.size, mediaType, extension: extensionFor[mediaType], sha256: sha256(file.buffer), safeName: name.normalize('NFKD').replace(/[^\w.-]+/g, '_').slice(-100) };
  }
  return { single, accept: accept as UploadPolicy['accept'] };
}
