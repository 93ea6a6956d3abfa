import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AccountSchema, CaseSchema } from '../db/entities';
import type { Mailer } from '../lib/mailer';
import { renderMail, type Templates } from '../lib/templates';
import { appendEvent } from './cases';
import { caseLink, deliverCaseMail, type AccountCaseMailInput } from './mail';

export interface IdentityMergeDeps {
  orm: MikroORM;
  mailer: Mailer;
  templates: Templates;
  from: string;
  publicUrl: string;
}

export interface MergeAccountsInput {
  caseId: string;
  runId: string;
  survivorId: string;
  otherId: string;
}

export interface MergeCounts {
  assignmentsMoved: number;
  assignmentsSkipped: number;
  eventsMoved: number;
  tasksMoved: number;
  casesMoved: number;
  tokensRevoked: number;
  sessionsEnded: number;
}

export type MergeAccountsResult = ({ merged: true } & MergeCounts) | { merged: false; reason: string };

export type IdentityMergeMailInput = AccountCaseMailInput;

// em.execute, not em.getConnection().execute: only the former runs inside the em's transaction.
const run = async (em: EntityManager, sql: string, params: unknown[]): Promise<number> =>
  ((await em.execute(sql, params, 'run')) as { affectedRows?: number }).affectedRows ?? 0;

export function createIdentityMergeActivities({ orm, mailer, templates, from, publicUrl }: IdentityMergeDeps) {
  return {
    /**
     * Merges the other account into the survivor in one transaction: roles (a role the survivor already
     * holds is dropped, not doubled), history and tasks, the cases about it; its tokens are revoked, its
     * sessions ended, and it is marked merged so it can no longer sign in. A retry after the commit finds
     * the account merged into the survivor and changes nothing.
     */
    async mergeAccounts(input: MergeAccountsInput): Promise<MergeAccountsResult> {
      const eventKey = `${input.caseId}:${input.runId}:accounts-merged`;
      return orm.em.fork().transactional(async (em) => {
        const rows = await em.execute<{ id: string; login: string; status: string; merged_into: string | null }[]>(
          'select id, login, status, merged_into from accounts where id in (?, ?) order by id for update',
          [input.survivorId, input.otherId],
        );
        const survivor = rows.find((r) => r.id === input.survivorId);
        const other = rows.find((r) => r.id === input.otherId);
        if (!survivor || !other) return { merged: false, reason: 'jedno z kont już nie istnieje' };
        if (other.status === 'merged' && other.merged_into === survivor.id) {
          const [done] = await em.execute<{ data: MergeCounts | string }[]>('select data from case_events where idempotency_key = ?', [eventKey]);
          const counts = typeof done?.data === 'string' ? (JSON.parse(done.data) as MergeCounts) : done?.data;
          return { merged: true, ...(counts ?? zeroCounts) };
        }
        for (const a of [survivor, other]) {
          if (a.status !== 'active') return { merged: false, reason: `konto ${a.login} nie jest już aktywne` };
        }

        // role_assignments is unique (nulls not distinct) on account, role, voivodeship, unit and area.
        const assignmentsMoved = await run(
          em,
          `update role_assignments r set account_id = ? where r.account_id = ? and not exists (
             select 1 from role_assignments s where s.account_id = ? and s.role = r.role
               and s.voivodeship is not distinct from r.voivodeship and s.unit_code is not distinct from r.unit_code
               and s.area is not distinct from r.area)`,
          [survivor.id, other.id, survivor.id],
        );
        const assignmentsSkipped = await run(em, 'delete from role_assignments where account_id = ?', [other.id]);
        // Every past action of the person is attributed to the surviving login. This merge case keeps its
        // own history as it happened: it must show that the other account itself confirmed.
        const eventsMoved = await run(em, 'update case_events set actor = ? where actor = ? and case_id <> ?', [survivor.login, other.login, input.caseId]);
        const tasksMoved = await run(em, 'update tasks set completed_by = ? where completed_by = ? and case_id <> ?', [survivor.login, other.login, input.caseId]);
        const casesMoved = await run(em, 'update cases set account_id = ?, updated_at = now() where account_id = ?', [survivor.id, other.id]);
        const tokensRevoked = await run(em, 'update api_tokens set revoked_at = now() where account_id = ? and revoked_at is null', [other.id]);
        const sessionsEnded = await run(em, "update sessions set ended_at = now(), end_reason = 'merged' where account_id = ? and ended_at is null", [other.id]);
        // Accounts merged into the other one earlier now point at the survivor directly.
        await run(em, 'update accounts set merged_into = ?, updated_at = now() where merged_into = ?', [survivor.id, other.id]);
        await run(em, "update accounts set status = 'merged', merged_into = ?, updated_at = now() where id = ?", [survivor.id, other.id]);

        const counts: MergeCounts = { assignmentsMoved, assignmentsSkipped, eventsMoved, tasksMoved, casesMoved, tokensRevoked, sessionsEnded };
        const message =
          `Scalono konto ${other.login} z kontem ${survivor.login}: przeniesiono uprawnienia (${assignmentsMoved}; ` +
          `pominięto powtórzone: ${assignmentsSkipped}) i historię działań; unieważniono tokeny (${tokensRevoked}) ` +
          `i zakończono sesje (${sessionsEnded}) konta ${other.login}, które nie może się już logować`;
        // In the same transaction as the merge: the event is its receipt.
        await appendEvent(em, input.caseId, { key: eventKey, type: 'accounts_merged', actor: 'system', message, data: { ...counts } });
        return { merged: true, ...counts };
      });
    },

    /** A mail about a merge case to one of its two accounts. */
    async sendIdentityMergeMail(input: IdentityMergeMailInput): Promise<void> {
      const em = orm.em.fork();
      const c = await em.findOneOrFail(CaseSchema, { id: input.caseId });
      const account = await em.findOneOrFail(AccountSchema, { id: input.accountId });
      const content = renderMail(templates, input.template, {
        case: c,
        account,
        login: account.login,
        merge: c.data,
        caseUrl: caseLink(publicUrl, c.id),
        publicUrl,
        ...input.vars,
      });
      await deliverCaseMail(em, mailer, from, { key: input.key, caseId: input.caseId, to: account.email, template: input.template, ...content }, input.event);
    },
  };
}

const zeroCounts: MergeCounts = { assignmentsMoved: 0, assignmentsSkipped: 0, eventsMoved: 0, tasksMoved: 0, casesMoved: 0, tokensRevoked: 0, sessionsEnded: 0 };

export type IdentityMergeActivities = ReturnType<typeof createIdentityMergeActivities>;
