import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../api/access';
import { caseFilters, listCases, type CaseFilters } from '../../api/cases/service';
import { readRows, PREPARED_PER_CONNECTION } from '../../db/sql';
import { importTerc } from '../../db/reference';
import { createTestDb, type TestDb } from '../support/db';

// The case list reads a summary and a task count kept by triggers, and picks how to read a page from
// the count. Whatever it picks, an official must see the same cases, in the same order, as a plain
// reading of the cases table would give: checked here against such a reading, over many filters.

let db: TestDb;
let em: EntityManager;
const DAY = 86_400_000;
const ministry: Principal = { accountId: '00000000-0000-4000-8000-000000000001', login: 'min', assignments: [{ role: 'ministry', voivodeship: null, unitCode: null, area: null }], mustChangePassword: false, via: 'session' };
const admin14: Principal = {
  accountId: '00000000-0000-4000-8000-000000000002',
  login: 'adm',
  assignments: [{ role: 'voivodeship_admin', voivodeship: '14', unitCode: null, area: null }],
  mustChangePassword: false,
  via: 'session',
};

interface Seeded {
  id: string;
  type: string;
  status: string;
  unit_code: string;
  voivodeship: string;
  deadline: Date | null;
  updated_at: Date;
  created_at: Date;
  closed_at: Date | null;
  account_id: string | null;
}

let cases: Seeded[] = [];
const openTasks = new Map<string, number>();

async function recount() {
  const [drift] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from cases c where c.open_tasks <> (select count(*) from tasks t where t.case_id = c.id and t.status = 'open')`,
  );
  const [summary] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from (
       select voivodeship, type, status, closed, office, deadline_day, n from case_counts
       except
       select voivodeship, type, status, closed_at is not null, closed_at is null and open_tasks > 0, case_count_day(deadline, closed_at), count(*)::int
       from cases group by 1, 2, 3, 4, 5, 6) x`,
  );
  return { drift: drift.n, summary: summary.n };
}

beforeAll(async () => {
  db = await createTestDb();
  em = db.orm.em.fork();
  await importTerc(db.orm);
  const units = await em.execute<{ code: string; voivodeship: string }[]>("select code, voivodeship from units where kind = 'gmina' and (code like '14%' or code like '26%' or code like '02%' or code like '12%') order by code");
  const statuses = ['awaiting_scan', 'awaiting_decision', 'accepted'];
  const now = Date.now();
  let seed = 11;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  cases = Array.from({ length: 600 }, (_, i) => {
    const u = units[rnd(units.length)];
    const status = statuses[rnd(3)];
    const closed = status === 'accepted';
    return {
      id: `c-${String(i).padStart(4, '0')}`,
      type: rnd(4) === 0 ? 'permission' : 'registration',
      status,
      unit_code: u.code,
      voivodeship: u.voivodeship,
      deadline: rnd(8) === 0 ? null : new Date(now + (rnd(40) - 20) * DAY + rnd(1000) * 1000),
      // Ties in the sort keys: the id decides.
      updated_at: new Date(now - rnd(200) * 3_600_000),
      created_at: new Date(now - 300 * DAY + rnd(100) * DAY),
      closed_at: closed ? new Date(now - rnd(10) * DAY) : null,
      account_id: i % 97 === 0 ? admin14.accountId : null,
    };
  });
  for (const i of [5, 6]) Object.assign(cases[i], { unit_code: '1261011', voivodeship: '12' }); // Kraków, for the name search
  // A task recorded before its case row: the case counts it when inserted.
  await em.execute("insert into tasks (id, case_id, kind, title, role, status, created_at) values ('early', 'c-0001', 'k', 't', 'staff', 'open', now())");
  await em.execute(
    `insert into cases (id, type, status, unit_code, voivodeship, title, deadline, data, run_id, created_at, updated_at, closed_at, account_id)
     select id, type, status, unit_code, voivodeship, 'Sprawa ' || id, deadline, '{}', 'r', created_at, updated_at, closed_at, account_id
     from json_to_recordset(?::json) as t(id text, type text, status text, unit_code text, voivodeship text, deadline timestamptz, created_at timestamptz, updated_at timestamptz, closed_at timestamptz, account_id uuid)`,
    [JSON.stringify(cases)],
  );
  openTasks.set('c-0001', 1);
  // Open tasks on the awaiting-decision cases, some two; then some completed, cancelled or deleted.
  for (const c of cases.filter((c) => c.status === 'awaiting_decision')) {
    const n = 1 + (Number(c.id.slice(2)) % 2);
    for (let k = 0; k < n; k++) await em.execute("insert into tasks (id, case_id, kind, title, role, status, created_at) values (?, ?, 'k', 't', 'voivodeship_admin', 'open', now())", [`${c.id}:${k}`, c.id]);
    openTasks.set(c.id, (openTasks.get(c.id) ?? 0) + n);
  }
  const decided = cases.filter((c) => c.status === 'awaiting_decision' && Number(c.id.slice(2)) % 3 === 0).map((c) => c.id);
  const inDecided = 'case_id in (select jsonb_array_elements_text(?::jsonb))';
  await em.execute(`update tasks set status = 'completed' where ${inDecided} and id like '%:0'`, [JSON.stringify(decided)]);
  await em.execute(`delete from tasks where ${inDecided} and id like '%:1'`, [JSON.stringify(decided)]);
  for (const id of decided) openTasks.delete(id);
});

afterAll(async () => {
  await db?.drop();
});

