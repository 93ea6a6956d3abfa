import type { EntityManager } from '@mikro-orm/postgresql';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { text } from '../text';
import { caseVisibilityParts, type Principal } from '../access';
import { readRows } from '../../db/sql';
import { unitDirectory } from '../system/unit-directory';

// The case list behind the dashboard, its CSV export and GET /api/cases: filters live in the query
// string so a view can be bookmarked and shared.

export const caseFilters = z.object({
  type: text(40, { min: 0 }).optional(),
  status: text(40, { min: 0 }).optional(),
  voivodeship: z.string().regex(/^\d{2}$/, 'Kod województwa: 2 cyfry').optional(),
  unit: z.string().regex(/^\d{2,7}$/, 'Kod TERYT jednostki (2–7 cyfr)').optional(),
  overdue: z.enum(['1', 'true']).optional(),
  dueBefore: z.iso.date('Data w formacie RRRR-MM-DD').optional(),
  waiting: z.enum(['office', 'applicant']).optional(),
  // Issue 14 item 2: cases marked "wymaga interwencji".
  attention: z.enum(['1', 'true']).optional(),
  q: text(100, { min: 0 }).optional(),
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
  /** Epoch milliseconds: a page shows fifty of each, and numbers cost less to read than timestamps. */
  deadline: number | null;
  updated_at: number;
  closed_at: number | null;
  open_tasks: number;
  /** Why the case needs an operator ("wymaga interwencji"), or null. */
  attention_reason: string | null;
  /** The sort key exactly as stored (text), for a keyset cursor. */
  sort_key: string | null;
}

/** Where a keyset page starts: after the row with this sort key and id, in this sort and direction. */
export interface CaseCursor {
  sort: CaseFilters['sort'];
  dir: CaseFilters['dir'];
  key: string | null;
  id: string;
}

export const encodeCaseCursor = (c: CaseCursor): string => Buffer.from(JSON.stringify([c.sort, c.dir, c.key, c.id])).toString('base64url');

/** The cursor, or null when it is not one this list gave out. */
export function decodeCaseCursor(raw: string): CaseCursor | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 4) return null;
    const [sort, dir, key, id] = v as unknown[];
    if (!(typeof sort === 'string' && sort in ORDER) || (dir !== 'asc' && dir !== 'desc') || typeof id !== 'string' || (key !== null && typeof key !== 'string')) return null;
    if (sort !== 'unit' && key !== null && Number.isNaN(Date.parse(key))) return null;
    return { sort: sort as CaseCursor['sort'], dir, key, id };
  } catch {
    return null;
  }
}

/** Rows after the cursor in the list's order (`order by <key> <dir> [nulls last], id <dir>`). */
function keysetSql(c: CaseCursor): Sql {
  const col = `c.${ORDER[c.sort]}`;
  const cmp = c.dir === 'asc' ? '>' : '<';
  const key = c.sort === 'unit' ? '?' : '?::timestamptz';
  if (c.sort === 'deadline') {
    return c.key === null
      ? { sql: `(${col} is null and c.id ${cmp} ?)`, params: [c.id] }
      : { sql: `(${col} is null or (${col}, c.id) ${cmp} (${key}, ?))`, params: [c.key, c.id] };
  }
  return { sql: `(${col}, c.id) ${cmp} (${key}, ?)`, params: [c.key, c.id] };
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
  // cases.open_tasks is kept by triggers on tasks (migration case_list_speed).
  if (f.waiting === 'office') add('c.closed_at is null and c.open_tasks > 0');
  if (f.waiting === 'applicant') add('c.closed_at is null and c.open_tasks = 0');
  if (f.attention) add('c.attention_at is not null');
  if (f.q) {
    if (/^\d+$/.test(f.q)) add('c.unit_code like ?', `${f.q}%`);
    else if (namedUnits && namedUnits.length) add('c.unit_code = any(?::varchar[])', namedUnits);
    else add('false');
  }
  return { parts, params };
}

