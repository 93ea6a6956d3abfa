import { createHash } from 'node:crypto';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import { CaseDocumentSchema, CaseSchema, OutboxMailSchema, UnitSchema, VoivodeshipOfficeSchema, type Case } from '../db/entities';
import { ensureLetter, letterCaseScope } from '../db/queries/letters';
import { insertPendingOutboxMailOnce, markOutboxMailFailed, markOutboxMailSent, storedOutboxMail } from '../db/queries/mail';
import { letterKindOf, type LetterKind } from '../domain/letters';
import { getBlob } from '../lib/blobs';
import { letterIdFor, letterLink } from '../lib/letters';
import type { Mailer } from '../lib/mailer';
import { htmlToText, renderMail, type Templates } from '../lib/templates';
import type { RegistrationApplication } from '../workflows/messages';
import { appendEvent } from './cases';

export interface MailDeps {
  orm: MikroORM;
  mailer: Mailer;
  templates: Templates;
  from: string;
  publicUrl: string;
}

export interface CaseMailInput {
  /** Idempotency key: one mail per key, however often the activity runs. */
  key: string;
  caseId: string;
  template: string;
  recipient: 'applicant';
  vars?: Record<string, unknown>;
  attachDocumentIds?: string[];
  event?: { type: string; message: string };
}

export interface OutgoingMail {
  key: string;
  caseId: string | null;
  to: string;
  template: string;
  subject: string;
  html: string;
  text: string;
  /** The mail carries a secret: its body is sent but never stored. */
  redacted?: boolean;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
  /** The mail is a letter of the office (domain/letters.ts): it carries the link whose opening is confirmed. */
  letter?: { kind: LetterKind; publicUrl: string };
}

/** The letter a mail of this template is, if it is one (domain/letters.ts). */
export function asLetter(template: string, publicUrl: string, noticeKind?: unknown): OutgoingMail['letter'] {
  const kind = letterKindOf(template, noticeKind);
  return kind ? { kind, publicUrl } : undefined;
}

/**
 * seed 003 (UWAGI: "urząd otrzymuje elektroniczne poświadczenie odbioru pisma"): a letter is recorded
 * once with its addressee's address, and its mail carries the link to the letter in obieg, whose first
 * opening by the addressee is confirmed to the sender (api/letters).
 */
async function withLetter(em: EntityManager, mail: OutgoingMail & { caseId: string; letter: NonNullable<OutgoingMail['letter']> }): Promise<OutgoingMail> {
  const scope = await letterCaseScope(em, mail.caseId);
  if (!scope) throw new Error(`letter of ${mail.caseId}: no case or CSIZS connection`);
  let sender: string;
  if (mail.letter.kind === 'data-request') {
    const unit = await em.findOne(UnitSchema, { code: scope.unitCode });
    sender = unit ? `${unit.name} (${unit.nameExtra})` : `Jednostka ${scope.unitCode}`;
  } else {
    const office = await em.findOne(VoivodeshipOfficeSchema, { voivodeship: scope.voivodeship });
    sender = office?.name ?? `Urząd Wojewódzki (województwo ${scope.voivodeship})`;
  }
  const letter = await ensureLetter(em, { id: letterIdFor(mail.key), mailId: mail.key, caseId: mail.caseId, kind: mail.letter.kind, subject: mail.subject, sender, addresseeEmail: mail.to });
  const url = letterLink(mail.letter.publicUrl, letter.id, letter.linkKey);
  const note =
    `<p><strong>Pismo w systemie obieg:</strong> <a href="${url}">${url}</a><br>` +
    'Otwarcie pisma w systemie potwierdza nadawcy jego doręczenie (urzędowe poświadczenie doręczenia z datą i godziną otwarcia).</p>\n';
  const footer = mail.html.lastIndexOf('<p style="color:#555');
  const html = footer >= 0 ? `${mail.html.slice(0, footer)}${note}${mail.html.slice(footer)}` : `${mail.html}\n${note}`;
  return { ...mail, html, text: htmlToText(html) };
}

const messageIdFor = (key: string) => `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@obieg>`;

export function recipientOf(c: Case, recipient: CaseMailInput['recipient']): string {
  if (recipient === 'applicant') return (c.data.application as RegistrationApplication).applicant.email;
  throw new Error(`unknown recipient ${recipient as string}`);
}

/**
 * Records the mail in the outbox first, then sends it; a mail already marked sent is never sent again.
 * Returns false when it was already sent. A failure is recorded and rethrown so Temporal retries it.
 */
