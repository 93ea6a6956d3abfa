import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { caseVisibilitySql, type Principal } from '../access';

// The case list behind the dashboard, its CSV export and GET /api/cases: filters live in the query
// string so a view can be bookmarked and shared.

export const caseFilters = z.object({
  type: z.string().max(40).optional(),
  status: z.string().max(40).optional(),
  voivodeship: z.string().regex(/^\d{2}$/, 'Kod województwa: 2 cyfry').optional(),
  unit: z.string().regex(/^\d{2,7}$/, 'Kod TERYT jednostki (2–7 cyfr)').optional(),
  overdue: z.enum(['1', 'true']).optional(),
  dueBefore: z.iso.date('Data w formacie RRRR-MM-DD').optional(),
  waiting: z.enum(['office', 'applicant']).optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(['updated', 'deadline', 'created', 'unit']).default('updated'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  perPage: z.coerce.number().int().min(1).max(200).default(50),
});
export type CaseFilters = z.infer<typeof caseFilters>;

export interface CaseRow {
  id: string;
  type: string;
  status: string;
  title: string;
  unit_code: string;
  unit_name: string | null;
  voivodeship: string;
  waiting_for: string | null;
  deadline: string | null;
  updated_at: string;
  closed_at: string | null;
  open_tasks: number;
}

/** Unit codes whose TERC name matches; resolved first, so the planner sees a short list of codes. */
async function unitCodesNamed(em: EntityManager, q: string): Promise<string[]> {
  const rows = await em.execute<{ code: string }[]>("select code from units where name ilike ? and kind <> 'voivodeship' limit 500", [`%${q}%`]);
  return rows.map((r) => r.code);
}

function where(p: Principal, f: CaseFilters, namedUnits: string[] | null): { sql: string; params: unknown[] } {
  const vis = caseVisibilitySql(p);
  const parts = [vis.sql];
  const params = [...vis.params];
  const add = (sql: string, ...v: unknown[]) => {
    parts.push(sql);
    params.push(...v);
  };
  if (f.type) add('c.type = ?', f.type);
  if (f.status) add('c.status = ?', f.status);
  if (f.voivodeship) add('c.voivodeship = ?', f.voivodeship);
  if (f.unit) add('c.unit_code like ?', `${f.unit}%`);
  if (f.overdue) add('c.closed_at is null and c.deadline < now()');
  if (f.dueBefore) add('c.deadline < (?::date + 1)', f.dueBefore);
  if (f.waiting === 'office') add("c.closed_at is null and exists (select 1 from tasks t where t.case_id = c.id and t.status = 'open')");
  if (f.waiting === 'applicant') add("c.closed_at is null and not exists (select 1 from tasks t where t.case_id = c.id and t.status = 'open')");
  if (f.q) {
    if (/^\d+$/.test(f.q)) add('c.unit_code like ?', `${f.q}%`);
    else if (namedUnits && namedUnits.length) add(`c.unit_code in (${namedUnits.map(() => '?').join(', ')})`, ...namedUnits);
    else add('false');
  }
  return { sql: parts.join(' and '), params };
}

const ORDER: Record<CaseFilters['sort'], string> = { updated: 'c.updated_at', deadline: 'c.deadline', created: 'c.created_at', unit: 'c.unit_code' };

export async function listCases(em: EntityManager, p: Principal, f: CaseFilters, opts: { all?: boolean } = {}): Promise<{ rows: CaseRow[]; total: number }> {
  const w = where(p, f, f.q && !/^\d+$/.test(f.q) ? await unitCodesNamed(em, f.q) : null);
  // Only the deadline can be empty; other sort keys keep plain order so their indexes serve it.
  const order = `${ORDER[f.sort]} ${f.dir === 'asc' ? 'asc' : 'desc'}${f.sort === 'deadline' ? ' nulls last' : ''}, c.id ${f.dir === 'asc' ? 'asc' : 'desc'}`;
  const limit = opts.all ? '' : ` limit ${f.perPage} offset ${(f.page - 1) * f.perPage}`;
  const [rows, [{ total }]] = await Promise.all([
    em.execute<CaseRow[]>(
      `select c.id, c.type, c.status, c.title, c.unit_code, u.name as unit_name, c.voivodeship, c.waiting_for, c.deadline, c.updated_at, c.closed_at,
         (select count(*)::int from tasks t where t.case_id = c.id and t.status = 'open') as open_tasks
       from cases c left join units u on u.code = c.unit_code
       where ${w.sql} order by ${order}${limit}`,
      w.params,
    ),
    em.execute<{ total: number }[]>(`select count(*)::int as total from cases c where ${w.sql}`, w.params),
  ]);
  return { rows, total };
}

/** Counts per voivodeship and status, for the overview (all types, or one). */
export async function countByVoivodeship(em: EntityManager, p: Principal, type?: string) {
  const vis = caseVisibilitySql(p);
  return em.execute<{ voivodeship: string; status: string; closed: boolean; overdue: number; n: number }[]>(
    `select c.voivodeship, c.status, c.closed_at is not null as closed,
       count(*) filter (where c.closed_at is null and c.deadline < now())::int as overdue, count(*)::int as n
     from cases c where ${vis.sql}${type ? ' and c.type = ?' : ''} group by 1, 2, 3`,
    [...vis.params, ...(type ? [type] : [])],
  );
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);
  return /[";\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Semicolon-separated with a BOM, as Polish spreadsheets expect. */
export function casesCsv(rows: CaseRow[]): string {
  const header = ['sprawa', 'rodzaj', 'status', 'tytuł', 'kod TERYT', 'jednostka', 'województwo', 'na co czeka', 'termin', 'zmieniono', 'zamknięto'];
  const lines = rows.map((r) =>
    [r.id, r.type, r.status, r.title, r.unit_code, r.unit_name, r.voivodeship, r.waiting_for, r.deadline && new Date(r.deadline).toISOString(), new Date(r.updated_at).toISOString(), r.closed_at && new Date(r.closed_at).toISOString()]
      .map(csvCell)
      .join(';'),
  );
  return '\uFEFF' + [header.join(';'), ...lines].join('\r\n') + '\r\n';
}
