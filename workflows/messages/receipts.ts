// seed 003: a receipt (UPO) for every submission obieg receives; issued by activities/receipts.ts.

export type ReceiptKind = 'registration' | 'permission-request' | 'registration-scan' | 'csizs-notification-scan';

export interface ReceiptRequest {
  /** Idempotency key (a retry or a replay issues nothing twice); also what the number's digits hash. */
  key: string;
  caseId: string;
  kind: ReceiptKind;
  /** What was received, in Polish ("Wniosek rejestracyjny …"). */
  subject: string;
  /** The instant of receipt, from the workflow's clock (ISO). */
  receivedAt: string;
  submittedBy: string;
  unitCode: string;
  voivodeship: string;
  /** SHA-256 of a received file. */
  sha256?: string | null;
}

export interface IssuedReceipt {
  number: string;
  receivedAt: string;
  documentId: string;
}