export async function deliver(em: EntityManager, mailer: Mailer, from: string, outgoing: OutgoingMail): Promise<boolean> {
  const existing = await em.findOne(OutboxMailSchema, { id: outgoing.key });
  if (existing?.status === 'sent') return false;
  const mail = outgoing.letter && outgoing.caseId ? await withLetter(em, { ...outgoing, caseId: outgoing.caseId, letter: outgoing.letter }) : outgoing;
  const messageId = messageIdFor(mail.key);
  if (!existing) {
    await insertPendingOutboxMailOnce(em, {
      id: mail.key,
      caseId: mail.caseId,
      recipient: mail.to,
      subject: mail.subject,
      template: mail.template,
      html: mail.redacted ? null : mail.html,
      text: mail.redacted ? null : mail.text,
      redacted: !!mail.redacted,
      messageId,
    });
  }
  try {
    await mailer.sendMail({ from, to: mail.to, subject: mail.subject, html: mail.html, text: mail.text, messageId, attachments: mail.attachments });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    await markOutboxMailFailed(em, mail.key, reason.slice(0, 1000));
    throw err;
  }
  await markOutboxMailSent(em, mail.key);
  return true;
}

/** Delivers a mail about a case and, when it went out now, records that in the case history. */
export async function deliverCaseMail(
  em: EntityManager,
  mailer: Mailer,
  from: string,
  mail: OutgoingMail & { caseId: string },
  event?: { type: string; message: string },
): Promise<boolean> {
  const sent = await deliver(em, mailer, from, mail);
  if (sent && event) await appendEvent(em, mail.caseId, { key: `${mail.key}:sent`, actor: 'system', ...event, data: { mail: mail.key } });
  return sent;
}

/** A mail about a case to one account, at its registered address. */
export interface AccountCaseMailInput {
  /** Idempotency key: one mail per key, however often the activity runs. */
  key: string;
  caseId: string;
  accountId: string;
  template: string;
  vars?: Record<string, unknown>;
  event?: { type: string; message: string };
}

/** The link to a case that mails carry. */
export const caseLink = (publicUrl: string, caseId: string) => `${publicUrl.replace(/\/$/, '')}/api/cases/${encodeURIComponent(caseId)}`;

export function createMailActivities({ orm, mailer, templates, from, publicUrl }: MailDeps) {
  return {
    async sendCaseMail(input: CaseMailInput): Promise<void> {
      const em = orm.em.fork();
      const c = await em.findOneOrFail(CaseSchema, { id: input.caseId });
      // seed 000: where the applicant sends the signed scan (the voivodeship office's ePUAP box and mailbox).
      const office = await em.findOne(VoivodeshipOfficeSchema, { voivodeship: c.voivodeship });
      const content = renderMail(templates, input.template, { case: c, application: c.data.application, publicUrl, office, ...input.vars });
      const attachments = [];
      for (const id of input.attachDocumentIds ?? []) {
        const doc = await em.findOneOrFail(CaseDocumentSchema, { id });
        const blob = await getBlob(em, doc.sha256);
        if (!blob) throw new Error(`document ${id} has no content`);
        attachments.push({ filename: doc.filename, content: blob, contentType: doc.mediaType });
      }
      await deliverCaseMail(
        em,
        mailer,
        from,
        { key: input.key, caseId: input.caseId, to: recipientOf(c, input.recipient), template: input.template, ...content, attachments, letter: asLetter(input.template, publicUrl) },
        input.event,
      );
    },
  };
}

export type MailActivities = ReturnType<typeof createMailActivities>;

/** An operator's resend of a stored mail (never one that carried a secret). */
export function createMailResendActivities({ orm, mailer, from }: Pick<MailDeps, 'orm' | 'mailer' | 'from'>) {
  return {
    async resendOutboxMail(input: { mailId: string }): Promise<void> {
      const em = orm.em.fork();
      const rows = await storedOutboxMail(em, input.mailId);
      const m = rows[0];
      if (!m || m.redacted || m.html === null) return;
      try {
        await mailer.sendMail({ from, to: m.recipient, subject: m.subject, html: m.html, text: m.text ?? undefined, messageId: m.message_id });
      } catch (err) {
        await markOutboxMailFailed(em, input.mailId, String(err instanceof Error ? err.message : err).slice(0, 1000));
        throw err;
      }
      await markOutboxMailSent(em, input.mailId);
    },
  };
}
