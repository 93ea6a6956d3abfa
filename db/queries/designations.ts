import type { EntityManager } from '@mikro-orm/postgresql';

// seed 002: the head's standing designation per reporting area of a unit.

export interface DesignationRow {
  unit_code: string;
  area: string;
  responsible: string;
  substitute: string | null;
  second_level: string | null;
  designated_by: string;
  updated_at: Date;
}

export function standingDesignation(em: EntityManager, unitCode: string, area: string): Promise<DesignationRow[]> {
  return em.getConnection().execute<DesignationRow[]>('select * from report_area_designations where unit_code = ? and area = ?', [unitCode, area]);
}

export function unitDesignations(em: EntityManager, unitCode: string): Promise<DesignationRow[]> {
  return em.getConnection().execute<DesignationRow[]>('select * from report_area_designations where unit_code = ? order by area', [unitCode]);
}

export async function saveDesignation(em: EntityManager, d: { unitCode: string; area: string; responsible: string; substitute: string | null; secondLevel: string | null; designatedBy: string }): Promise<void> {
  await em.getConnection().execute(
    `insert into report_area_designations (unit_code, area, responsible, substitute, second_level, designated_by, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, now(), now())
     on conflict (unit_code, area) do update set responsible = excluded.responsible, substitute = excluded.substitute,
       second_level = excluded.second_level, designated_by = excluded.designated_by, updated_at = now()`,
    [d.unitCode, d.area, d.responsible, d.substitute, d.secondLevel, d.designatedBy],
  );
}
