import request from 'supertest';
import { hashPassword } from '../../lib/passwords';
import { ensureAccount } from '../../db/demo';
import { startSystem, type TestSystem } from '../support/system';

// GET /api/cases is the case list page for programs: for a seeded set, whatever the filters and order, the
// API's keyset pages give the rows the page shows on its numbered pages, in the same order, every row
// exactly once; GET /api/tasks pages through the open tasks the same way.

let sys: TestSystem;
let page: ReturnType<typeof request.agent>;
let token: string;
const DAY = 86_400_000;
const PASSWORD = 'Parytet#Haslo2026';

beforeAll(async () => {
  sys = await startSystem();
  const orm = sys.db.orm;
  const em = orm.em.fork();
  await ensureAccount(orm, { login: 'parytet-adm-26', firstName: 'Anna', lastName: 'Nowak', role: 'voivodeship_admin', voivodeship: '26' });
  await em.getConnection().execute('update accounts set password_hash = ?, password_changed_at = now(), must_change_password = false where login = ?', [await hashPassword(PASSWORD), 'parytet-adm-26']);
  page = request.agent(sys.app);
  const signedIn = await page.post('/api/auth/login').send({ login: 'parytet-adm-26', password: PASSWORD }).expect(200);
  const t = await page.post('/api/tokens').set('X-CSRF-Token', signedIn.body.csrfToken).send({ name: 'parytet' }).expect(201);
  token = t.body.token;

  const units = await em.execute<{ code: string; voivodeship: string }[]>("select code, voivodeship from units where kind = 'gmina' and (code like '26%' or code like '12%') order by code");
  const now = Date.now();
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const statuses = ['awaiting_scan', 'awaiting_decision', 'accepted'];
  // Ties on every sort key (the same hour, day, unit), empty deadlines: the id decides.
  const cases = Array.from({ length: 140 }, (_, i) => {
    const u = units[rnd(units.length)];
    const status = statuses[rnd(3)];
    return {
      id: `p-${String(i).padStart(3, '0')}`,
      type: rnd(3) === 0 ? 'permission' : 'registration',
      status,
      unit_code: rnd(5) === 0 ? '2661011' : u.code,
      voivodeship: u.voivodeship,
      deadline: rnd(5) === 0 ? null : new Date(now + (rnd(20) - 10) * DAY),
      updated_at: new Date(now - rnd(30) * 3_600_000),
      created_at: new Date(now - 100 * DAY + rnd(20) * DAY),
      closed_at: status === 'accepted' ? new Date(now - rnd(10) * DAY) : null,
    };
  });
  await em.execute(
    `insert into cases (id, type, status, unit_code, voivodeship, title, deadline, data, run_id, created_at, updated_at, closed_at)
     select id, type, status, unit_code, case when unit_code = '2661011' then '26' else voivodeship end, 'Sprawa ' || id, deadline, '{}', 'r', created_at, updated_at, closed_at
     from json_to_recordset(?::json) as t(id text, type text, status text, unit_code text, voivodeship text, deadline timestamptz, created_at timestamptz, updated_at timestamptz, closed_at timestamptz)`,
    [JSON.stringify(cases)],
  );
  // Open tasks of the voivodeship's administrators, many due at the same moment (ties), some without a due date.
  const due = new Date(now + 3 * DAY).toISOString();
  for (const c of cases.filter((x) => x.status === 'awaiting_decision')) {
    await em.execute("insert into tasks (id, case_id, kind, title, role, voivodeship, status, due_at, created_at) values (?, ?, 'registration-decision', 'Decyzja', 'voivodeship_admin', ?, 'open', ?, now())", [
      `${c.id}:t`,
      c.id,
      c.voivodeship,
      rnd(4) === 0 ? null : rnd(2) === 0 ? due : new Date(now + rnd(10) * DAY).toISOString(),
    ]);
  }
}, 240_000);

afterAll(async () => {
  await sys?.close();
});

