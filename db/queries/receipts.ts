import type { EntityManager } from '@mikro-orm/postgresql';

// Receipts (UPO, seed 003) for every submission: the row and its PDF among the case's documents.

/** The receipt's PDF among the case's documents, once per id. */
export async function insertReceiptDocumentOnce(em: EntityManager, d: { id: string; caseId: string; title: string; size: number; sha256: string; filename: string }): Promise<void> {
  await em.execute(
    `insert into documents (id, case_id, kind, title, media_type, size, sha256, filename, source, created_by, created_at)
     values (?, ?, 'receipt', ?, 'application/pdf', ?, ?, ?, 'generated', 'system', now()) on conflict (id) do nothing`,
    [d.id, d.caseId, d.title, d.size, d.sha256, d.filename],
  );
}

/** The receipt row, once per key (a concurrent retry writes nothing). */
export async function insertReceiptOnce(
  em: EntityManager,
  r: { number: string; key: string; caseId: string; kind: string; subject: string; receivedAt: Date; submittedBy: string; sha256: string | null; documentId: string },
): Promise<void> {
  await em.execute(
    `insert into receipts (number, key, case_id, kind, subject, received_at, submitted_by, sha256, document_id, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict do nothing`,
    [r.number, r.key, r.caseId, r.kind, r.subject, r.receivedAt, r.submittedBy, r.sha256, r.documentId],
  );
}
