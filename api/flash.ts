import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Flash messages travel in the address after a form (?ok=… or ?blad=…) and are shown only when signed
// by this server (&podpis=HMAC): a link with arbitrary text in the query shows nothing. The key is
// derived from the payload key, so every API process signs alike.

let key: Buffer = randomBytes(32);

/** Sets the signing key from a secret every API process shares (config PAYLOAD_KEY). */
export function useFlashSecret(secret: string): void {
  key = createHmac('sha256', secret).update('obieg flash messages v1').digest();
}

export type FlashKind = 'ok' | 'blad';

const sign = (kind: FlashKind, text: string) => createHmac('sha256', key).update(`${kind}\n${text}`).digest('base64url').slice(0, 32);

/** The query parameters of a signed flash message. */
export function flashQuery(kind: FlashKind, text: string): string {
  return `${kind}=${encodeURIComponent(text)}&podpis=${sign(kind, text)}`;
}

/** `to` with a signed flash message appended. */
export function withFlash(to: string, kind: FlashKind, text: string): string {
  return `${to}${to.includes('?') ? '&' : '?'}${flashQuery(kind, text)}`;
}

/** The flash message of a request's query, only when this server signed it. */
export function readFlash(query: Record<string, unknown>): { kind: 'ok' | 'error'; text: string } | null {
  const sig = typeof query.podpis === 'string' ? Buffer.from(query.podpis) : null;
  if (!sig) return null;
  for (const kind of ['ok', 'blad'] as const) {
    const text = query[kind];
    if (typeof text !== 'string') continue;
    const expected = Buffer.from(sign(kind, text));
    if (sig.length === expected.length && timingSafeEqual(sig, expected)) return { kind: kind === 'ok' ? 'ok' : 'error', text };
  }
  return null;
}

/** Query parameters of a flash message, not filters (to keep out of lists' addresses). */
export const FLASH_PARAMS = ['ok', 'blad', 'podpis'];
