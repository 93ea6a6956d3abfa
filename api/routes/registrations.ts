import { createHash } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import { UnitSchema } from '../../db/entities';
import { SA, type RegistrationInput } from '../../workflows/messages';
import type { Api } from '../http';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';
import { caseCreated, registrationBody } from '../schemas';

/** The business key: one registration case per unit and applicant e-mail (hashed: ids are not secret). */
export function registrationCaseId(terytCode: string, email: string): string {
  return `registration-${terytCode}-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 16)}`;
}

export function registerRegistrationRoutes(api: Api, { orm, temporal, config }: ApiDeps): void {
  api.route(
    {
      method: 'post',
      path: '/api/registrations',
      summary: 'Submit a registration of a unit and/or user (seed 000); returns the existing case when one is open',
      tag: 'registration',
      auth: 'public',
      audit: 'registration_submitted',
      body: registrationBody,
      responses: {
        201: { description: 'Case created', schema: caseCreated },
        200: { description: 'An open case already exists for this unit and applicant', schema: caseCreated },
      },
    },
    async ({ body, res }) => {
      const em = orm.em.fork();
      const unit = await em.findOne(UnitSchema, { code: body.unit.terytCode, kind: { $in: ['gmina', 'powiat'] } });
      if (!unit) {
        throw new HttpError(422, 'UNKNOWN_UNIT', 'Nie ma gminy ani powiatu o takim kodzie TERYT', [
          { path: 'body.unit.terytCode', message: `Kod ${body.unit.terytCode} nie występuje w rejestrze TERC` },
        ]);
      }
      const caseId = registrationCaseId(body.unit.terytCode, body.applicant.email);
      const url = `/api/cases/${encodeURIComponent(caseId)}`;
      try {
        const desc = await temporal.workflow.getHandle(caseId).describe();
        if (desc.status.name === 'RUNNING') {
          res.status(200).json({ id: caseId, created: false, status: 'open', url });
          return;
        }
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      const input: RegistrationInput = {
        caseId,
        voivodeship: unit.voivodeship,
        application: body,
        policy: { reminderAfterDays: [...config.REGISTRATION_REMINDER_DAYS], expireAfterDays: config.REGISTRATION_EXPIRY_DAYS },
        passwordPolicy: { maxAgeDays: config.PASSWORD_MAX_AGE_DAYS, reminderDaysBefore: [...config.PASSWORD_EXPIRY_REMINDER_DAYS] },
      };
      await temporal.workflow.start('registrationWorkflow', {
        workflowId: caseId,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        typedSearchAttributes: [
          { key: SA.caseType, value: 'registration' },
          { key: SA.unit, value: body.unit.terytCode },
          { key: SA.voivodeship, value: unit.voivodeship },
          { key: SA.status, value: 'submitted' },
        ],
      });
      res.status(201).location(url).json({ id: caseId, created: true, status: 'submitted', url });
    },
  );
}

