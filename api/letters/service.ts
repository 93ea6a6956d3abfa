import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { AccountSchema, CaseSchema } from '../../db/entities';
import { letterById, letterCaseScope, lettersOfCase, recordLetterOpening, type LetterRow } from '../../db/queries/letters';
import { LETTER_KIND_LABELS, openingDecision, type LetterKind } from '../../domain/letters';
import { sameLetterKey } from '../../lib/letters';
import type { Logger } from '../../lib/logger';
import { startWorkflow } from '../../lib/workflow-types';
import { canOnCase, canOnCsizs, type Principal } from '../access';
import { HttpError } from '../errors';
import type { LetterView } from './schemas';

// seed 003 (003_ac9166c2b11efdcf.txt, UWAGI): "Rozpakowanie paczki otrzymanej z urzędu również wymaga użycia
// podpisu elektronicznego, w ten sposób urząd otrzymuje elektroniczne poświadczenie odbioru pisma". The one
// code path of the letter's page (/pisma/:letterId), its form and their API twins: who may see a letter,
// whether this look at it is its addressee's first opening, and recording that once.

const iso = (d: Date | string) => new Date(d).toISOString();

/** Where the confirmation's PDF is downloaded: among the case's documents, or the CSIZS unit's. */
type DocumentBase = (documentId: string) => string;
const caseDocuments = (caseId: string): DocumentBase => (d) => `/api/cases/${encodeURIComponent(caseId)}/documents/${encodeURIComponent(d)}`;
const csizsDocuments = (campaignId: string, unitCode: string): DocumentBase => (d) =>
  `/api/csizs-campaigns/${encodeURIComponent(campaignId)}/units/${encodeURIComponent(unitCode)}/documents/${encodeURIComponent(d)}`;

export function caseLetterOf(l: LetterRow, documentUrl: DocumentBase = caseDocuments(l.case_id)) {
  return {
    id: l.id,
    caseId: l.case_id,
    kind: l.kind,
    kindLabel: LETTER_KIND_LABELS[l.kind as LetterKind] ?? l.kind,
    subject: l.subject,
    sender: l.sender,
    sentAt: iso(l.created_at),
    opened: l.opened_at ? { at: iso(l.opened_at), by: l.opened_by ?? '', via: l.opened_via ?? '' } : null,
    confirmation:
      l.confirmation_number && l.confirmation_document_id
        ? { number: l.confirmation_number, documentId: l.confirmation_document_id, url: documentUrl(l.confirmation_document_id) }
        : null,
  };
}

export interface LetterDeps {
  orm: MikroORM;
  temporal: Client;
  taskQueue: string;
  log: Logger;
}

/**
 * Opens a letter for whoever asks: its addressee (signed in with the address it went to, or through the
 * mail's link without another person's session) opens it, recorded the first time with the instant of the
 * request; anybody else who may see its case reads it without recording anything.
 */
export async function openLetter(deps: LetterDeps, input: { letterId: string; principal: Principal | null; key?: string; peek?: boolean }): Promise<LetterView> {
  const em = deps.orm.em.fork();
  const l = await letterById(em, input.letterId);
  const notFound = () => new HttpError(404, 'NOT_FOUND', 'Nie ma takiego pisma albo odnośnik jest niepełny: skorzystaj z odnośnika z wiadomości e-mail');
  if (!l) throw notFound();
  const linkKeyValid = !!input.key && sameLetterKey(input.key, l.link_key);
  let email: string | null = null;
  let mayViewCase = false;
  if (input.principal) {
    email = (await em.findOne(AccountSchema, { id: input.principal.accountId }))?.email ?? null;
    const c = await em.findOne(CaseSchema, { id: l.case_id });
    // A CSIZS connection has no case row: its unit's page decides who sees it (seed 004).
    const csizs = c ? null : await letterCaseScope(em, l.case_id);
    mayViewCase = c ? canOnCase(input.principal, 'view', c) : !!csizs && canOnCsizs(input.principal, 'view-unit', csizs);
  }
  const scope = await letterCaseScope(em, l.case_id);
  const documentUrl = scope?.csizsCampaignId ? csizsDocuments(scope.csizsCampaignId, scope.unitCode) : caseDocuments(l.case_id);
  const decision = openingDecision(l.addressee_email, { email: input.principal ? (email ?? '') : null, mayViewCase, linkKeyValid });
  if (decision === 'refuse') {
    if (input.principal) throw new HttpError(403, 'FORBIDDEN', 'To pismo nie jest adresowane do Ciebie i jego sprawa jest poza Twoim zakresem');
    throw notFound();
  }
  let openedNow = false;
  // The mail's link shown without a session: the page asks first ("Otwórz pismo"), so that a mail scanner
  // following the link confirms nothing; until then the letter's text is not shown.
  if (decision === 'record' && !l.opened_at && input.peek) return { ...caseLetterOf(l, documentUrl), text: null, openedNow: false };
  if (decision === 'record' && !l.opened_at) {
    const by = input.principal?.login ?? l.addressee_email;
    openedNow = (await recordLetterOpening(em, l.id, by, input.principal ? input.principal.via : 'link')) !== null;
  }
  const current = openedNow ? ((await letterById(em, l.id)) ?? l) : l;
  if (current.opened_at && !current.confirmation_number) await startConfirmation(deps, current.id);
  const [mail] = await em.execute<{ text: string | null; redacted: boolean }[]>('select text, redacted from outbox where id = ?', [l.mail_id]);
  // The mail's link carries the addressee's key: whoever reads the letter here (its sender too) never gets it.
  const text = mail && !mail.redacted && mail.text !== null ? mail.text.split(l.link_key).join('…') : null;
  return { ...caseLetterOf(current, documentUrl), text, openedNow };
}

/**
 * The confirmation's PDF comes from the worker (deliveryConfirmationWorkflow). Started once per letter; if
 * Temporal cannot be reached now, the next look at the opened letter (its addressee's or its sender's)
 * starts it again.
 */
async function startConfirmation(deps: LetterDeps, letterId: string): Promise<void> {
  try {
    await startWorkflow(deps.temporal, 'deliveryConfirmationWorkflow', { workflowId: `letter-opened-${letterId}`, taskQueue: deps.taskQueue, args: [{ letterId }] });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    deps.log.warn('delivery confirmation not started; the next look at the letter starts it', { letterId, err: err instanceof Error ? err.name : 'unknown' });
  }
}

export const lettersOfCaseView = async (em: EntityManager, caseId: string) => (await lettersOfCase(em, caseId)).map((l) => caseLetterOf(l));
