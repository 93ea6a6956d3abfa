import type { Browser, HTTPResponse } from 'puppeteer';
import { ROLES } from '../../domain/roles';
import { CASE_STATUS_LABELS, DOCUMENT_SOURCE_LABELS } from '../../api/labels';
import { CASE_TYPE_LABELS, CSIZS_CAMPAIGN_STATUS_LABELS, MAIL_STATUS_LABELS } from '../../api/cases/figures';
import { decisionUpdates } from '../../api/task-kinds';
import { CSIZS_CHECKPOINTS, CSIZS_STEPS } from '../../workflows/rules/csizs-campaign';
import { REPORT_CORRECTION_TASK_KIND, REPORT_PREPARATION_TASK_KIND, REPORT_STATUSES } from '../../workflows/messages';

// No page shows an internal code where a person reads: every page a browser test loads is scanned for
// the codes of the enums and domain modules (statuses, steps, roles, task kinds, document sources...),
// in its visible text only (form values and addresses may carry codes). A finding names page and code.

/** Internal codes, from the modules that define them. */
export const INTERNAL_CODES: readonly string[] = [
  ...new Set([
    ...Object.values(CASE_STATUS_LABELS).flatMap((labels) => Object.keys(labels)),
    ...REPORT_STATUSES,
    ...CSIZS_STEPS,
    ...CSIZS_CHECKPOINTS,
    ...ROLES,
    ...Object.keys(CASE_TYPE_LABELS),
    ...Object.keys(DOCUMENT_SOURCE_LABELS).filter((s) => s !== 'email'), // "e-mail" is Polish, the code is not shown as a word
    ...Object.keys(MAIL_STATUS_LABELS),
    ...Object.keys(CSIZS_CAMPAIGN_STATUS_LABELS),
    ...Object.keys(decisionUpdates),
    REPORT_PREPARATION_TASK_KIND,
    REPORT_CORRECTION_TASK_KIND,
    // Call list states and call outcomes (seed 004).
    'not_confirmed',
    'no_answer',
    'unreachable',
    // Task states.
    'completed',
    'cancelled',
  ]),
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A code as a word of its own: not part of an id such as registration-2661011-… or a longer code. */
const CODE = new RegExp(`(?<![\\p{L}\\p{N}_-])(${[...INTERNAL_CODES].sort((a, b) => b.length - a.length).map(escape).join('|')})(?![\\p{L}\\p{N}_-])`, 'gu');

/** The internal codes in a text, with a little context each. */
export function rawCodesIn(text: string): { code: string; context: string }[] {
  return [...text.matchAll(CODE)].map((m) => ({ code: m[1], context: text.slice(Math.max(0, m.index - 30), m.index + m[1].length + 30).replace(/\s+/g, ' ') }));
}

/** What a person reads of an HTML page: its text without tags, attributes, scripts and styles. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}

export interface RawCodeGuard {
  /** Fails, naming each page and code, when a page loaded since the last call showed one. */
  expectNone(): Promise<void>;
}

/** Scans every HTML document this browser loads (any page, any context) for internal codes. */
export function guardAgainstRawCodes(browser: Browser): RawCodeGuard {
  const findings: string[] = [];
  const pending = new Set<Promise<void>>();
  const scan = async (res: HTTPResponse) => {
    if (res.request().resourceType() !== 'document' || !(res.headers()['content-type'] ?? '').includes('text/html') || res.status() >= 300 && res.status() < 400) return;
    const url = new URL(res.url());
    const html = await res.text().catch(() => null);
    if (html === null) return;
    for (const f of rawCodesIn(visibleText(html))) findings.push(`${url.pathname}${url.search}: "${f.code}" in "…${f.context.trim()}…"`);
  };
  browser.on('targetcreated', (target) => {
    if (target.type() !== 'page') return;
    void target.page().then((page) =>
      page?.on('response', (res) => {
        const p = scan(res).finally(() => pending.delete(p));
        pending.add(p);
      }),
    );
  });
  return {
    async expectNone() {
      await Promise.all([...pending]);
      const found = [...new Set(findings.splice(0))];
      if (found.length) throw new Error(`internal codes shown to people:\n${found.join('\n')}`);
    },
  };
}
