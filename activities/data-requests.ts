import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseSchema } from '../db/entities';
import { renderMail } from '../lib/templates';
import type { DataReply } from '../workflows/messages';
import { appendEvent, type CaseEventInput } from './cases';
import type { ActivityDeps } from './deps';
import { deliver } from './mail';

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
    await deliver(em, mailer, mailFrom, { key: mail.key, caseId: reportId, to: mail.to, template: 'report-data-request', ...content });
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
        await em.execute(
          `insert into report_data_requests (id, report_id, recipient_name, subject, due_date, status, overdue, requested_by, created_at)
           values (?, ?, ?, ?, ?, 'open', false, ?, now()) on conflict (id) do nothing`,
          [input.requestId, input.reportId, input.recipientName, input.subject, input.dueDate, input.requestedBy],
        );
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
        await t.execute('update report_data_requests set reminders = reminders + 1 where id = ? and reminders = 0', [input.requestId]);
        await appendEvent(t, input.reportId, { ...input.event, data: { requestId: input.requestId } });
      });
    },

    /** Cancelled (status) or late (overdue): the request's row and the report's history. */
    async closeDataRequest(input: { requestId: string; reportId: string; status: 'cancelled' | null; overdue?: boolean; key: string; actor: string; message: string }): Promise<void> {
      await tx(async (em) => {
        if (input.status) await em.execute('update report_data_requests set status = ?, closed_at = now() where id = ?', [input.status, input.requestId]);
        if (input.overdue) await em.execute('update report_data_requests set overdue = true where id = ?', [input.requestId]);
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
          await em.execute(
            `insert into documents (id, case_id, kind, title, media_type, size, sha256, filename, source, created_by, created_at)
             values (?, ?, 'data-reply', ?, ?, ?, ?, ?, 'email', ?, now()) on conflict (id) do nothing`,
            [d.documentId, input.reportId, `Odpowiedź na prośbę o dane: ${input.recipientName}`.slice(0, 300), d.mediaType, d.size, d.sha256, d.filename, reply.recordedBy],
          );
        }
        await em.execute(
          `update report_data_requests set status = 'answered', answer_text = ?, document_id = ?, answered_by = ?, closed_at = now() where id = ?`,
          [reply.text, reply.document?.documentId ?? null, reply.recordedBy, input.requestId],
        );
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