it('keeps every case’s open-task count and the count summary equal to the tasks and cases', async () => {
  expect(await recount()).toEqual({ drift: 0, summary: 0 });
  const [row] = await em.execute<{ open_tasks: number }[]>("select open_tasks from cases where id = 'c-0001'");
  expect(row.open_tasks).toBeGreaterThanOrEqual(1);
  // A case closing with its tasks cancelled leaves the office's queue.
  await em.execute("update tasks set status = 'cancelled' where case_id = 'c-0001' and status = 'open'");
  await em.execute("update cases set closed_at = now(), status = 'accepted' where id = 'c-0001'");
  const c = cases.find((x) => x.id === 'c-0001')!;
  c.status = 'accepted';
  c.closed_at = new Date();
  openTasks.delete('c-0001');
  expect(await recount()).toEqual({ drift: 0, summary: 0 });
});

/** The list as a plain reading of the seeded cases would give it. */
function expected(p: Principal, f: CaseFilters): Seeded[] {
  const now = Date.now();
  const named = f.q && !/^\d+$/.test(f.q) ? null : f.q;
  const rows = cases.filter((c) => {
    const visible = p === ministry || c.voivodeship === '14' || c.account_id === p.accountId;
    const open = !c.closed_at;
    return (
      visible &&
      (!f.type || c.type === f.type) &&
      (!f.status || c.status === f.status) &&
      (!f.voivodeship || c.voivodeship === f.voivodeship) &&
      (!f.unit || c.unit_code.startsWith(f.unit)) &&
      (!named || c.unit_code.startsWith(named)) &&
      (!f.overdue || (open && c.deadline !== null && c.deadline.getTime() < now)) &&
      (f.waiting !== 'office' || (open && (openTasks.get(c.id) ?? 0) > 0)) &&
      (f.waiting !== 'applicant' || (open && !openTasks.get(c.id)))
    );
  });
  const key = (c: Seeded): number | string | null =>
    f.sort === 'updated' ? c.updated_at.getTime() : f.sort === 'created' ? c.created_at.getTime() : f.sort === 'unit' ? c.unit_code : c.deadline?.getTime() ?? null;
  const sign = f.dir === 'asc' ? 1 : -1;
  return rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === null) return 1; // deadline: nulls last both ways
      if (kb === null) return -1;
      return (ka < kb ? -1 : 1) * sign;
    }
    return (a.id < b.id ? -1 : 1) * sign;
  });
}

const views: Record<string, string>[] = [
  {},
  { waiting: 'office' },
  { waiting: 'applicant', sort: 'deadline', dir: 'asc' },
  { voivodeship: '14', overdue: '1' },
  { voivodeship: '26', sort: 'unit', dir: 'asc', perPage: '7', page: '3' },
  { status: 'awaiting_decision', sort: 'deadline', dir: 'asc', perPage: '10', page: '2' },
  { type: 'permission', sort: 'created' },
  { unit: '1465', perPage: '5' },
  { q: '14', waiting: 'office', perPage: '4', page: '2' },
  { overdue: '1', perPage: '200' },
  { waiting: 'office', page: '3', perPage: '20' },
  { status: 'accepted', sort: 'deadline', dir: 'desc', perPage: '9', page: '4' },
];

it.each(views.flatMap((v) => [['ministry', v] as const, ['voivodeship admin 14', v] as const]))('lists for the %s what a plain reading gives: %j', async (who, raw) => {
  const p = who === 'ministry' ? ministry : admin14;
  const f = caseFilters.parse(raw);
  const want = expected(p, f);
  const got = await listCases(db.orm.em.fork(), p, f);
  const from = (f.page - 1) * f.perPage;
  expect(got.rows.map((r) => r.id)).toEqual(want.slice(from, from + f.perPage).map((c) => c.id));
  expect({ total: got.total, exact: got.exact, more: got.more }).toEqual({ total: want.length, exact: true, more: want.length > from + f.perPage });
  // The CSV export and bulk actions read the whole selection.
  const all = await listCases(db.orm.em.fork(), p, f, { all: true });
  expect(all.rows.map((r) => r.id)).toEqual(want.map((c) => c.id));
});

it('finds units by name in the list and shows their TERC names', async () => {
  const named = await em.execute<{ code: string; name: string }[]>("select code, name from units where kind <> 'voivodeship' and lower(name) like '%kraków%'");
  const names = new Map(named.map((u) => [u.code, u.name]));
  const want = cases.filter((c) => names.has(c.unit_code));
  expect(want.length).toBeGreaterThan(0);
  const got = await listCases(db.orm.em.fork(), ministry, caseFilters.parse({ q: 'KRAKÓW', perPage: '200' }));
  expect(got.rows.map((r) => r.id).sort()).toEqual(want.map((c) => c.id).sort());
  for (const r of got.rows) expect(r.unit_name).toBe(names.get(r.unit_code));
});

it('keeps at most PREPARED_PER_CONNECTION statements prepared on a connection', async () => {
  for (let i = 0; i < PREPARED_PER_CONNECTION + 30; i++) {
    const [r] = await readRows<{ v: number }>(em, `select ?::int + ${i} as v`, [1]);
    expect(r.v).toBe(1 + i);
  }
  const [{ n }] = await readRows<{ n: number }>(em, 'select count(*)::int as n from pg_prepared_statements', []);
  expect(n).toBeLessThanOrEqual(PREPARED_PER_CONNECTION);
  expect(n).toBeGreaterThan(0);
});
