import { EntitySchema } from '@mikro-orm/core';
import { createdAt } from './base';

// seed 003 (UWAGI): "urząd otrzymuje elektroniczne poświadczenie odbioru pisma". A letter is a mail the
// office sends about a case (domain/letters.ts); its addressee's first opening in obieg is recorded once,
// and confirmed with a PDF (urzędowe poświadczenie doręczenia, UPD) among the case's documents.

export interface Letter {
  /** From the mail's idempotency key (lib/letters.ts letterIdFor). */
  id: string;
  /** The outbox row of the mail that carried it. */
  mailId: string;
  caseId: string;
  kind: string;
  subject: string;
  /** Who sent it, in Polish (the voivodeship office, or the unit for a data request). */
  sender: string;
  /** The address it went to: the person signed in with this address, or holding the mail's link, is its addressee. */
  addresseeEmail: string;
  /** The mail's link key (lib/letters.ts): a capability to open this one letter. */
  linkKey: string;
  createdAt: Date;
  openedAt: Date | null;
  /** The addressee's login, or their address when opened through the mail's link without signing in. */
  openedBy: string | null;
  openedVia: 'session' | 'token' | 'link' | null;
  confirmationNumber: string | null;
  confirmationDocumentId: string | null;
}

export const LetterSchema = new EntitySchema<Letter>({
  name: 'Letter',
  tableName: 'letters',
  properties: {
    id: { type: 'string', length: 40, primary: true },
    mailId: { type: 'string', length: 300, unique: true },
    caseId: { type: 'string', length: 200, index: true },
    kind: { type: 'string', length: 40 },
    subject: { type: 'string', length: 300 },
    sender: { type: 'string', length: 300 },
    addresseeEmail: { type: 'string', length: 254 },
    linkKey: { type: 'string', length: 64 },
    createdAt: createdAt(),
    openedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    openedBy: { type: 'string', length: 254, nullable: true },
    openedVia: { type: 'string', length: 16, nullable: true },
    confirmationNumber: { type: 'string', length: 80, nullable: true },
    confirmationDocumentId: { type: 'string', length: 250, nullable: true },
  },
});
