import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { caseVisibilityParts, caseVisibilitySql, type Principal } from '../access';

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

/** The filters as SQL over `cases c`, without the visibility rule. */
function filterSql(f: CaseFilters, namedUnits: string[] | null): { parts: string[]; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
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
  return { parts, params };
}

function where(p: Principal, f: CaseFilters, namedUnits: string[] | null): { sql: string; params: unknown[] } {
  const vis = caseVisibilitySql(p);
  const fs = filterSql(f, namedUnits);
  return { sql: [vis.sql, ...fs.parts].join(' and '), params: [...vis.params, ...fs.params] };
}

const ORDER: Record<CaseFilters['sort'], string> = { updated: 'c.updated_at', deadline: 'c.deadline', created: 'c.created_at', unit: 'c.unit_code' };

/** Above this many cases a list filtered beyond case_counts says "ponad 1 000" instead of counting every case. */
export const COUNT_CAP = 1000;

// "Overdue" splits at the start of today in Poland: earlier deadline days come from case_counts, and
// today's part (deadline already passed today) from cases, read in the same statement as the summary.
const TODAY = "(now() at time zone 'Europe/Warsaw')::date";
const TODAY_START = `(${TODAY}::timestamp at time zone 'Europe/Warsaw')`;
const ALL_CASES = '(select coalesce(sum(n), 0)::int from case_counts)';

/** Visibility split for the summary: `k` rows (case_counts) and `c` rows covered by whole voivodeships. */
function voivodeshipScope(p: Principal) {
  const v = caseVisibilityParts(p);
  const list = v.voivodeships;
  const inList = (col: string) => (list === null ? 'true' : list.length ? `${col} in (${list.map(() => '?').join(', ')})` : 'false');
  const others = v.others.length ? { sql: `(${v.others.map((o) => o.sql).join(' or ')})`, params: v.others.flatMap((o) => o.params) } : null;
  return { summary: list === null || list.length > 0, k: inList('k.voivodeship'), c: inList('c.voivodeship'), params: list ?? [], others };
}

export interface CaseList {
  rows: CaseRow[];
  /** Exact when `exact`; otherwise COUNT_CAP and there are more. */
  total: number;
  exact: boolean;
  /** More rows after this page. */
  more: boolean;
}

/**
 * How many cases the filters select: exactly from case_counts when the filters are ones it keeps
 * (type, status, voivodeship, overdue), else by counting cases up to COUNT_CAP.
 */
async function countCases(em: EntityManager, p: Principal, f: CaseFilters, namedUnits: string[] | null): Promise<{ total: number; exact: boolean; cases: number }> {
  if (f.unit || f.q || f.waiting || f.dueBefore) {
    const w = where(p, f, namedUnits);
    const [{ n, cases }] = await em.execute<{ n: number; cases: number }[]>(
      `select count(*)::int as n, ${ALL_CASES} as cases from (select 1 from cases c where ${w.sql} limit ${COUNT_CAP + 1}) x`,
      w.params,
    );
    return n > COUNT_CAP ? { total: COUNT_CAP, exact: false, cases } : { total: n, exact: true, cases };
  }
  const scope = voivodeshipScope(p);
  const fs = filterSql(f, null);
  const kConds: string[] = [scope.k];
  const kParams: unknown[] = [...scope.params];
  const keep = (sql: string, v?: string) => {
    kConds.push(sql);
    if (v !== undefined) kParams.push(v);
  };
  if (f.type) keep('k.type = ?', f.type);
  if (f.status) keep('k.status = ?', f.status);
  if (f.voivodeship) keep('k.voivodeship = ?', f.voivodeship);
  if (f.overdue) keep(`not k.closed and k.deadline_day < ${TODAY}`);
  // Cases the summary does not cover: today's overdue part, and cases visible outside whole voivodeships.
  const live: string[] = [];
  const liveParams: unknown[] = [];
  if (f.overdue && scope.summary) {
    live.push(`(${scope.c} and c.deadline >= ${TODAY_START})`);
    liveParams.push(...scope.params);
  }
  if (scope.others) {
    live.push(`(${scope.others.sql} and not ${scope.c})`);
    liveParams.push(...scope.others.params, ...scope.params);
  }
  const summarySql = scope.summary ? `(select coalesce(sum(k.n), 0) from case_counts k where ${kConds.join(' and ')})` : '0';
  const liveSql = live.length ? `(select count(*) from cases c where ${[...fs.parts, `(${live.join(' or ')})`].join(' and ')})` : '0';
  const [{ n, cases }] = await em.execute<{ n: number; cases: number }[]>(`select (${summarySql} + ${liveSql})::int as n, ${ALL_CASES} as cases`, [
    ...(scope.summary ? kParams : []),
    ...(live.length ? [...fs.params, ...liveParams] : []),
  ]);
  return { total: n, exact: true, cases };
}

