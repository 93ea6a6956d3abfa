import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import Handlebars from 'handlebars';
import { TEMPLATES_DIR } from './paths';
import { warsawWallClock } from '../workflows/rules/warsaw-time';

// Handlebars templates under templates/{documents,mail,pages}, compiled once per process.
// Layout partials live in templates/partials and are registered by file name.

// "28 listopada 2026 10:05", as Intl's pl-PL long date and short time write it.
const MONTHS = ['stycznia', 'lutego', 'marca', 'kwietnia', 'maja', 'czerwca', 'lipca', 'sierpnia', 'września', 'października', 'listopada', 'grudnia'];

function warsawParts(value: unknown): Date | null {
  if (!value) return null;
  const d = value instanceof Date ? value : new Date(typeof value === 'number' ? value : String(value));
  const ms = d.getTime();
  if (Number.isNaN(ms)) return null;
  return warsawWallClock(ms);
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

export function formatDateTime(value: unknown): string {
  const w = warsawParts(value);
  if (!w) return '—';
  return `${w.getUTCDate()} ${MONTHS[w.getUTCMonth()]} ${w.getUTCFullYear()} ${two(w.getUTCHours())}:${two(w.getUTCMinutes())}`;
}

/** "6 grudnia 2026 00:30:15": a receipt's exact time of receipt, to the second, in Warsaw. */
export function formatDateTimeSeconds(value: unknown): string {
  const w = warsawParts(value);
  if (!w) return '—';
  return `${formatDateTime(value)}:${two(w.getUTCSeconds())}`;
}

export function formatDate(value: unknown): string {
  const w = warsawParts(value);
  if (!w) return '—';
  return `${w.getUTCDate()} ${MONTHS[w.getUTCMonth()]} ${w.getUTCFullYear()}`;
}

/** A datetime-local input's value in Poland's time: "2026-11-28T10:05". */
export function warsawLocalMinute(value: unknown): string {
  const w = warsawParts(value);
  return w ? w.toISOString().slice(0, 16) : '';
}

/** A template that is missing or fails on its data: no retry fixes it (activities/failures.ts). */
export class TemplateError extends Error {
  constructor(
    readonly template: string,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TemplateError';
  }
}

export interface Templates {
  render(name: string, data: unknown): string;
  has(name: string): boolean;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.hbs') ? [join(dir, e.name)] : [],
  );
}

export function loadTemplates(root: string = TEMPLATES_DIR): Templates {
  const hb = Handlebars.create();
  hb.registerHelper('dateTime', (v: unknown) => formatDateTime(v));
  hb.registerHelper('date', (v: unknown) => formatDate(v));
  hb.registerHelper('dateTimeSeconds', (v: unknown) => formatDateTimeSeconds(v));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : ''));
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  for (const file of walk(root)) {
    const name = relative(root, file).replace(/\\/g, '/').replace(/\.hbs$/, '');
    const source = readFileSync(file, 'utf8');
    if (name.startsWith('partials/')) hb.registerPartial(name.slice('partials/'.length), source);
    else compiled.set(name, hb.compile(source, { strict: false }));
  }
  return {
    has: (name) => compiled.has(name),
    render(name, data) {
      const t = compiled.get(name);
      if (!t) throw new TemplateError(name, `no template ${name}`);
      try {
        return t(data);
      } catch (err) {
        throw new TemplateError(name, `template ${name}: ${err instanceof Error ? err.message : String(err)}`, err);
      }
    },
  };
}

/** A mail template's first line is "Temat: …"; the rest is the HTML body. */
export function renderMail(templates: Templates, name: string, data: unknown): { subject: string; html: string; text: string } {
  const out = templates.render(`mail/${name}`, data);
  const nl = out.indexOf('\n');
  const first = out.slice(0, nl).trim();
  if (!first.startsWith('Temat:')) throw new TemplateError(`mail/${name}`, `mail template ${name} must start with "Temat:"`);
  const html = out.slice(nl + 1).trim();
  // The subject line went through Handlebars' HTML escaping like the body, but a subject is plain text.
  return { subject: decodeEntities(first.slice('Temat:'.length).trim()), html, text: htmlToText(html) };
}

export function htmlToText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h\d|li|tr)>/gi, '\n')
    .replace(/<li>/gi, '• ')
    .replace(/<[^>]+>/g, '')
    .replace(ENTITY, decodeEntity)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// The entities Handlebars' escapeExpression writes, plus &nbsp;. Decoded in one pass, so "&amp;lt;" (a
// literal "&lt;" typed by a user) comes out as "&lt;" and not as "<".
const ENTITIES: Record<string, string> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#x27;': "'",
  '&#39;': "'",
  '&#x3D;': '=',
  '&#x60;': '`',
};
const ENTITY = /&(?:nbsp|amp|lt|gt|quot|#x27|#39|#x3D|#x60);/g;
const decodeEntity = (e: string): string => ENTITIES[e] ?? e;
const decodeEntities = (s: string): string => s.replace(ENTITY, decodeEntity);
