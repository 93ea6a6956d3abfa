import type { EntityManager } from '@mikro-orm/postgresql';
import { newLetterLinkKey } from '../../lib/letters';

// Letters of the office and their addressees' openings (seed 003; db/entities/letters.ts).

export interface LetterRow {
  id: string;
  mail_id: string;
  case_id: string;
  kind: string;
  subject: string;
  sender: string;
  addressee_email: string;
  link_key: string;
  created_at: Date;
  opened_at: Date | null;
  opened_by: string | null;
  opened_via: string | null;
  confirmation_number: string | null;
  confirmation_document_id: string | null;
}

/** The letter of a mail, once: a retried send gets the same letter and the same link key. */
export async function ensureLetter(
  em: EntityManager,
  l: { id: string; mailId: string; caseId: string; kind: string; subject: string; sender: string; addresseeEmail: string },
): Promise<{ id: string; linkKey: string }> {
  await em.execute(
    `insert into letters (id, mail_id, case_id, kind, subject, sender, addressee_email, link_key, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict do nothing`,
    [l.id, l.mailId, l.caseId, l.kind, l.subject.slice(0, 300), l.sender.slice(0, 300), l.addresseeEmail, newLetterLinkKey()],
  );
  const [row] = await em.execute<{ link_key: string }[]>('select link_key from letters where id = ?', [l.id]);
  return { id: l.id, linkKey: row.link_key };
}

export async function letterById(em: EntityManager, id: string): Promise<LetterRow | null> {
  const [row] = await em.execute<LetterRow[]>('select * from letters where id = ?', [id]);
  return row ?? null;
}

export const lettersOfCase = (em: EntityManager, caseId: string): Promise<LetterRow[]> =>
  em.execute<LetterRow[]>('select * from letters where case_id = ? order by created_at, id', [caseId]);

/** The first opening, once: a later (or concurrent) opening changes nothing and gets null. */
export async function recordLetterOpening(em: EntityManager, id: string, by: string, via: 'session' | 'token' | 'link'): Promise<Date | null> {
  const rows = await em.execute<{ opened_at: Date }[]>(
    'update letters set opened_at = now(), opened_by = ?, opened_via = ? where id = ? and opened_at is null returning opened_at',
    [by.slice(0, 254), via, id],
  );
  return rows[0]?.opened_at ?? null;
}

/** The confirmation's number and PDF, once. */
export async function setLetterConfirmation(em: EntityManager, id: string, number: string, documentId: string): Promise<void> {
  await em.execute('update letters set confirmation_number = ?, confirmation_document_id = ? where id = ? and confirmation_number is null', [number, documentId, id]);
}

/** Where a letter's case lies: a case row, or a CSIZS connection (its workflow has no case row). */
export async function letterCaseScope(em: EntityManager, caseId: string): Promise<{ voivodeship: string; unitCode: string; csizsCampaignId: string | null } | null> {
  const rows = await em.execute<{ voivodeship: string; unit_code: string; campaign_id: string | null }[]>(
    `select voivodeship, unit_code, null as campaign_id from cases where id = ?
     union all select voivodeship, unit_code, campaign_id from csizs_units where workflow_id = ? limit 1`,
    [caseId, caseId],
  );
  return rows[0] ? { voivodeship: rows[0].voivodeship, unitCode: rows[0].unit_code, csizsCampaignId: rows[0].campaign_id } : null;
}
