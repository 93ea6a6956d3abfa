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

// Identity merge (one transaction of the caller's em): em.execute, not em.getConnection().execute,
// as only the former runs inside the em's transaction. Each returns the number of rows it changed.

const run = async (em: EntityManager, sql: string, params: unknown[]): Promise<number> =>
  ((await em.execute(sql, params, 'run')) as { affectedRows?: number }).affectedRows ?? 0;

export interface MergeAccountRow {
  id: string;
  login: string;
  status: string;
  merged_into: string | null;
}

/** The two accounts of a merge, locked for the rest of the transaction (in id order). */
export function lockAccountsForMerge(em: EntityManager, survivorId: string, otherId: string): Promise<MergeAccountRow[]> {
  return em.execute<MergeAccountRow[]>('select id, login, status, merged_into from accounts where id in (?, ?) order by id for update', [survivorId, otherId]);
}

/** Moves the other account's role assignments to the survivor, except those the survivor holds already. */
export function moveRoleAssignments(em: EntityManager, survivorId: string, otherId: string): Promise<number> {
  // role_assignments is unique (nulls not distinct) on account, role, voivodeship, unit and area.
  return run(
    em,
    `update role_assignments r set account_id = ? where r.account_id = ? and not exists (
       select 1 from role_assignments s where s.account_id = ? and s.role = r.role
         and s.voivodeship is not distinct from r.voivodeship and s.unit_code is not distinct from r.unit_code
         and s.area is not distinct from r.area)`,
    [survivorId, otherId, survivorId],
  );
}

/** Deletes the account's (remaining) role assignments. */
export function deleteRoleAssignmentsOf(em: EntityManager, accountId: string): Promise<number> {
  return run(em, 'delete from role_assignments where account_id = ?', [accountId]);
}

/** Revokes the account's API tokens not revoked yet. */
export function revokeApiTokensOf(em: EntityManager, accountId: string): Promise<number> {
  return run(em, 'update api_tokens set revoked_at = now() where account_id = ? and revoked_at is null', [accountId]);
}

/** Ends the account's open sessions as merged. */
export function endSessionsAsMerged(em: EntityManager, accountId: string): Promise<number> {
  return run(em, "update sessions set ended_at = now(), end_reason = 'merged' where account_id = ? and ended_at is null", [accountId]);
}

/** Accounts merged into `fromId` earlier now point at `toId`. */
export function repointMergedAccounts(em: EntityManager, toId: string, fromId: string): Promise<number> {
  return run(em, 'update accounts set merged_into = ?, updated_at = now() where merged_into = ?', [toId, fromId]);
}

/** Marks the account merged into the survivor. */
export function markAccountMerged(em: EntityManager, accountId: string, survivorId: string): Promise<number> {
  return run(em, "update accounts set status = 'merged', merged_into = ?, updated_at = now() where id = ?", [survivorId, accountId]);
}

/** Attributes every past action of `fromLogin` outside the case `exceptCaseId` to `toLogin`. */
export async function reattributeActorEverywhereExcept(em: EntityManager, toLogin: string, fromLogin: string, exceptCaseId: string): Promise<{ events: number; tasks: number }> {
  const events = await run(em, 'update case_events set actor = ? where actor = ? and case_id <> ?', [toLogin, fromLogin, exceptCaseId]);
  const tasks = await run(em, 'update tasks set completed_by = ? where completed_by = ? and case_id <> ?', [toLogin, fromLogin, exceptCaseId]);
  return { events, tasks };
}

/** Cases about the account `fromId` are now about `toId`. */
export function moveCasesOfAccount(em: EntityManager, toId: string, fromId: string): Promise<number> {
  return run(em, 'update cases set account_id = ?, updated_at = now() where account_id = ?', [toId, fromId]);
}

/** The data of the case event with the idempotency key (the merge's receipt), if any. */
export function eventDataByKey<T>(em: EntityManager, key: string): Promise<{ data: T | string }[]> {
  return em.execute<{ data: T | string }[]>('select data from case_events where idempotency_key = ?', [key]);
}

/** The active account with the login (empty when there is none). */
export function activeAccountIdByLogin(em: EntityManager, login: string): Promise<{ id: string }[]> {
  return em.getConnection().execute<{ id: string }[]>("select id from accounts where login = ? and status = 'active'", [login]);
}
