import { z } from 'zod';
import { text } from '../text';
import {
  IdentityMergeErrorTypes,
  confirmIdentityMerge,
  identityMergeWorkflowId,
  type IdentityMergeInput,
} from '../../workflows/messages';
import { IDENTITY_MERGE_STATUS_LABELS, identityMergeWaitingFor, mergeRequestRefusal, mergeScope, type ScopeAssignment } from '../../workflows/rules/identity-merge';
import { canOnCase, forbid } from '../access';
import { findCase } from '../case-view';
import type { ApiDeps } from '../deps';
import { HttpError, notFound } from '../errors';
import type { Api } from '../http';
import { caseCreated, caseIdParams } from '../cases/schemas';
import { mapWorkflowError } from '../temporal-errors';
import { caseUrl, openCaseStatus, startCaseWorkflow } from '../cases/start';

const mergeBody = z
  .object({ otherLogin: text(100).meta({ description: 'Login of the duplicate account to merge into the signed-in one' }) })
  .strict();

export function registerIdentityMergeRoutes(api: Api, { orm, temporal, config }: ApiDeps): void {
  api.route(
    {
      method: 'post',
      path: '/api/identity-merges',
      summary:
        'Ask to merge a duplicate account of yours into the signed-in account, which survives; the other account confirms, an administrator approves. Returns the open case when one exists',
      tag: 'identity-merge',
      auth: 'signed-in',
      audit: 'identity_merge_requested',
      body: mergeBody,
      responses: {
        201: { description: 'Case created', schema: caseCreated },
        200: { description: 'An open merge of these two accounts already exists', schema: caseCreated },
      },
    },
    async ({ body, principal, res }) => {
      const me = principal!;
      const conn = orm.em.fork().getConnection();
      const [other] = await conn.execute<{ id: string; status: string }[]>('select id, status from accounts where login = ?', [body.otherLogin]);
      const refusal = mergeRequestRefusal({ id: me.accountId, login: me.login }, other ?? null, body.otherLogin);
      if (refusal) throw new HttpError(refusal.status, refusal.code, refusal.message, [{ path: 'body.otherLogin', message: refusal.message }]);

      const caseId = identityMergeWorkflowId(me.accountId, other.id);
      const url = caseUrl(caseId);
      const existing = await openCaseStatus(temporal, caseId, 'awaiting_confirmation');
      if (existing) {
        res.status(200).json({ id: caseId, created: false, status: existing, url });
        return;
      }
      // An account takes part in one merge at a time, as survivor or as the account merged away.
      const open = await conn.execute(
        `select 1 from cases where type = 'identity-merge' and closed_at is null and id <> ?
           and (account_id in (?, ?) or data->>'otherAccountId' in (?, ?)) limit 1`,
        [caseId, me.accountId, other.id, me.accountId, other.id],
      );
      if (open.length) {
        throw new HttpError(409, 'MERGE_ALREADY_OPEN', 'Jedno z tych kont uczestniczy już w innym otwartym wniosku o scalenie; poczekaj na jego zakończenie');
      }

      const assignments = await conn.execute<ScopeAssignment[]>(
        'select role, voivodeship, unit_code as "unitCode" from role_assignments where account_id = ? order by created_at, id',
        [me.accountId],
      );
      const scope = mergeScope(assignments);
      const input: IdentityMergeInput = {
        caseId,
        survivorId: me.accountId,
        survivorLogin: me.login,
        otherId: other.id,
        otherLogin: body.otherLogin,
        unitCode: scope.unitCode,
        voivodeship: scope.voivodeship,
        approver: scope.approver,
        policy: { confirmationDays: config.MERGE_CONFIRMATION_DAYS },
      };
      await startCaseWorkflow(temporal, config, {
        workflowType: 'identityMergeWorkflow',
        caseId,
        args: [input],
        caseType: 'identity-merge',
        unitCode: scope.unitCode,
        voivodeship: scope.voivodeship,
        status: 'awaiting_confirmation',
      }, { em: orm.em.fork(), title: `Scalenie kont: ${input.otherLogin} → ${input.survivorLogin}`, waitingFor: identityMergeWaitingFor('awaiting_confirmation'), accountId: input.survivorId, data: { survivorAccountId: input.survivorId, survivorLogin: input.survivorLogin, otherAccountId: input.otherId, otherLogin: input.otherLogin } });
      res.status(201).location(url).json({ id: caseId, created: true, status: 'awaiting_confirmation', url });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/identity-merges/:caseId/confirm',
      summary: 'Confirm a merge as the account being merged away (signed in as that account); the case then awaits approval',
      tag: 'identity-merge',
      auth: 'signed-in',
      audit: 'identity_merge_confirmed',
      params: caseIdParams,
      responses: { 200: { description: 'Confirmed', schema: z.object({ caseId: z.string(), status: z.string() }) } },
    },
    async ({ params, principal, res }) => {
      const c = await findCase(orm.em.fork(), params.caseId);
      if (!c || c.type !== 'identity-merge') throw notFound(`wniosek o scalenie kont ${params.caseId}`);
      if (!canOnCase(principal!, 'confirm-merge', c)) forbid();
      if (c.closedAt) {
        throw new HttpError(409, IdentityMergeErrorTypes.notAwaitingConfirmation, `Wniosek o scalenie jest zakończony (${IDENTITY_MERGE_STATUS_LABELS[c.status as keyof typeof IDENTITY_MERGE_STATUS_LABELS] ?? c.status})`);
      }
      const view = await temporal.workflow
        .getHandle(c.id)
        .executeUpdate(confirmIdentityMerge, { args: [{ accountId: principal!.accountId, confirmedBy: principal!.login }] })
        .catch(mapWorkflowError);
      res.json({ caseId: c.id, status: view.status });
    },
  );
}