interface Sql {
  sql: string;
  params: unknown[];
}

/**
 * The visible cases as one or two disjoint conditions: whole voivodeships, and the other visible cases
 * outside them. Read as separate branches, each can walk its own index in the list's order; one
 * condition joined by OR would make the planner read and sort every candidate.
 */
function visibilityBranches(p: Principal): Sql[] {
  const scope = voivodeshipScope(p);
  if (scope.c === 'true') return [{ sql: 'true', params: [] }];
  const branches: Sql[] = [];
  if (scope.summary) branches.push({ sql: scope.c, params: scope.params });
  if (scope.others) branches.push({ sql: `${scope.others.sql}${scope.summary ? ` and not ${scope.c}` : ''}`, params: [...scope.others.params, ...(scope.summary ? scope.params : [])] });
  return branches.length ? branches : [{ sql: 'false', params: [] }];
}

/** Each visibility branch with the filters: the cases a list selects are the union of these. */
function selections(p: Principal, f: CaseFilters, namedUnits: string[] | null): Sql[] {
  const fs = filterSql(f, namedUnits);
  return visibilityBranches(p).map((b) => ({ sql: [b.sql, ...fs.parts].join(' and '), params: [...b.params, ...fs.params] }));
}

const ORDER: Record<CaseFilters['sort'], string> = { updated: 'updated_at', deadline: 'deadline', created: 'created_at', unit: 'unit_code' };
/** What a listed case shows, and every sort key. */
const LISTED = 'c.id, c.type, c.status, c.title, c.unit_code, c.voivodeship, c.waiting_for, c.deadline, c.created_at, c.updated_at, c.closed_at, c.open_tasks, c.attention_reason';
const epochMs = (col: string) => `(extract(epoch from ${col}) * 1000)::float8`;
/** What the list answers with (a CaseRow), from rows of LISTED under alias `a`. */
const shown = (a: string, sort: CaseFilters['sort'] = 'updated') =>
  `${a}.${ORDER[sort]}::text as sort_key, ${a}.id, ${a}.type, ${a}.status, ${a}.title, ${a}.unit_code, ${a}.voivodeship, ${a}.waiting_for, ${a}.open_tasks, ${a}.attention_reason,
   ${epochMs(`${a}.deadline`)} as deadline, ${epochMs(`${a}.updated_at`)} as updated_at, ${epochMs(`${a}.closed_at`)} as closed_at`;

/** Above this many cases a list filtered beyond case_counts says "ponad 1 000" instead of counting every case. */
export const COUNT_CAP = 1000;

// "Overdue" splits at the start of today in Poland: earlier deadline days come from case_counts, and
// today's part (deadline already passed today) from cases, read in the same statement as the summary.
const TODAY = "(now() at time zone 'Europe/Warsaw')::date";
const TODAY_START = `(${TODAY}::timestamp at time zone 'Europe/Warsaw')`;

/**
 * How many cases a walk of the sort key's index passes over: a voivodeship's cases when the list is
 * within one voivodeship and in the default order (the voivodeship + updated_at index), else all.
 */
function walkedCases(p: Principal, f: CaseFilters): Sql {
  const own = caseVisibilityParts(p).voivodeships;
  const voivodeship = f.voivodeship ?? (own?.length === 1 ? own[0] : null);
  return f.sort === 'updated' && voivodeship
    ? { sql: '(select coalesce(sum(n), 0)::int from case_counts where voivodeship = ?)', params: [voivodeship] }
    : { sql: '(select coalesce(sum(n), 0)::int from case_counts)', params: [] };
}

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
 * How many cases the filters select, as one row (total, exact, cases): exactly from case_counts when
 * the filters are ones it keeps (type, status, voivodeship, overdue, waiting), else by counting cases up
 * to COUNT_CAP; `cases` is walkedCases.
 */
