import { EntitySchema } from '@mikro-orm/core';
import { createdAt } from './base';

// The mail outbox: every outgoing mail, written before it is sent.

/** Every outgoing mail, keyed by its idempotency key; a redacted mail (it carried a secret) is never stored. */
export interface OutboxMail {
  id: string;
  caseId?: string | null;
  recipient: string;
  subject: string;
  template: string;
  html?: string | null;
  text?: string | null;
  redacted: boolean;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError?: string | null;
  messageId: string;
  createdAt: Date;
  sentAt?: Date | null;
}

export const OutboxMailSchema = new EntitySchema<OutboxMail>({
  name: 'OutboxMail',
  tableName: 'outbox',
  indexes: [{ properties: ['status'] }],
  properties: {
    id: { type: 'string', length: 300, primary: true },
    caseId: { type: 'string', length: 200, nullable: true, index: true },
    recipient: { type: 'string', length: 254 },
    subject: { type: 'string', length: 300 },
    template: { type: 'string', length: 80 },
    html: { type: 'text', nullable: true, lazy: true },
    text: { type: 'text', nullable: true, lazy: true },
    redacted: { type: 'boolean', default: false },
    status: { type: 'string', length: 16 },
    attempts: { type: 'integer', default: 0 },
    lastError: { type: 'text', nullable: true },
    messageId: { type: 'string', length: 300 },
    createdAt: createdAt(),
    sentAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});
