import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { TaskSchema, type Task } from '../../db/entities/index';
import { canActOnTask, forbid, isCaseParty, visibleVoivodeships, type Principal } from '../access';
import { findCase } from '../case-view';
import { HttpError, notFound } from '../errors';
import { decisionUpdates } from '../task-kinds';
import { administers } from '../cases/bulk';
import { mapWorkflowError } from '../temporal-errors';

// Task operations shared by the API and the dashboard forms, so both go through the same rules.

const scopeOf = (t: Task) => ({ role: t.role, voivodeship: t.voivodeship ?? null, unitCode: t.unitCode ?? null });

/** Where a page of open tasks starts: after the task with these keys (exact text of its timestamps). */
export interface TaskCursor {
  dueAt: string | null;
  createdAt: string;
  id: string;
}

export const encodeTaskCursor = (c: TaskCursor): string => Buffer.from(JSON.stringify([c.dueAt, c.createdAt, c.id])).toString('base64url');

/** The cursor, or null when it is not one the task list gave out. */
export function decodeTaskCursor(raw: string): TaskCursor | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 3) return null;
    const [dueAt, createdAt, id] = v as unknown[];
    if ((dueAt !== null && (typeof dueAt !== 'string' || Number.isNaN(Date.parse(dueAt)))) || typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string') return null;
    return { dueAt, createdAt, id };
  } catch {
    return null;
  }
}

/**
 * A page of the open tasks a person may act on, earliest due first (then oldest, then by id): offered to
 * their role and scope, or assigned to them by name (a report's responsible person or substitute). For
 * GET /api/tasks (keyset pages) and the "Moje zadania" page, one code path.
 */
export async function openTasksPage(em: EntityManager, p: Principal, opts: { limit: number; after?: TaskCursor | null }): Promise<{ tasks: Task[]; next: TaskCursor | null }> {
  const voivs = visibleVoivodeships(p);
  const roles = [...new Set(p.assignments.map((a) => a.role))];
  // knex expands an array bound to `in (?)`; an empty list offers nothing.
  const offered = roles.length && (!voivs || voivs.length) ? `t.role in (?)${voivs ? ' and t.voivodeship in (?)' : ''}` : 'false';
  const base = `t.status = 'open' and ((${offered}) or t.claimed_by = ?)`;
  const baseParams: unknown[] = [...(offered === 'false' ? [] : [roles, ...(voivs ? [voivs] : [])]), p.login];
  const kept: { task: Task; key: TaskCursor }[] = [];
  let after = opts.after ?? null;
  // Rows the access rule refuses (a unit's task offered to the role elsewhere) are skipped, so read in batches.
  for (;;) {
    const batch = Math.max(50, opts.limit + 1);
    const later = 't.created_at > ?::timestamptz or (t.created_at = ?::timestamptz and t.id > ?)';
    const keyset = after
      ? after.dueAt === null
        ? { sql: ` and t.due_at is null and (${later})`, params: [after.createdAt, after.createdAt, after.id] }
        : { sql: ` and (t.due_at is null or t.due_at > ?::timestamptz or (t.due_at = ?::timestamptz and (${later})))`, params: [after.dueAt, after.dueAt, after.createdAt, after.createdAt, after.id] }
      : { sql: '', params: [] };
    const rows = await em.execute<{ id: string; due_key: string | null; created_key: string }[]>(
      `select t.id, t.due_at::text as due_key, t.created_at::text as created_key from tasks t where ${base}${keyset.sql}
       order by t.due_at asc nulls last, t.created_at asc, t.id asc limit ${batch}`,
      [...baseParams, ...keyset.params],
    );
    const byId = new Map((await em.find(TaskSchema, { id: { $in: rows.map((r) => r.id) } })).map((t) => [t.id, t]));
    for (const r of rows) {
      const t = byId.get(r.id);
      if (t && (t.claimedBy === p.login || canActOnTask(p, scopeOf(t)))) kept.push({ task: t, key: { dueAt: r.due_key, createdAt: r.created_key, id: r.id } });
      if (kept.length > opts.limit) break;
    }
    if (kept.length > opts.limit || rows.length < batch) break;
    const last = rows[rows.length - 1];
    after = { dueAt: last.due_key, createdAt: last.created_key, id: last.id };
  }
  const more = kept.length > opts.limit;
  const page = kept.slice(0, opts.limit);
  return { tasks: page.map((k) => k.task), next: more && page.length ? page[page.length - 1].key : null };
}

