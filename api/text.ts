import { z } from 'zod';
import { HttpError, type ErrorDetail } from './errors';

// Input that cannot be stored is refused at the door (issue 14). Two layers:
// - `text(max)` / `multilineText(max)`: the one string type of every route and form field: NFC,
//   trimmed, no control characters (newline and tab only in multi-line text), no lone surrogates, at
//   most `max` characters (the column's length);
// - `rejectUnsafeInput`, run by the route kit on every params/query/body before its schema, so no
//   schema can let through what PostgreSQL cannot store (NUL, lone surrogates) or prototype keys.
// `assertSafeStrings` makes the route kit refuse to register a route whose schema has a string field
// that is neither a `text` nor a fixed format (e-mail, uuid, ISO date or time).

/** C0 controls and DEL and C1 controls, except tab, newline and carriage return (multi-line text). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_ANY = /[\u0000-\u001F\u007F-\u009F]/;
/** Line and paragraph separators, BOM and bidi overrides: invisible, and they break one-line fields. */
const INVISIBLE = /[\u2028\u2029\uFEFF\u202A-\u202E\u2066-\u2069]/;

export const TEXT_MESSAGES = {
  control: 'Niedozwolone znaki sterujące (np. NUL, tabulator lub nowa linia w polu jednowierszowym)',
  controlMultiline: 'Niedozwolone znaki sterujące (dozwolone są tylko nowa linia i tabulator)',
  surrogate: 'Niepoprawny tekst: niesparowany znak zastępczy UTF-16',
  invisible: 'Niedozwolone znaki niewidoczne (separator wiersza, BOM, znaki sterujące kierunkiem tekstu)',
  required: 'Pole jest wymagane',
  tooLong: (max: number) => `Za długi tekst: najwyżej ${max} znaków`,
  key: 'Niedozwolona nazwa pola',
} as const;

const wellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

function lineProblem(s: string, multiline: boolean): string | null {
  if (!wellFormed(s)) return TEXT_MESSAGES.surrogate;
  if ((multiline ? CONTROL_EXCEPT_LINES : CONTROL_ANY).test(s)) return multiline ? TEXT_MESSAGES.controlMultiline : TEXT_MESSAGES.control;
  if (INVISIBLE.test(s)) return TEXT_MESSAGES.invisible;
  return null;
}

// One check instance per kind: `assertSafeStrings` recognises a text field by it (clones keep checks).
const singleLineCheck = z.superRefine<string>((s, ctx) => {
  const problem = lineProblem(s, false);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, input: s });
});
const multilineCheck = z.superRefine<string>((s, ctx) => {
  const problem = lineProblem(s, true);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, input: s });
});
const SAFE_CHECKS = new Set<unknown>([singleLineCheck, multilineCheck]);

export interface TextOptions {
  /** Least characters after trimming (default 1: required and not blank). 0 allows an empty string. */
  min?: number;
  /** The message when shorter than `min`. */
  minMessage?: string;
}

const bounded = (s: z.ZodString, max: number, o: TextOptions) => {
  const min = o.min ?? 1;
  const withMin = min > 0 ? s.min(min, o.minMessage ?? (min === 1 ? TEXT_MESSAGES.required : `Za krótki tekst: co najmniej ${min} znaki`)) : s;
  return withMin.max(max, TEXT_MESSAGES.tooLong(max));
};

/** A one-line text field: NFC, trimmed, no control or invisible characters, `min`..`max` characters. */
export function text(max: number, o: TextOptions = {}): z.ZodString {
  return bounded(z.string(o.minMessage ? { error: (iss) => (iss.input === undefined ? o.minMessage : undefined) } : undefined).check(singleLineCheck).normalize('NFC').trim(), max, o);
}

/** A multi-line text field: as `text`, but newlines (CRLF becomes LF) and tabs are kept. */
export function multilineText(max: number, o: TextOptions = {}): z.ZodString {
  return bounded(
    z
      // An absent field says what is missing, as a short one would (when the field has its own message).
      .string(o.minMessage ? { error: (iss) => (iss.input === undefined ? o.minMessage : undefined) } : undefined)
      .overwrite((s) => s.replace(/\r\n?/g, '\n'))
      .check(multilineCheck)
      .normalize('NFC')
      .trim(),
    max,
    o,
  );
}

/** A secret typed by a person (a password): not trimmed or normalised, but no control characters. */
export function secretText(max: number): z.ZodString {
  return z.string().check(singleLineCheck).min(1, TEXT_MESSAGES.required).max(max, TEXT_MESSAGES.tooLong(max));
}

