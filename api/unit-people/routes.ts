import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { UnitSchema } from '../../db/entities/index';
import { grantStaffAreaOnceCounted } from '../../db/queries/accounts';
import { grantPiuRole, revokePiuRole, revokeStaffArea, unitPeople, type UnitPersonRow } from '../../db/queries/unit-people';
import { REPORTING_AREAS } from '../../workflows/messages';
import { PIU_READER_ROLES } from '../../workflows/rules/csizs-campaign';
import { canManageUnitPeople, forbid, type Principal } from '../access';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';
import type { Api } from '../http';
import { terytCode } from '../registration/schemas';
import { text } from '../text';

// seed 004 pkt 2b and 9: the unit's local administrator grants and revokes reporting areas and PIU roles
// to the staff of their own unit, never beyond it. Every grant and revocation is audited (the kit's row:
// who, which unit and person, allowed or refused).

export const unitPeopleParams = z.object({ unitCode: terytCode });
export const unitPersonParams = unitPeopleParams.extend({ login: text(100) });
export const grantBody = z
  .object({
    area: z.enum(REPORTING_AREAS).optional().meta({ description: 'A reporting area: the staff role for it in the unit' }),
    piuRole: z.enum(PIU_READER_ROLES).optional().meta({ description: 'A PIU reader role (Czytelnik PIU) of an area' }),
  })
  .strict()
  .refine((b) => (b.area === undefined) !== (b.piuRole === undefined), { message: 'Podaj dokładnie jedno: obszar sprawozdawczy albo rolę PIU', path: ['area'] });

export const unitPersonView = z.object({
  login: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  areas: z.array(z.string()),
  piuRoles: z.array(z.string()),
});
const changeView = unitPersonView.extend({ changed: z.boolean() });

const view = (r: UnitPersonRow) => ({ login: r.login, name: `${r.first_name} ${r.last_name}`, roles: r.roles, areas: r.areas, piuRoles: r.piu_roles });

export function registerUnitPeopleRoutes(api: Api, { orm }: ApiDeps) {
  /** The unit, if the caller is its local administrator; 403 otherwise (before anything is read). */
  const managedUnit = async (p: Principal, unitCode: string) => {
    if (!canManageUnitPeople(p, unitCode)) forbid();
    const unit = await orm.em.fork().findOne(UnitSchema, { code: unitCode });
    if (!unit) throw new HttpError(404, 'NOT_FOUND', `Nie ma jednostki o kodzie TERYT ${unitCode}`);
    return unit;
  };
  /** A person of the unit: someone holding a role in it; nobody else can be given anything here. */
  const unitPerson = async (unitCode: string, login: string) => {
    const [row] = await unitPeople(orm.em.fork(), unitCode, login);
    if (!row) {
      throw new HttpError(422, 'PERSON_NOT_IN_UNIT', `${login} nie jest pracownikiem jednostki ${unitCode}: administrator lokalny nadaje uprawnienia tylko pracownikom swojej jednostki`, [
        { path: 'params.login', message: 'Osoba spoza jednostki' },
      ]);
    }
    return row;
  };

  const list = api.action(
    {
      method: 'get',
      path: '/api/units/:unitCode/people',
      summary: "The unit's people with their reporting areas and PIU roles (the unit's local administrator)",
      tag: 'unit-people',
      auth: 'signed-in',
      params: unitPeopleParams,
      responses: { 200: { description: 'People', schema: z.array(unitPersonView) } },
    },
    async ({ params, principal }) => {
      await managedUnit(principal!, params.unitCode);
      return (await unitPeople(orm.em.fork(), params.unitCode)).map(view);
    },
  );

  const change = (kind: 'grant' | 'revoke') => async ({ params, body, principal }: { params: z.infer<typeof unitPersonParams>; body: z.infer<typeof grantBody>; principal: Principal | null }) => {
    const unit = await managedUnit(principal!, params.unitCode);
    const person = await unitPerson(params.unitCode, params.login);
    const em = orm.em.fork();
    let changed: boolean;
    if (body.area) {
      changed =
        kind === 'grant'
          ? (await grantStaffAreaOnceCounted(em, { id: randomUUID(), accountId: person.account_id, voivodeship: unit.voivodeship, unitCode: params.unitCode, area: body.area })) > 0
          : await revokeStaffArea(em, { accountId: person.account_id, unitCode: params.unitCode, area: body.area });
    } else {
      changed =
        kind === 'grant'
          ? await grantPiuRole(em, { accountId: person.account_id, unitCode: params.unitCode, role: body.piuRole!, by: principal!.login })
          : await revokePiuRole(em, { accountId: person.account_id, unitCode: params.unitCode, role: body.piuRole! });
    }
    const [after] = await unitPeople(orm.em.fork(), params.unitCode, params.login);
    return { ...view(after ?? person), changed };
  };

  const grant = api.action(
    {
      method: 'post',
      path: '/api/units/:unitCode/people/:login/grants',
      summary: "Grant a person of the unit a reporting area or a PIU role (the unit's local administrator)",
      tag: 'unit-people',
      auth: 'signed-in',
      audit: 'unit_person_granted',
      params: unitPersonParams,
      body: grantBody,
      responses: { 200: { description: 'Granted (changed: false when already held)', schema: changeView } },
    },
    change('grant'),
  );

  const revoke = api.action(
    {
      method: 'post',
      path: '/api/units/:unitCode/people/:login/revocations',
      summary: "Revoke a reporting area or a PIU role of a person of the unit (the unit's local administrator)",
      tag: 'unit-people',
      auth: 'signed-in',
      audit: 'unit_person_revoked',
      params: unitPersonParams,
      body: grantBody,
      responses: { 200: { description: 'Revoked (changed: false when not held)', schema: changeView } },
    },
    change('revoke'),
  );

  return { list, grant, revoke };
}
