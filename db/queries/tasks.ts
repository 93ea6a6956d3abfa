import type { EntityManager } from '@mikro-orm/postgresql';
import { roleSql, type Role } from '../../domain/roles';

// Tasks in raw SQL, for activities (the ORM's upsert would read the row first).

/** Opens a task offered to `role` in the scope, once: a retried activity finds it there. */
export async function openTaskOnce(
  em: EntityManager,
  t: { id: string; caseId: string; kind: string; title: string; role: Role; voivodeship: string | null; unitCode: string | null },
): Promise<void> {
  await em.getConnection().execute(
    `insert into tasks (id, case_id, kind, title, role, voivodeship, unit_code, due_at, status, created_at)
     values (?, ?, ?, ?, ${roleSql(t.role)}, ?, ?, null, 'open', now()) on conflict (id) do nothing`,
    [t.id, t.caseId, t.kind, t.title, t.voivodeship, t.unitCode],
  );
}

/** Opens a task offered to `role` in the scope, with an optional due date, once per id. */
export async function insertTaskOnce(
  em: EntityManager,
  t: { id: string; caseId: string; kind: string; title: string; role: Role; voivodeship: string | null; unitCode: string | null; dueAt: Date | null },
): Promise<void> {
  await em.execute(
    `insert into tasks (id, case_id, kind, title, role, voivodeship, unit_code, due_at, status, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'open', now()) on conflict (id) do nothing`,
    [t.id, t.caseId, t.kind, t.title, t.role, t.voivodeship, t.unitCode, t.dueAt],
  );
}

/** Opens a task without a due date offered to `role` (as given) in the scope, once per id. */
export async function insertUndatedTaskOnce(
  em: EntityManager,
  t: { id: string; caseId: string; kind: string; title: string; role: string; voivodeship: string; unitCode: string },
): Promise<void> {
  await em.execute(
    `insert into tasks (id, case_id, kind, title, role, voivodeship, unit_code, due_at, status, created_at)
     values (?, ?, ?, ?, ?, ?, ?, null, 'open', now()) on conflict (id) do nothing`,
    [t.id, t.caseId, t.kind, t.title, t.role, t.voivodeship, t.unitCode],
  );
}

/** Marks an open task done with its outcome (a task no longer open is left as it is), outside any transaction. */
export async function completeOpenTaskAsDone(
  conn: ReturnType<EntityManager['getConnection']>,
  t: { id: string; outcome: string; comment: string; completedBy: string },
): Promise<void> {
  await conn.execute(
    `update tasks set status = 'done', outcome = ?, comment = ?, completed_by = ?, completed_at = now() where id = ? and status = 'open'`,
    [t.outcome, t.comment, t.completedBy, t.id],
  );
}

/** Lets `assignee` hold the open task (claimed_by), unless it holds it already. */
export async function claimOpenTask(em: EntityManager, taskId: string, assignee: string): Promise<void> {
  await em.execute(
    `update tasks set claimed_by = ?, claimed_at = now() where id = ? and status = 'open' and claimed_by is distinct from ?`,
    [assignee, taskId, assignee],
  );
}
