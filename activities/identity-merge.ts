import type { MikroORM } from '@mikro-orm/postgresql';
import { AccountSchema, CaseSchema } from '../db/entities';
import {
  deleteRoleAssignmentsOf,
  endSessionsAsMerged,
  eventDataByKey,
  lockAccountsForMerge,
  markAccountMerged,
  moveCasesOfAccount,
  moveRoleAssignments,
  reattributeActorEverywhereExcept,
  repointMergedAccounts,
  revokeApiTokensOf,
} from '../db/queries/accounts';
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
        const rows = await lockAccountsForMerge(em, input.survivorId, input.otherId);
        const survivor = rows.find((r) => r.id === input.survivorId);
        const other = rows.find((r) => r.id === input.otherId);
        if (!survivor || !other) return { merged: false, reason: 'jedno z kont już nie istnieje' };
        if (other.status === 'merged' && other.merged_into === survivor.id) {
          const [done] = await eventDataByKey<MergeCounts>(em, eventKey);
          const counts = typeof done?.data === 'string' ? (JSON.parse(done.data) as MergeCounts) : done?.data;
          return { merged: true, ...(counts ?? zeroCounts) };
        }
        for (const a of [survivor, other]) {
          if (a.status !== 'active') return { merged: false, reason: `konto ${a.login} nie jest już aktywne` };
        }

        const assignmentsMoved = await moveRoleAssignments(em, survivor.id, other.id);
        const assignmentsSkipped = await deleteRoleAssignmentsOf(em, other.id);
        // Every past action of the person is attributed to the surviving login. This merge case keeps its
        // own history as it happened: it must show that the other account itself confirmed.
        const { events: eventsMoved, tasks: tasksMoved } = await reattributeActorEverywhereExcept(em, survivor.login, other.login, input.caseId);
        const casesMoved = await moveCasesOfAccount(em, survivor.id, other.id);
        const tokensRevoked = await revokeApiTokensOf(em, other.id);
        const sessionsEnded = await endSessionsAsMerged(em, other.id);
        // Accounts merged into the other one earlier now point at the survivor directly.
        await repointMergedAccounts(em, survivor.id, other.id);
        await markAccountMerged(em, other.id, survivor.id);

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
