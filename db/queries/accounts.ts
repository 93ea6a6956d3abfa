import type { EntityManager } from '@mikro-orm/postgresql';
import { roleSql, type Role } from '../../domain/roles';

// Accounts and their role assignments in raw SQL, for activities. Role conditions are built from the
// role catalogue (roleSql); the staff grants moved here from the activities (issue 13) still carry
// their literal 'staff', unchanged. Each function runs on the connection the activity
// used before: `em.getConnection()`, or `em.execute` (which joins the em's transaction).

export interface Recipient {
  id: string;
  login: string;
}

/** Active accounts holding `role` in the voivodeship (e.g. its voivodeship administrators), by login. */
export function activeHoldersInVoivodeship(em: EntityManager, role: Role, voivodeship: string): Promise<Recipient[]> {
  return em.getConnection().execute<Recipient[]>(
    `select distinct a.id, a.login from accounts a join role_assignments r on r.account_id = a.id
     where r.role = ${roleSql(role)} and r.voivodeship = ? and a.status = 'active' order by a.login`,
    [voivodeship],
  );
}

/**
 * Who hears of a unit's report: its head, and for the `unit` audience also its staff of the report's
 * area (or of every area), active accounts only, by login.
 */
export function unitReportRecipients(em: EntityManager, input: { unitCode: string; audience: 'unit' | 'unit_head'; area: string }): Promise<Recipient[]> {
  return em.getConnection().execute<Recipient[]>(
    `select distinct a.id, a.login from accounts a join role_assignments r on r.account_id = a.id
     where r.unit_code = ? and a.status = 'active'
       and (r.role = ${roleSql('unit_head')} or (? = 'unit' and r.role = ${roleSql('staff')} and (r.area is null or r.area = ?))) order by a.login`,
    [input.unitCode, input.audience, input.area],
  );
}

/** Gives the account `role` in the unit unless it holds it there already (a retry is harmless). */
export async function grantUnitRole(em: EntityManager, input: { id: string; accountId: string; role: Role; voivodeship: string; unitCode: string }): Promise<void> {
  await em.getConnection().execute(
    `insert into role_assignments (id, account_id, role, voivodeship, unit_code, area, created_at)
     select ?, ?, ${roleSql(input.role)}, ?, ?, null, now() where not exists
       (select 1 from role_assignments where account_id = ? and role = ${roleSql(input.role)} and unit_code = ?)`,
    [input.id, input.accountId, input.voivodeship, input.unitCode, input.accountId, input.unitCode],
  );
}

const insertStaffAssignmentSql = `insert into role_assignments (id, account_id, role, voivodeship, unit_code, area, created_at)
     values (?, ?, 'staff', ?, ?, ?, now()) on conflict do nothing`;

/** Gives the account the staff role for one area of a unit unless it holds it there already. */
export async function grantStaffAreaOnce(em: EntityManager, a: { id: string; accountId: string; voivodeship: string; unitCode: string; area: string }): Promise<void> {
  await em.execute(insertStaffAssignmentSql, [a.id, a.accountId, a.voivodeship, a.unitCode, a.area]);
}

/** As grantStaffAreaOnce, and tells whether a row was inserted (1) or the role was held already (0). */
export async function grantStaffAreaOnceCounted(em: EntityManager, a: { id: string; accountId: string; voivodeship: string; unitCode: string; area: string }): Promise<number> {
  const res = await em.execute(insertStaffAssignmentSql, [a.id, a.accountId, a.voivodeship, a.unitCode, a.area], 'run');
  return (res as { affectedRows?: number }).affectedRows ?? 0;
}