/** At most this many selected cases are fetched whole and sorted, instead of walking an index in order. */
const SMALL_SELECTION = 5000;

/**
 * Walking the sort key's index reads about (rows to skip and show) / (share of cases selected) cases;
 * reading the selection through the filters' indexes reads the selection. The planner cannot tell the
 * share of a rare selection (scope and filters combined), the count can.
 */
const readSelectionWhole = (count: { total: number; exact: boolean; cases: number }, upTo: number) =>
  count.exact && count.total <= SMALL_SELECTION && (count.total === 0 || (upTo * count.cases) / count.total > count.total);

export async function listCases(em: EntityManager, p: Principal, f: CaseFilters, opts: { all?: boolean } = {}): Promise<CaseList> {
  const namedUnits = f.q && !/^\d+$/.test(f.q) ? await unitCodesNamed(em, f.q) : null;
  const w = where(p, f, namedUnits);
  // Only the deadline can be empty; other sort keys keep plain order so their indexes serve it.
  const order = `${ORDER[f.sort]} ${f.dir === 'asc' ? 'asc' : 'desc'}${f.sort === 'deadline' ? ' nulls last' : ''}, c.id ${f.dir === 'asc' ? 'asc' : 'desc'}`;
  const rowsQuery = (limit: string, small: boolean) =>
    em.execute<CaseRow[]>(
      `select c.id, c.type, c.status, c.title, c.unit_code, u.name as unit_name, c.voivodeship, c.waiting_for, c.deadline, c.updated_at, c.closed_at,
         (select count(*)::int from tasks t where t.case_id = c.id and t.status = 'open') as open_tasks
       from ${small ? `(select * from (select * from cases c where ${w.sql} offset 0) c order by ${order}${limit}) c` : 'cases c'} left join units u on u.code = c.unit_code
       ${small ? '' : `where ${w.sql}`} order by ${order}${small ? '' : limit}`,
      w.params,
    );
  if (opts.all) {
    const rows = await rowsQuery('', false);
    return { rows, total: rows.length, exact: true, more: false };
  }
  const count = await countCases(em, p, f, namedUnits);
  // One row past the page tells whether a next page exists, whatever the count says.
  const offset = (f.page - 1) * f.perPage;
  const rows = await rowsQuery(` limit ${f.perPage + 1} offset ${offset}`, readSelectionWhole(count, offset + f.perPage + 1));
  const more = rows.length > f.perPage;
  return { rows: more ? rows.slice(0, f.perPage) : rows, total: count.total, exact: count.exact, more };
}

/** Counts per voivodeship and status, for the overview (all types, or one). */
export async function countByVoivodeship(em: EntityManager, p: Principal, type?: string) {
  const scope = voivodeshipScope(p);
  const t = (alias: string) => (type ? ` and ${alias}.type = ?` : '');
  const tp = type ? [type] : [];
  const parts: string[] = [];
  const params: unknown[] = [];
  if (scope.summary) {
    parts.push(
      `select k.voivodeship, k.status, k.closed, case when not k.closed and k.deadline_day < ${TODAY} then k.n else 0 end as overdue, k.n
       from case_counts k where ${scope.k}${t('k')}`,
      `select c.voivodeship, c.status, false, count(*), 0 from cases c
       where c.closed_at is null and c.deadline >= ${TODAY_START} and c.deadline < now() and ${scope.c}${t('c')} group by 1, 2`,
    );
    params.push(...scope.params, ...tp, ...scope.params, ...tp);
  }
  if (scope.others) {
    parts.push(
      `select c.voivodeship, c.status, c.closed_at is not null, count(*) filter (where c.closed_at is null and c.deadline < now()), count(*) from cases c
       where ${scope.others.sql} and not ${scope.c}${t('c')} group by 1, 2, 3`,
    );
    params.push(...scope.others.params, ...scope.params, ...tp);
  }
  return em.execute<{ voivodeship: string; status: string; closed: boolean; overdue: number; n: number }[]>(
    `select voivodeship, status, closed, sum(overdue)::int as overdue, sum(n)::int as n from (${parts.join(' union all ')}) x(voivodeship, status, closed, overdue, n) group by 1, 2, 3`,
    params,
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
