import { EntitySchema } from '@mikro-orm/core';
import { createdAt } from './base';

// seed 003: an official receipt (UPO) with the exact date and time of receipt, for every submission
// obieg receives (registrations, permission requests, filed scans, the CSIZS notification). Reports keep
// their own receipts in report_versions.

export interface Receipt {
  /** "UPO/20261206/…": the Warsaw date of receipt and a hash of the idempotency key. */
  number: string;
  /** One receipt per key, however often the activity runs. */
  key: string;
  caseId: string;
  kind: string;
  /** What was received, in Polish. */
  subject: string;
  receivedAt: Date;
  submittedBy: string;
  /** SHA-256 of the received document, when a file was received. */
  sha256: string | null;
  /** The receipt's PDF among the case's documents. */
  documentId: string;
  createdAt: Date;
}

export const ReceiptSchema = new EntitySchema<Receipt>({
  name: 'Receipt',
  tableName: 'receipts',
  properties: {
    number: { type: 'string', length: 80, primary: true },
    key: { type: 'string', length: 300, unique: true },
    caseId: { type: 'string', length: 200, index: true },
    kind: { type: 'string', length: 40 },
    subject: { type: 'string', length: 300 },
    receivedAt: { type: 'Date', columnType: 'timestamptz' },
    submittedBy: { type: 'string', length: 120 },
    sha256: { type: 'string', length: 64, nullable: true },
    documentId: { type: 'string', length: 250 },
    createdAt: createdAt(),
  },
});
