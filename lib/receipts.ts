import { createHash } from 'node:crypto';

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

/** Deterministic from report and version, so a retried submission gets the same number. */
export const receiptNumberFor = (reportId: string, version: number, at: Date): string =>
  `UPO/${at.toISOString().slice(0, 10).replace(/-/g, '')}/${createHash('sha256').update(`${reportId}:${version}`).digest('hex').slice(0, 12).toUpperCase()}`;
