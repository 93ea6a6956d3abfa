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

/**
 * The open tasks a person may act on, earliest due first: offered to their role and scope, or assigned to
 * them by name (a report's responsible person or substitute). For GET /api/tasks and the "Moje zadania" page.
 */
export async function openTasksFor(em: EntityManager, p: Principal, limit = 500): Promise<Task[]> {
  const voivs = visibleVoivodeships(p);
  const roles = [...new Set(p.assignments.map((a) => a.role))];
  const tasks = await em.find(
    TaskSchema,
    { status: 'open', $or: [{ role: { $in: roles }, ...(voivs ? { voivodeship: { $in: voivs } } : {}) }, { claimedBy: p.login }] },
    { orderBy: { dueAt: 'asc nulls last', createdAt: 'asc' }, limit },
  );
  return tasks.filter((t) => t.claimedBy === p.login || canActOnTask(p, scopeOf(t)));
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
