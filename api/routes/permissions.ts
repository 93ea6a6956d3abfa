import { WorkflowNotFoundError } from '@temporalio/common';
import { z } from 'zod';
import { UnitSchema } from '../../db/entities';
import { REPORTING_AREAS, SA, permissionRequestWorkflowId, type PermissionRequestInput } from '../../workflows/messages';
import { alreadyHolds } from '../../workflows/rules/permission';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';
import type { Api } from '../http';
import { caseCreated, terytCode } from '../schemas';

export const permissionRequestBody = z
  .object({
    unitCode: terytCode,
    area: z.enum(REPORTING_AREAS),
    justification: z.string().trim().max(1000).optional().meta({ description: 'Why the permission is needed; shown to the voivodeship administrator' }),
  })
  .strict();

export function registerPermissionRoutes(api: Api, { orm, temporal, config }: ApiDeps): void {
  api.route(
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
      const em = orm.em.fork();
      const unit = await em.findOne(UnitSchema, { code: body.unitCode, kind: { $in: ['gmina', 'powiat'] } });
      if (!unit) {
        throw new HttpError(422, 'UNKNOWN_UNIT', 'Nie ma gminy ani powiatu o takim kodzie TERYT', [
          { path: 'body.unitCode', message: `Kod ${body.unitCode} nie występuje w rejestrze TERC` },
        ]);
      }
      const target = { unitCode: body.unitCode, area: body.area };
      if (alreadyHolds(principal!.assignments, target)) {
        throw new HttpError(409, 'PERMISSION_ALREADY_HELD', `Masz już uprawnienia do obszaru ${body.area} w jednostce ${body.unitCode}`, [
          { path: 'body.area', message: 'Uprawnienie już nadane' },
        ]);
      }
      const caseId = permissionRequestWorkflowId(principal!.accountId, target);
      const url = `/api/cases/${encodeURIComponent(caseId)}`;
      try {
        const desc = await temporal.workflow.getHandle(caseId).describe();
        if (desc.status.name === 'RUNNING') {
          res.status(200).json({ id: caseId, created: false, status: desc.typedSearchAttributes.get(SA.status) ?? 'awaiting_decision', url });
          return;
        }
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
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
      await temporal.workflow.start('permissionRequestWorkflow', {
        workflowId: caseId,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        typedSearchAttributes: [
          { key: SA.caseType, value: 'permission' },
          { key: SA.unit, value: body.unitCode },
          { key: SA.voivodeship, value: unit.voivodeship },
          { key: SA.status, value: 'awaiting_decision' },
        ],
      });
      res.status(201).location(url).json({ id: caseId, created: true, status: 'awaiting_decision', url });
    },
  );
}
