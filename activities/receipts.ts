import type { MikroORM } from '@mikro-orm/postgresql';
import { heartbeat } from '@temporalio/activity';
import { ReceiptSchema, UnitSchema, VoivodeshipOfficeSchema } from '../db/entities';
import { insertReceiptDocumentOnce, insertReceiptOnce } from '../db/queries/receipts';
import { putBlob } from '../lib/blobs';
import { htmlToPdf, type BrowserProvider } from '../lib/browser';
import { upoNumber } from '../lib/receipts';
import type { Templates } from '../lib/templates';
import type { IssuedReceipt, ReceiptRequest } from '../workflows/messages';
import { appendEvent } from './cases';

// seed 003: "urzędowe potwierdzenie odbioru tzw. UPO z dokładną datą i godziną dostarczenia". One
// mechanism for every submission obieg receives: the workflow that received it calls issueReceipt with
// the instant of receipt (its own clock, so replays agree); the activity numbers it, renders the PDF and
// records both, once per key.

export function createReceiptActivities({ orm, browser, templates }: { orm: MikroORM; browser: BrowserProvider; templates: Templates }) {
  return {
    async issueReceipt(input: ReceiptRequest): Promise<IssuedReceipt> {
      const em = orm.em.fork();
      const existing = await em.findOne(ReceiptSchema, { key: input.key });
      if (existing) return { number: existing.number, receivedAt: existing.receivedAt.toISOString(), documentId: existing.documentId };

      const receivedAt = new Date(input.receivedAt);
      const number = upoNumber(input.key, receivedAt);
      const documentId = `${input.key}:upo.pdf`;
      const unit = await em.findOne(UnitSchema, { code: input.unitCode });
      const office = await em.findOne(VoivodeshipOfficeSchema, { voivodeship: input.voivodeship });
      const html = templates.render('documents/receipt', {
        number,
        receivedAt: input.receivedAt,
        subject: input.subject,
        caseId: input.caseId,
        submittedBy: input.submittedBy,
        sha256: input.sha256 ?? null,
        unit: unit ? `${unit.name} (${unit.nameExtra}), kod TERYT ${unit.code}` : input.unitCode,
        office: office?.name ?? `Urząd Wojewódzki (województwo ${input.voivodeship})`,
      });
      heartbeat();
      const pdf = await htmlToPdf(await browser.get(), html);
      heartbeat();
      await em.transactional(async (tx) => {
        const hash = await putBlob(tx, pdf);
        await insertReceiptDocumentOnce(tx, { id: documentId, caseId: input.caseId, title: `Urzędowe poświadczenie odbioru ${number}`, size: pdf.length, sha256: hash, filename: `upo-${number.split('/').pop()!.toLowerCase()}.pdf` });
        await insertReceiptOnce(tx, { number, key: input.key, caseId: input.caseId, kind: input.kind, subject: input.subject, receivedAt, submittedBy: input.submittedBy, sha256: input.sha256 ?? null, documentId });
        await appendEvent(tx, input.caseId, {
          key: `${input.key}:issued`,
          type: 'receipt_issued',
          actor: 'system',
          message: `Wydano urzędowe poświadczenie odbioru ${number}: ${input.subject}`,
          data: { number, receivedAt: input.receivedAt, documentId },
        });
      });
      return { number, receivedAt: receivedAt.toISOString(), documentId };
    },
  };
}

export type ReceiptActivities = ReturnType<typeof createReceiptActivities>;