function countSql(p: Principal, f: CaseFilters, namedUnits: string[] | null): Sql {
  const walked = walkedCases(p, f);
  if (f.unit || f.q || f.dueBefore || f.attention) {
    const sel = selections(p, f, namedUnits);
    return {
      sql: `select least(m, ${COUNT_CAP}) as total, m <= ${COUNT_CAP} as exact, ${walked.sql} as cases
            from (select count(*)::int as m from (${sel.map((s) => `(select 1 from cases c where ${s.sql} limit ${COUNT_CAP + 1})`).join(' union all ')}) x) y`,
      params: [...walked.params, ...sel.flatMap((s) => s.params)],
    };
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
  if (f.waiting === 'office') keep('k.office');
  if (f.waiting === 'applicant') keep('not k.closed and not k.office');
  // Cases the summary does not cover, each counted apart so each reads its own index: today's overdue
  // part, and cases visible outside whole voivodeships.
  const parts: Sql[] = [];
  if (scope.summary) parts.push({ sql: `(select coalesce(sum(k.n), 0) from case_counts k where ${kConds.join(' and ')})`, params: kParams });
  const live = (sql: string, params: unknown[]) => parts.push({ sql: `(select count(*) from cases c where ${[...fs.parts, sql].join(' and ')})`, params: [...fs.params, ...params] });
  if (f.overdue && scope.summary) live(`${scope.c} and c.deadline >= ${TODAY_START}`, scope.params);
  if (scope.others) live(`${scope.others.sql} and not ${scope.c}`, [...scope.others.params, ...scope.params]);
  return {
    sql: `select (${parts.map((x) => x.sql).join(' + ') || '0'})::int as total, true as exact, ${walked.sql} as cases`,
    params: [...parts.flatMap((x) => x.params), ...walked.params],
  };
}

/** At most this many selected cases are fetched whole and sorted, instead of walking an index in order. */
const SMALL_SELECTION = 5000;

/**
 * Walking the sort key's index reads about (rows to skip and show) × cases / selected cases; reading
 * the selection through the filters' indexes reads the selection. The planner cannot tell the share of
 * a rare selection (scope and filters combined), the count can: SQL over the count's row `n`.
 */
const readSelectionWhole = (upTo: number) =>
  `n.exact and n.total <= ${SMALL_SELECTION} and (n.total = 0 or ${upTo}::bigint * n.cases > n.total::bigint * n.total)`;

/**
 * One page of the list (the dashboard's page `f.page`), or with `after` the page after that row (the
 * API's keyset cursor, same filters, visibility and order); `all` for the CSV export.
 */
export async function listCases(em: EntityManager, p: Principal, f: CaseFilters, opts: { all?: boolean; after?: CaseCursor } = {}): Promise<CaseList> {
  const units = await unitDirectory(em);
  const namedUnits = f.q && !/^\d+$/.test(f.q) ? units.codesNamed(f.q) : null;
  const keyset = opts.after ? keysetSql(opts.after) : null;
  const sel = selections(p, f, namedUnits).map((s) => (keyset ? { sql: `${s.sql} and ${keyset.sql}`, params: [...s.params, ...keyset.params] } : s));
  const selParams = sel.flatMap((s) => s.params);
  // Only the deadline can be empty; other sort keys keep plain order so their indexes serve it.
  const dir = f.dir === 'asc' ? 'asc' : 'desc';
  const order = (alias: string) => `${alias}.${ORDER[f.sort]} ${dir}${f.sort === 'deadline' ? ' nulls last' : ''}, ${alias}.id ${dir}`;
  /**
   * One branch is read in index order straight to the page; several are each read up to the page's
   * end, then merged. `whole` reads each branch's selection first (the `offset 0` keeps the planner
   * from walking the sort index), for rare selections.
   */
  const rowsSql = (upTo: number | null, page: string, whole: boolean, columns = LISTED) => {
    const limit = upTo === null ? '' : ` limit ${upTo}`;
    if (sel.length === 1 && !whole) return `select ${columns} from cases c where ${sel[0].sql} order by ${order('c')}${page}`;
    const branches = sel.map((s) =>
      whole
        ? `(select * from (select ${LISTED} from cases c where ${s.sql} offset 0) c order by ${order('c')}${limit})`
        : `(select ${LISTED} from cases c where ${s.sql} order by ${order('c')}${limit})`,
    );
    return `select ${columns} from (${branches.join(' union all ')}) c order by ${order('c')}${page}`;
  };
  const named = (rows: CaseRow[]) => {
    for (const r of rows) r.unit_name = units.name(r.unit_code);
    return rows;
  };
  if (opts.all) {
    const rows = named(await readRows<CaseRow>(em, rowsSql(null, '', false, shown('c', f.sort)), selParams));
    return { rows, total: rows.length, exact: true, more: false };
  }
  // One statement: the count, then the page read one of two ways, chosen by the count. The way not
  // chosen sits behind a one-time filter and is never executed.
  const count = countSql(p, f, namedUnits);
  const offset = opts.after ? 0 : (f.page - 1) * f.perPage;
  const upTo = offset + f.perPage + 1; // one row past the page tells whether a next page exists
  const page = ` limit ${f.perPage + 1} offset ${offset}`;
  const sql = `with n as materialized (${count.sql}), how as materialized (select ${readSelectionWhole(upTo)} as whole from n)
    select n.total, n.exact, ${shown('r', f.sort)} from n left join (
      select * from (${rowsSql(upTo, page, true)}) w where (select whole from how)
      union all
      select * from (${rowsSql(upTo, page, false)}) k where not (select whole from how)
    ) r on true order by ${order('r')}`;
  const out = await readRows<CaseRow & { total: number; exact: boolean }>(em, sql, [...count.params, ...selParams, ...selParams]);
  const { total, exact } = out[0];
  const rows = out[0].id === null ? [] : named(out);
  const more = rows.length > f.perPage;
  return { rows: more ? rows.slice(0, f.perPage) : rows, total, exact, more };
}

/** How many visible cases (of one type, or all) are marked "wymaga interwencji" (a partial index holds them). */
export async function countAttention(em: EntityManager, p: Principal, type?: string): Promise<number> {
  const sel = selections(p, caseFilters.parse({ attention: '1', ...(type ? { type } : {}) }), null);
  const rows = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from (${sel.map((s) => `(select 1 from cases c where ${s.sql})`).join(' union all ')}) x`,
    sel.flatMap((s) => s.params),
  );
  return rows[0]?.n ?? 0;
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

/** How the CSV export names codes for people: case types, statuses and voivodeships in Polish. */
export interface CsvLabels {
  type: (type: string) => string;
  status: (row: { type: string; status: string }) => string;
  voivodeship: (code: string) => string;
}

/**
 * Semicolon-separated with a BOM, as Polish spreadsheets expect, through csv-stringify: quoting by the
 * library, and a cell that would start a formula (= + - @ tab CR) is prefixed with an apostrophe, so a
 * unit's name cannot run in an official's spreadsheet.
 */
export function casesCsv(rows: CaseRow[], labels: CsvLabels): string {
  const iso = (v: number | null | undefined) => (v ? new Date(v).toISOString() : '');
  return stringify(
    rows.map((r) => [r.id, labels.type(r.type), labels.status(r), r.title, r.unit_code, r.unit_name ?? '', labels.voivodeship(r.voivodeship), r.waiting_for ?? '', iso(r.deadline), iso(r.updated_at), iso(r.closed_at)]),
    {
      bom: true,
      delimiter: ';',
      record_delimiter: '\r\n',
      escape_formulas: true,
      header: true,
      columns: ['sprawa', 'rodzaj', 'status', 'tytuł', 'kod TERYT', 'jednostka', 'województwo', 'na co czeka', 'termin', 'zmieniono', 'zamknięto'],
    },
  );
}
