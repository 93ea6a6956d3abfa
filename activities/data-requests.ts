import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseSchema } from '../db/entities';
import { insertDataReplyDocumentOnce } from '../db/queries/cases';
import {
  closeDataRequestWithStatus,
  countFirstDataRequestReminder,
  insertDataRequestOnce,
  markDataRequestOverdue,
  recordDataRequestAnswer,
} from '../db/queries/reports';
import { renderMail } from '../lib/templates';
import type { DataReply } from '../workflows/messages';
import { appendEvent, type CaseEventInput } from './cases';
import type { ActivityDeps } from './deps';
import { asLetter, deliver } from './mail';

// Data requests of a report (process 3): the read model of each request, its mails to the recipient
// (identified by e-mail, no account), and the reply attached to the report's history and documents.
// The recipient's address is written only to the outbox, as for a registration's applicant.

interface RecipientMail {
  key: string;
  to: string;
  vars: Record<string, unknown>;
}

export function createDataRequestActivities({ orm, mailer, templates, mailFrom, publicUrl }: ActivityDeps) {
  const tx = <T>(fn: (em: EntityManager) => Promise<T>) => orm.em.fork().transactional(fn);

  async function mailRecipient(em: EntityManager, reportId: string, mail: RecipientMail): Promise<void> {
    const c = await em.findOneOrFail(CaseSchema, { id: reportId });
    const content = renderMail(templates, 'report-data-request', { case: c, publicUrl, ...mail.vars });
    await deliver(em, mailer, mailFrom, { key: mail.key, caseId: reportId, to: mail.to, template: 'report-data-request', ...content, letter: asLetter('report-data-request', publicUrl, mail.vars.kind) });
  }

  return {
    async openDataRequest(input: {
      requestId: string;
      reportId: string;
      recipientName: string;
      subject: string;
      dueDate: string;
      requestedBy: string;
      mail: RecipientMail;
    }): Promise<void> {
      await tx(async (em) => {
        await insertDataRequestOnce(em, {
          id: input.requestId,
          reportId: input.reportId,
          recipientName: input.recipientName,
          subject: input.subject,
          dueDate: input.dueDate,
          requestedBy: input.requestedBy,
        });
        await appendEvent(em, input.reportId, {
          key: `${input.requestId}:opened`,
          type: 'data_requested',
          actor: input.requestedBy,
          message: `Wysłano prośbę o dane do: ${input.recipientName} (${input.subject}); termin odpowiedzi ${input.dueDate}`,
          data: { requestId: input.requestId, dueDate: input.dueDate },
        });
      });
      // Outside the transaction: the outbox row and the send are idempotent by the mail key.
      await mailRecipient(orm.em.fork(), input.reportId, input.mail);
    },

    async sendDataRequestReminder(input: { requestId: string; reportId: string; mail: RecipientMail; event: CaseEventInput }): Promise<void> {
      const em = orm.em.fork();
      await mailRecipient(em, input.reportId, input.mail);
      await tx(async (t) => {
        await countFirstDataRequestReminder(t, input.requestId);
        await appendEvent(t, input.reportId, { ...input.event, data: { requestId: input.requestId } });
      });
    },

    /** Cancelled (status) or late (overdue): the request's row and the report's history. */
    async closeDataRequest(input: { requestId: string; reportId: string; status: 'cancelled' | null; overdue?: boolean; key: string; actor: string; message: string }): Promise<void> {
      await tx(async (em) => {
        if (input.status) await closeDataRequestWithStatus(em, input.requestId, input.status);
        if (input.overdue) await markDataRequestOverdue(em, input.requestId);
        await appendEvent(em, input.reportId, {
          key: input.key,
          type: input.status ? 'data_request_cancelled' : 'data_request_overdue',
          actor: input.actor,
          message: input.message,
          data: { requestId: input.requestId },
        });
      });
    },

    /** The reply: its text in the report's history, its file (already in blob storage) among the report's documents. */
    async recordDataReply(input: { requestId: string; reportId: string; recipientName: string; reply: DataReply; key: string }): Promise<void> {
      const { reply } = input;
      await tx(async (em) => {
        if (reply.document) {
          const d = reply.document;
          await insertDataReplyDocumentOnce(em, {
            id: d.documentId,
            reportId: input.reportId,
            title: `Odpowiedź na prośbę o dane: ${input.recipientName}`.slice(0, 300),
            mediaType: d.mediaType,
            size: d.size,
            sha256: d.sha256,
            filename: d.filename,
            createdBy: reply.recordedBy,
          });
        }
        await recordDataRequestAnswer(em, {
          requestId: input.requestId,
          text: reply.text,
          documentId: reply.document?.documentId ?? null,
          answeredBy: reply.recordedBy,
        });
        await appendEvent(em, input.reportId, {
          key: input.key,
          type: 'data_reply_received',
          actor: reply.recordedBy,
          message: `Odpowiedź na prośbę o dane (${input.recipientName}): ${reply.text}${reply.document ? ` [załącznik: ${reply.document.filename}]` : ''}`,
          data: { requestId: input.requestId, documentId: reply.document?.documentId ?? null },
        });
      });
    },
  };
}

export type DataRequestActivities = ReturnType<typeof createDataRequestActivities>;
