import { z } from 'zod';
import { multilineText } from '../text';
import { REPORTING_AREAS, permissionRequestWorkflowId, type PermissionRequestInput } from '../../workflows/messages';
import { alreadyHolds, permissionCaseTitle, permissionWaitingFor } from '../../workflows/rules/permission';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';
import type { Api } from '../http';
import { caseCreated } from '../cases/schemas';
import { terytCode } from '../registration/schemas';
import { caseUrl, openCaseStatus, reportingUnit, startCaseWorkflow } from '../cases/start';

export const permissionRequestBody = z
  .object({
    unitCode: terytCode,
    area: z.enum(REPORTING_AREAS),
    justification: multilineText(1000, { min: 0 }).optional().meta({ description: 'Why the permission is needed; shown to the voivodeship administrator' }),
  })
  .strict();

export function registerPermissionRoutes(api: Api, { orm, temporal, config }: ApiDeps) {
  const request = api.action(
    {
      method: 'post',
      path: '/api/permission-requests',
      summary: 'Ask for staff rights in another reporting area of a unit, or in another unit (seed 000); returns the open case when one exists',
      tag: 'permissions',
      auth: 'signed-in',
      audit: 'permission_requested',
      body: permissionRequestBody,
      responses: {
        201: { description: 'Case created', schema: caseCreated },
        200: { description: 'An open request for the same unit and area already exists', schema: caseCreated },
      },
    },
    async ({ body, principal, res }) => {
      const unit = await reportingUnit(orm.em.fork(), body.unitCode, 'body.unitCode');
      const target = { unitCode: body.unitCode, area: body.area };
      if (alreadyHolds(principal!.assignments, target)) {
        throw new HttpError(409, 'PERMISSION_ALREADY_HELD', `Masz już uprawnienia do obszaru ${body.area} w jednostce ${body.unitCode}`, [
          { path: 'body.area', message: 'Uprawnienie już nadane' },
        ]);
      }
      const caseId = permissionRequestWorkflowId(principal!.accountId, target);
      const url = caseUrl(caseId);
      const open = await openCaseStatus(temporal, caseId, 'awaiting_decision');
      if (open) return { id: caseId, created: false, status: open, url };
      const input: PermissionRequestInput = {
        caseId,
        accountId: principal!.accountId,
        requesterLogin: principal!.login,
        target,
        voivodeship: unit.voivodeship,
        unitName: `${unit.name} (${unit.nameExtra})`,
        justification: body.justification || null,
        policy: { reminderAfterDays: [...config.PERMISSION_REMINDER_DAYS], expireAfterDays: config.PERMISSION_EXPIRY_DAYS },
      };
      await startCaseWorkflow(temporal, config, {
        workflowType: 'permissionRequestWorkflow',
        caseId,
        args: [input],
        caseType: 'permission',
        unitCode: body.unitCode,
        voivodeship: unit.voivodeship,
        status: 'awaiting_decision',
      }, { em: orm.em.fork(), title: permissionCaseTitle(target, input.unitName, input.requesterLogin), waitingFor: permissionWaitingFor('awaiting_decision'), accountId: input.accountId, data: { target, justification: input.justification } });
      res.location(url);
      return { id: caseId, created: true, status: 'awaiting_decision', url };
    },
    [],
    (r) => (r.created ? 201 : 200),
  );
  return { request };
}
