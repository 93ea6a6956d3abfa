import type { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import { ReceiptSchema, UnitSchema, VoivodeshipOfficeSchema } from '../db/entities';
import { letterById, letterCaseScope, setLetterConfirmation } from '../db/queries/letters';
import { insertReceiptDocumentOnce, insertReceiptOnce } from '../db/queries/receipts';
import { LETTER_KIND_LABELS, openedViaLabel, type LetterKind } from '../domain/letters';
import { putBlob } from '../lib/blobs';
import { htmlToPdf, type BrowserProvider } from '../lib/browser';
import { updNumber, upoNumber } from '../lib/receipts';
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

    /**
     * seed 003 (UWAGI: "urząd otrzymuje elektroniczne poświadczenie odbioru pisma"): the confirmation that
     * the addressee opened a letter, with the Warsaw date and time of the opening the API recorded
     * (api/letters/service.ts); numbered, rendered and recorded once per letter.
     */
    async issueDeliveryConfirmation(input: { letterId: string }): Promise<{ number: string; documentId: string }> {
      const em = orm.em.fork();
      const l = await letterById(em, input.letterId);
      if (!l?.opened_at) throw ApplicationFailure.nonRetryable(`letter ${input.letterId} has not been opened`, 'LETTER_NOT_OPENED');
      if (l.confirmation_number && l.confirmation_document_id) return { number: l.confirmation_number, documentId: l.confirmation_document_id };
      const openedAt = new Date(l.opened_at);
      const number = updNumber(l.id, openedAt);
      const documentId = `upd:${l.id}.pdf`;
      const scope = await letterCaseScope(em, l.case_id);
      const unit = scope ? await em.findOne(UnitSchema, { code: scope.unitCode }) : null;
      const html = templates.render('documents/delivery-confirmation', {
        number,
        openedAt: openedAt.toISOString(),
        sentAt: new Date(l.created_at).toISOString(),
        subject: l.subject,
        kind: LETTER_KIND_LABELS[l.kind as LetterKind] ?? l.kind,
        sender: l.sender,
        caseId: l.case_id,
        unit: unit ? `${unit.name} (${unit.nameExtra}), kod TERYT ${unit.code}` : (scope?.unitCode ?? ''),
        openedBy: l.opened_by,
        via: openedViaLabel(l.opened_via ?? ''),
      });
      heartbeat();
      const pdf = await htmlToPdf(await browser.get(), html);
      heartbeat();
      await em.transactional(async (tx) => {
        const hash = await putBlob(tx, pdf);
        await insertReceiptDocumentOnce(tx, { id: documentId, caseId: l.case_id, title: `Urzędowe poświadczenie doręczenia ${number}: ${l.subject}`.slice(0, 300), size: pdf.length, sha256: hash, filename: `upd-${number.split('/').pop()!.toLowerCase()}.pdf` });
        await setLetterConfirmation(tx, l.id, number, documentId);
        await appendEvent(tx, l.case_id, {
          key: `letter:${l.id}:opened`,
          at: openedAt.toISOString(),
          type: 'letter_opened',
          actor: (l.opened_by ?? 'adresat').slice(0, 120),
          message: `Adresat otworzył pismo „${l.subject}”; wydano urzędowe poświadczenie doręczenia ${number}`,
          data: { letterId: l.id, number, documentId },
        });
      });
      return { number, documentId };
    },
  };
}

export type ReceiptActivities = ReturnType<typeof createReceiptActivities>;