/** Every row the page shows for these filters, page by page (its own numbered pages). */
async function pageRows(filters: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 1; n < 100; n++) {
    const res = await page.get('/sprawy').query({ ...filters, page: n, perPage: 20 }).expect(200);
    ids.push(...[...res.text.matchAll(/<a href="\/sprawy\/([^"?]+)">/g)].map((m) => decodeURIComponent(m[1])));
    if (!res.text.includes('następna →')) return ids;
  }
  throw new Error('the page never ended');
}

/** Every row of the API for these filters, following X-Next-Cursor, checking the Link header agrees. */
async function apiRows(filters: Record<string, string>, limit: number): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let total = 0;
  for (let n = 0; n < 200; n++) {
    const res = await request(sys.app).get('/api/cases').query({ ...filters, limit, ...(cursor ? { cursor } : {}) }).set('Authorization', `Bearer ${token}`).expect(200);
    ids.push(...res.body.items.map((i: { id: string }) => i.id));
    total = res.body.total;
    cursor = res.headers['x-next-cursor'];
    expect(res.body.nextCursor ?? undefined).toBe(cursor);
    if (!cursor) return { ids, total };
    expect(res.headers.link).toContain(`cursor=${cursor}`);
    expect(res.body.items).toHaveLength(limit);
  }
  throw new Error('the cursor never ended');
}

const VIEWS: Record<string, string>[] = [
  {},
  { sort: 'deadline', dir: 'asc' },
  { sort: 'deadline', dir: 'desc' },
  { sort: 'created', dir: 'asc', type: 'registration' },
  { sort: 'unit', dir: 'desc', waiting: 'office' },
  { sort: 'updated', dir: 'asc', status: 'awaiting_scan' },
  { unit: '2661011', sort: 'deadline' },
  { overdue: '1' },
  { q: 'Kielce', sort: 'unit', dir: 'asc' },
];

test.each(VIEWS)('the API pages through what the page shows for %o, each row once', async (filters) => {
  const shown = await pageRows(filters);
  const listed = await apiRows(filters, 7);
  expect(listed.ids).toEqual(shown);
  expect(new Set(listed.ids).size).toBe(listed.ids.length);
  expect(listed.total).toBe(shown.length);
  if (Object.keys(filters).length === 0) expect(shown.length).toBeGreaterThan(40);
});

test('a cursor of another order or a forged one is refused with a Polish message', async () => {
  const first = await request(sys.app).get('/api/cases').query({ sort: 'deadline', limit: 5 }).set('Authorization', `Bearer ${token}`).expect(200);
  const other = await request(sys.app).get('/api/cases').query({ sort: 'unit', cursor: first.body.nextCursor }).set('Authorization', `Bearer ${token}`).expect(400);
  expect(other.body.error.message).toMatch(/kursor/);
  await request(sys.app).get('/api/cases').query({ cursor: 'nie-kursor' }).set('Authorization', `Bearer ${token}`).expect(400);
  const bad = await request(sys.app).get('/api/cases').query({ sort: 'najlepsze' }).set('Authorization', `Bearer ${token}`).expect(400);
  expect(bad.body.error.details[0].path).toBe('query.sort');
});

test('GET /api/tasks pages through the tasks "Moje zadania" shows, each once, earliest due first', async () => {
  const shownPage = await page.get('/zadania').expect(200);
  const onPage = [...shownPage.text.matchAll(/\/zadania\/([^/"]+)\/przejmij/g)].map((m) => decodeURIComponent(m[1]));
  const ids: string[] = [];
  const dues: (string | null)[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 100; n++) {
    const res = await request(sys.app).get('/api/tasks').query({ limit: 6, ...(cursor ? { cursor } : {}) }).set('Authorization', `Bearer ${token}`).expect(200);
    ids.push(...res.body.map((t: { id: string }) => t.id));
    dues.push(...res.body.map((t: { dueAt: string | null }) => t.dueAt));
    cursor = res.headers['x-next-cursor'];
    if (!cursor) break;
    expect(res.body).toHaveLength(6);
  }
  expect(ids.length).toBeGreaterThan(12);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual(onPage);
  const dated = dues.filter((d): d is string => d !== null);
  expect(dated).toEqual([...dated].sort());
  expect(dues.slice(dated.length).every((d) => d === null)).toBe(true);
});
