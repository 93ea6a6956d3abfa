import { createHash } from 'node:crypto';
import { type RegistrationInput } from '../../workflows/messages';
import { caseUrl, openCaseStatus, reportingUnit, startCaseWorkflow } from '../cases/start';
import type { Api } from '../http';
import type { ApiDeps } from '../deps';
import { caseCreated } from '../cases/schemas';
import { registrationBody } from './schemas';
import { registrationWaitingFor } from '../../workflows/rules/registration';
import { officeOf, sendScanTo } from '../offices/service';
import { z } from 'zod';

/** The answer also says where the signed scan goes (seed 000: that voivodeship's ePUAP box and mailbox). */
const registrationAnswer = caseCreated.extend({
  sendScanTo: z.object({ office: z.string().nullable(), epuapBox: z.string().nullable(), email: z.string().nullable(), instructions: z.string() }),
});
import { rateLimits } from '../rate-limits';

/** The business key: one registration case per unit and applicant e-mail (hashed: ids are not secret). */
export function registrationCaseId(terytCode: string, email: string): string {
  return `registration-${terytCode}-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 16)}`;
}

export function registerRegistrationRoutes(api: Api, { orm, temporal, config }: ApiDeps) {
  const limits = rateLimits({ orm, config });
  const submit = api.action(
    {
      method: 'post',
      path: '/api/registrations',
      summary: 'Submit a registration of a unit and/or user (seed 000); returns the existing case when one is open',
      tag: 'registration',
      auth: 'public',
      audit: 'registration_submitted',
      body: registrationBody,
      responses: {
        201: { description: 'Case created', schema: registrationAnswer },
        200: { description: 'An open case already exists for this unit and applicant', schema: registrationAnswer },
      },
    },
    async ({ body, req, res }) => {
      await limits.registration(req.ip, body.applicant.email);
      const unit = await reportingUnit(orm.em.fork(), body.unit.terytCode, 'body.unit.terytCode');
      const caseId = registrationCaseId(body.unit.terytCode, body.applicant.email);
      const url = caseUrl(caseId);
      const open = await openCaseStatus(temporal, caseId, 'open');
      const scanTo = sendScanTo(await officeOf(orm.em.fork(), unit.voivodeship));
      if (open) return { id: caseId, created: false, status: open, url, sendScanTo: scanTo };
      const input: RegistrationInput = {
        caseId,
        voivodeship: unit.voivodeship,
        application: body,
        policy: { reminderAfterDays: [...config.REGISTRATION_REMINDER_DAYS], expireAfterDays: config.REGISTRATION_EXPIRY_DAYS },
        passwordPolicy: { maxAgeDays: config.PASSWORD_MAX_AGE_DAYS, reminderDaysBefore: [...config.PASSWORD_EXPIRY_REMINDER_DAYS] },
      };
      await startCaseWorkflow(temporal, config, {
        workflowType: 'registrationWorkflow',
        caseId,
        args: [input],
        caseType: 'registration',
        unitCode: body.unit.terytCode,
        voivodeship: unit.voivodeship,
        status: 'submitted',
      }, { em: orm.em.fork(), title: `Rejestracja ${body.registerUnit ? 'jednostki i użytkownika' : 'użytkownika'}: ${body.unit.name}`, waitingFor: registrationWaitingFor('submitted'), data: { application: body } });
      res.location(url);
      return { id: caseId, created: true, status: 'submitted', url, sendScanTo: scanTo };
    },
    [],
    (r) => (r.created ? 201 : 200),
  );
  return { submit };
}

