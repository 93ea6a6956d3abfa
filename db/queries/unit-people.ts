import type { EntityManager } from '@mikro-orm/postgresql';
import { roleSql } from '../../domain/roles';

// The people of one unit as its local administrator manages them (seed 004 pkt 2b, 9): their reporting
// areas (staff role assignments) and their PIU roles.

export interface UnitPersonRow {
  account_id: string;
  login: string;
  first_name: string;
  last_name: string;
  roles: string[];
  areas: string[];
  piu_roles: string[];
}

/** Active accounts holding any role in the unit, with their areas and PIU roles there. */
export function unitPeople(em: EntityManager, unitCode: string, login?: string): Promise<UnitPersonRow[]> {
  return em.getConnection().execute<UnitPersonRow[]>(
    `select a.id as account_id, a.login, a.first_name, a.last_name,
       array(select distinct r.role from role_assignments r where r.account_id = a.id and r.unit_code = ? order by 1) as roles,
       array(select r.area from role_assignments r where r.account_id = a.id and r.unit_code = ? and r.role = ${roleSql('staff')} and r.area is not null order by 1) as areas,
       array(select p.role from piu_roles p where p.account_id = a.id and p.unit_code = ? order by 1) as piu_roles
     from accounts a
     where a.status = 'active' and exists (select 1 from role_assignments r where r.account_id = a.id and r.unit_code = ?)
       ${login ? 'and a.login = ?' : ''}
     order by a.login`,
    [unitCode, unitCode, unitCode, unitCode, ...(login ? [login] : [])],
  );
}

/** Gives a PIU role; tells whether it was new. */
export async function grantPiuRole(em: EntityManager, a: { accountId: string; unitCode: string; role: string; by: string }): Promise<boolean> {
  const res = await em.getConnection().execute(
    'insert into piu_roles (account_id, unit_code, role, granted_by, granted_at) values (?, ?, ?, ?, now()) on conflict do nothing',
    [a.accountId, a.unitCode, a.role, a.by],
    'run',
  );
  return ((res as { affectedRows?: number }).affectedRows ?? 0) > 0;
}

export async function revokePiuRole(em: EntityManager, a: { accountId: string; unitCode: string; role: string }): Promise<boolean> {
  const res = await em.getConnection().execute('delete from piu_roles where account_id = ? and unit_code = ? and role = ?', [a.accountId, a.unitCode, a.role], 'run');
  return ((res as { affectedRows?: number }).affectedRows ?? 0) > 0;
}

/** Takes the staff role for one area of the unit away; tells whether it was held. */
export async function revokeStaffArea(em: EntityManager, a: { accountId: string; unitCode: string; area: string }): Promise<boolean> {
  const res = await em.getConnection().execute(
    `delete from role_assignments where account_id = ? and unit_code = ? and role = ${roleSql('staff')} and area = ?`,
    [a.accountId, a.unitCode, a.area],
    'run',
  );
  return ((res as { affectedRows?: number }).affectedRows ?? 0) > 0;
}