/** Whether an address (its decoded path) holds a control character: no path here needs one. */
export const controlInPath = (decodedPath: string): boolean => CONTROL_ANY.test(decodedPath);

/** Keys that name an object's prototype machinery: never a field. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What no field may hold, whatever its schema says: NUL and other control characters (except tab,
 * newline, carriage return), lone surrogates, and prototype keys. Every problem names its field.
 */
export function unsafeInput(value: unknown, where: string): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const walk = (v: unknown, path: string[], depth: number) => {
    if (out.length >= 20) return;
    const at = [where, ...path].filter(Boolean).join('.');
    if (depth > 32) {
      out.push({ path: at, message: 'Za głęboko zagnieżdżone dane' });
      return;
    }
    if (typeof v === 'string') {
      const problem = lineProblem(v, true);
      if (problem && problem !== TEXT_MESSAGES.invisible) out.push({ path: at, message: problem });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...path, String(i)], depth + 1));
      return;
    }
    if (v && typeof v === 'object') {
      for (const key of Object.keys(v)) {
        const keyProblem = FORBIDDEN_KEYS.has(key) ? TEXT_MESSAGES.key : lineProblem(key, false);
        if (keyProblem) {
          out.push({ path: [where, ...path, key.replace(/[^\w.-]/g, '?')].filter(Boolean).join('.'), message: keyProblem === TEXT_MESSAGES.key ? TEXT_MESSAGES.key : `${TEXT_MESSAGES.key}: ${keyProblem}` });
          continue;
        }
        walk((v as Record<string, unknown>)[key], [...path, key], depth + 1);
      }
    }
  };
  walk(value, [], 0);
  return out;
}

/** The route kit's guard: a 400 naming the fields, before any schema runs. */
export function rejectUnsafeInput(value: unknown, where: string): void {
  const details = unsafeInput(value, where);
  if (details.length) throw new HttpError(400, 'VALIDATION_FAILED', 'Dane żądania są niepoprawne', details);
}

type Def = { type: string; format?: string; checks?: unknown[]; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType>; options?: z.ZodType[]; keyType?: z.ZodType; valueType?: z.ZodType; left?: z.ZodType; right?: z.ZodType; items?: z.ZodType[] };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;
const SAFE_FORMATS = new Set(['email', 'uuid', 'guid', 'date', 'time', 'datetime', 'duration']);

/**
 * The string fields of an input schema that are not a `text` (and not a fixed format): a route may not
 * be registered with any. Returns their paths.
 */
export function unguardedStrings(schema: z.ZodType, path = ''): string[] {
  const d = defOf(schema);
  const sub = (s: z.ZodType | undefined, p: string) => (s ? unguardedStrings(s, p) : []);
  switch (d.type) {
    case 'string': {
      const guarded = (d.checks ?? []).some((c) => SAFE_CHECKS.has(c)) || (d.format !== undefined && SAFE_FORMATS.has(d.format));
      // A fixed pattern (an anchored regex of safe characters) is a format of its own.
      const pattern = (d.checks ?? []).some((c) => {
        const cd = (c as { _zod?: { def?: { check?: string; format?: string; pattern?: RegExp } } })._zod?.def;
        return cd?.check === 'string_format' && cd.format === 'regex' && cd.pattern && /^\^.*\$$/.test(cd.pattern.source) && !/\.|\\s|\\S|\\W|\\D|\[\^/.test(cd.pattern.source);
      });
      return guarded || pattern ? [] : [path || '(root)'];
    }
    case 'object':
      return Object.entries((schema as unknown as z.ZodObject).shape as Record<string, z.ZodType>).flatMap(([k, s]) => unguardedStrings(s, path ? `${path}.${k}` : k));
    case 'array':
      return sub(d.element, `${path}[]`);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return sub(d.innerType, path);
    case 'pipe':
      return [...sub(d.in, path)];
    case 'union':
      return (d.options ?? []).flatMap((o) => unguardedStrings(o, path));
    case 'intersection':
      return [...sub(d.left, path), ...sub(d.right, path)];
    case 'record':
      return [...sub(d.keyType, `${path}{key}`), ...sub(d.valueType, `${path}{}`)];
    case 'tuple':
      return (d.items ?? []).flatMap((s, i) => unguardedStrings(s, `${path}[${i}]`));
    default:
      return [];
  }
}
