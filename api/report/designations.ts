import { z } from 'zod';
import { text } from '../text';
import { REPORTING_AREAS, ReportErrorTypes } from '../../workflows/messages';
import { standingDesignationRefusal } from '../../workflows/rules/substitutes';
import { saveDesignation, unitDesignations } from '../../db/queries/designations';
import { canDesignateReportPeople, canEditReport, forbid, type Principal } from '../access';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';
import type { Api } from '../http';

// seed 002 §I.4-5, §II.5: the head's standing designation per reporting area (not only per report):
// the responsible person, the substitute, and who takes over when both are absent. New reports of the
// area take it up (workflows/report.ts); a report's own designation (PUT /api/reports/:id/people) still wins.

const login = text(100);
const unitParams = z.object({ unitCode: z.string().regex(/^\d{7}$/, 'Kod TERYT jednostki: 7 cyfr') });
const designationView = z.object({
  unitCode: z.string(),
  area: z.string(),
  responsible: z.string(),
  substitute: z.string().nullable(),
  secondLevel: z.string().nullable(),
  designatedBy: z.string(),
  updatedAt: z.string(),
});
const view = (r: { unit_code: string; area: string; responsible: string; substitute: string | null; second_level: string | null; designated_by: string; updated_at: Date }) => ({
  unitCode: r.unit_code,
  area: r.area,
  responsible: r.responsible,
  substitute: r.substitute,
  secondLevel: r.second_level,
  designatedBy: r.designated_by,
  updatedAt: new Date(r.updated_at).toISOString(),
});

export function registerDesignationRoutes(api: Api, { orm }: ApiDeps) {
  const conn = () => orm.em.fork().getConnection();

  /** An active person of the unit who may handle the area's reports (its staff of the area, or its head). */
  const unitMember = async (who: string, unitCode: string, area: string, path: string) => {
    const [account] = await conn().execute<{ id: string; login: string }[]>("select id, login from accounts where login = ? and status = 'active'", [who]);
    const assignments = account ? await conn().execute<Principal['assignments']>('select role, voivodeship, unit_code as "unitCode", area from role_assignments where account_id = ?', [account.id]) : [];
    if (!account || !canEditReport({ accountId: account.id, login: who, assignments, mustChangePassword: false, via: 'token' }, { unitCode, area })) {
      throw new HttpError(422, ReportErrorTypes.personNotInUnit, `${who} nie jest aktywnym pracownikiem jednostki ${unitCode} uprawnionym w obszarze ${area}`, [
        { path, message: 'Osoba spoza jednostki lub bez uprawnień w obszarze' },
      ]);
    }
    return account.login;
  };

  api.route(
    {
      method: 'get',
      path: '/api/units/:unitCode/report-designations',
      summary: "The unit head's standing designations per reporting area: responsible person, substitute, and who takes over when both are absent (seed 002)",
      tag: 'reports',
      auth: 'signed-in',
      params: unitParams,
      responses: { 200: { description: 'The designations', schema: z.array(designationView) } },
    },
    async ({ params, principal, res }) => {
      const p = principal!;
      if (!canDesignateReportPeople(p, { unitCode: params.unitCode }) && !REPORTING_AREAS.some((area) => canEditReport(p, { unitCode: params.unitCode, area }))) forbid();
      res.json((await unitDesignations(orm.em.fork(), params.unitCode)).map(view));
    },
  );

  const save = api.action(
    {
      method: 'put',
      path: '/api/units/:unitCode/report-designations/:area',
      summary: "Set the unit head's standing designation for a reporting area; reports opened afterwards take it up",
      tag: 'reports',
      auth: 'signed-in',
      audit: 'report_designation_saved',
      params: unitParams.extend({ area: z.enum(REPORTING_AREAS) }),
      body: z.object({ responsible: login, substitute: login.nullable().optional(), secondLevel: login.nullable().optional() }).strict(),
      responses: { 200: { description: 'Saved', schema: designationView } },
    },
    async ({ params, body, principal }) => {
      if (!canDesignateReportPeople(principal!, { unitCode: params.unitCode })) forbid();
      const d = { responsible: body.responsible, substitute: body.substitute ?? null, secondLevel: body.secondLevel ?? null };
      const refusal = standingDesignationRefusal(d);
      if (refusal) throw new HttpError(422, ReportErrorTypes.substituteIsResponsible, refusal);
      const responsible = await unitMember(d.responsible, params.unitCode, params.area, 'body.responsible');
      const substitute = d.substitute ? await unitMember(d.substitute, params.unitCode, params.area, 'body.substitute') : null;
      const secondLevel = d.secondLevel ? await unitMember(d.secondLevel, params.unitCode, params.area, 'body.secondLevel') : null;
      const em = orm.em.fork();
      await saveDesignation(em, { unitCode: params.unitCode, area: params.area, responsible, substitute, secondLevel, designatedBy: principal!.login });
      const [row] = (await unitDesignations(em, params.unitCode)).filter((r) => r.area === params.area);
      return view(row);
    },
  );
  return { save };
}
