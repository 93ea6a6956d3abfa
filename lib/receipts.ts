import { createHash } from 'node:crypto';
import { warsawDay } from '../workflows/rules/warsaw-time';

// seed 003 (UPO): what a receipt is computed from.

/** Keys sorted at every level: the same content always hashes the same, whatever order it was typed in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * "UPO/<date of receipt in Warsaw>/<12 hex digits>": the date is the official (Europe/Warsaw) one, so a
 * submission at 23:30 UTC on 5 December, already 00:30 on 6 December in Poland, is numbered 20261206.
 * The digits hash the key, so a retry gets the same number.
 */
export const upoNumber = (key: string, at: Date): string =>
  `UPO/${warsawDay(at.getTime()).replace(/-/g, '')}/${createHash('sha256').update(key).digest('hex').slice(0, 12).toUpperCase()}`;

/** Deterministic from report and version, so a retried submission gets the same number. */
export const receiptNumberFor = (reportId: string, version: number, at: Date): string => upoNumber(`${reportId}:${version}`, at);

/**
 * seed 003 (UWAGI: "urząd otrzymuje elektroniczne poświadczenie odbioru pisma"): the confirmation that the
 * addressee opened a letter, "UPD/<Warsaw date of the opening>/<12 hex digits of the letter id>".
 */
export const updNumber = (letterId: string, openedAt: Date): string =>
  `UPD/${warsawDay(openedAt.getTime()).replace(/-/g, '')}/${createHash('sha256').update(`letter:${letterId}`).digest('hex').slice(0, 12).toUpperCase()}`;
