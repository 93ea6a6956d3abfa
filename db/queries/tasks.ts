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
