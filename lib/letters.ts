import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// seed 003: letters of the office and the link their mail carries (domain/letters.ts says which mails are letters).

/** One letter per mail: its id follows from the mail's idempotency key, so a retried send finds it again. */
export const letterIdFor = (mailKey: string): string => createHash('sha256').update(`letter:${mailKey}`).digest('hex').slice(0, 32);

/** The key the mail's link carries: only the mailbox the letter went to has it. */
export const newLetterLinkKey = (): string => randomBytes(24).toString('base64url');

export const sameLetterKey = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The letter's page; the mail's link adds the key. */
export const letterPath = (letterId: string): string => `/pisma/${encodeURIComponent(letterId)}`;
export const letterLink = (publicUrl: string, letterId: string, key: string): string => `${publicUrl.replace(/\/$/, '')}${letterPath(letterId)}?k=${encodeURIComponent(key)}`;
