import { z } from 'zod';
import { secretText } from '../text';

export const letterParams = z.object({ letterId: z.string().regex(/^[0-9a-f]{32}$/, 'Identyfikator pisma to 32 znaki szesnastkowe') });
export const letterQuery = z.object({ k: secretText(100).optional() });
export const openingBody = z.object({ key: secretText(100).optional() });

export const letterView = z.object({
  id: z.string(),
  caseId: z.string(),
  kind: z.string(),
  kindLabel: z.string(),
  subject: z.string(),
  sender: z.string(),
  sentAt: z.string(),
  /** The mail as sent, as plain text; null when it carried a password (never stored). */
  text: z.string().nullable(),
  opened: z.object({ at: z.string(), by: z.string(), via: z.string() }).nullable(),
  confirmation: z.object({ number: z.string(), documentId: z.string(), url: z.string() }).nullable(),
  /** This request opened it: the addressee's first opening, now recorded. */
  openedNow: z.boolean(),
});
export type LetterView = z.infer<typeof letterView>;

/** A letter as the case answer lists it, for its sender. */
export const caseLetter = letterView.omit({ text: true, openedNow: true });