/** The first `limit` open tasks a person may act on (see openTasksPage). */
export async function openTasksFor(em: EntityManager, p: Principal, limit = 500): Promise<Task[]> {
  return (await openTasksPage(em, p, { limit })).tasks;
}

/** Tasks completed by a decision form (accept / reject with a reason); others close with their process step. */
export const isDecisionTask = (t: Pick<Task, 'kind'>): boolean => t.kind in decisionUpdates;

async function loadActionable(em: EntityManager, principal: Principal, taskId: string): Promise<Task> {
  const task = await em.findOne(TaskSchema, { id: taskId });
  if (!task) throw notFound(`zadanie ${taskId}`);
  if (!canActOnTask(principal, scopeOf(task))) forbid();
  const subject = await findCase(em, task.caseId);
  if (subject && isCaseParty(principal, subject)) forbid(); // nobody decides their own request
  if (task.status !== 'open') throw new HttpError(409, 'TASK_NOT_OPEN', 'To zadanie zostało już zakończone');
  return task;
}

export async function completeDecisionTask(
  em: EntityManager,
  temporal: Client,
  principal: Principal,
  taskId: string,
  body: { decision: 'accept' | 'reject'; reason?: string },
): Promise<{ taskId: string; caseId: string; outcome: string; caseStatus: string }> {
  const task = await loadActionable(em, principal, taskId);
  if (task.claimedBy && task.claimedBy !== principal.login) {
    throw new HttpError(409, 'TASK_CLAIMED', `Zadanie przejął(-ęła) ${task.claimedBy}; najpierw musi je zwolnić albo administrator przekaże je innej osobie`);
  }
  const update = decisionUpdates[task.kind];
  if (!update) throw new HttpError(400, 'UNSUPPORTED_TASK', `Zadania typu ${task.kind} nie kończy się tą operacją`);
  const view = await temporal.workflow
    .getHandle(task.caseId)
    .executeUpdate(update, { args: [{ taskId: task.id, decision: body.decision, reason: body.reason, decidedBy: principal.login }] })
    .catch(mapWorkflowError);
  return { taskId: task.id, caseId: task.caseId, outcome: body.decision === 'accept' ? 'accepted' : 'rejected', caseStatus: view.status };
}

/** Claim (take for oneself) or release a task offered to a role and scope. */
export async function claimTask(em: EntityManager, principal: Principal, taskId: string, claim: boolean): Promise<Task> {
  const task = await loadActionable(em, principal, taskId);
  if (claim && task.claimedBy && task.claimedBy !== principal.login) {
    throw new HttpError(409, 'TASK_CLAIMED', `Zadanie przejął(-ęła) już ${task.claimedBy}`);
  }
  if (!claim && task.claimedBy && task.claimedBy !== principal.login && !isAdministrator(principal, task)) {
    throw new HttpError(403, 'FORBIDDEN', 'Zwolnić zadanie może osoba, która je przejęła, albo administrator');
  }
  task.claimedBy = claim ? principal.login : null;
  task.claimedAt = claim ? new Date() : null;
  await em.flush();
  return task;
}

const isAdministrator = (p: Principal, t: Task) => administers(p, t.voivodeship);

/** An administrator hands a task to another person who may act on it. */
export async function reassignTask(em: EntityManager, principal: Principal, taskId: string, toLogin: string): Promise<Task> {
  const task = await loadActionable(em, principal, taskId);
  if (!isAdministrator(principal, task)) forbid();
  const rows = await em.execute<{ id: string; login: string }[]>("select id, login from accounts where login = ? and status = 'active'", [toLogin]);
  if (!rows[0]) throw new HttpError(422, 'UNKNOWN_ACCOUNT', 'Nie ma aktywnego konta o takim loginie', [{ path: 'body.login', message: 'Nieznany login' }]);
  const assignments = await em.execute<Principal['assignments']>('select role, voivodeship, unit_code as "unitCode", area from role_assignments where account_id = ?', [rows[0].id]);
  if (!canActOnTask({ accountId: rows[0].id, login: toLogin, assignments, mustChangePassword: false, via: 'token' }, scopeOf(task))) {
    throw new HttpError(422, 'NOT_ELIGIBLE', 'Ta osoba nie ma roli ani zakresu, w którym może wykonać to zadanie', [{ path: 'body.login', message: 'Brak uprawnień do zadania' }]);
  }
  task.claimedBy = toLogin;
  task.claimedAt = new Date();
  await em.flush();
  return task;
}
