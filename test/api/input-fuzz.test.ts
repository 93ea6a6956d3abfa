import fc from 'fast-check';
import request from 'supertest';
import { z } from 'zod';
import { hashPassword } from '../../lib/passwords';
import { tokenFor } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/system';

// Input that cannot be stored is refused at the door (issue 14 item 1), proved by property: every write
// route of /openapi.json gets bodies generated from its own schema, with any part replaced by something
// hostile (wrong types; huge, empty and unicode-edge strings; prototype keys; SQL, template and HTML
// injection; path-traversal file names), in the wrong content types too. Whatever comes: never a 5xx,
// and a refused request starts no workflow and writes no row (audit rows and rate-limit counters aside:
// refusals are audited on purpose).

let sys: TestSystem;
let token: string;
type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; const?: unknown; anyOf?: Schema[]; oneOf?: Schema[]; format?: string; pattern?: string; maxLength?: number; additionalProperties?: Schema | boolean };
interface WriteRoute {
  method: 'post' | 'put' | 'patch' | 'delete';
  path: string;
  params: string[];
  body?: Schema;
  multipart: boolean;
  auth: boolean;
}
const routes: WriteRoute[] = [];

beforeAll(async () => {
  sys = await startSystem();
  token = await tokenFor(sys.db.orm, 'fuzz-ministerstwo', 'ministry', null);
  const { body: doc } = await request(sys.app).get('/openapi.json').expect(200);
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> }; security?: unknown[] }>>)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      routes.push({
        method: method as WriteRoute['method'],
        path,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        body: (content['application/json'] ?? content['multipart/form-data'])?.schema,
        multipart: 'multipart/form-data' in content,
        auth: (op.security?.length ?? 0) > 0,
      });
    }
  }
}, 300_000);
afterAll(async () => {
  await sys?.close();
});

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'Kowal\u0000ska',
  'a\u0001\u0002\u001b[31m',
  '\ud800',
  'x\udfffy',
  '\u202eevil',
  '\ufeff',
  'e\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  "'; drop table cases; --",
  "' or '1'='1",
  '{{constructor.constructor("return process")()}}',
  '${process.exit(1)}',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http://zly.example")',
  '../../../../etc/passwd',
  '..\\..\\windows\\system32',
  '%00',
  '%E0%A4%A',
  '__proto__',
  'Ł'.repeat(5000),
  'a'.repeat(300_000),
];
const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 50 }), fc.string({ unit: 'grapheme', maxLength: 50 }));
const prototypeKeys = fc.constantFrom(JSON.parse('{"__proto__": {"isAdmin": true}}'), { constructor: { prototype: { isAdmin: true } } }, { prototype: 1 });
const hostile: fc.Arbitrary<unknown> = fc.oneof(hostileString, fc.anything({ maxDepth: 2 }), fc.constantFrom(null, true, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, [], {}), prototypeKeys);

/** Values for a JSON schema, each node sometimes replaced by a hostile one. */
function valueOf(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 5) return hostile;
  let honest: fc.Arbitrary<unknown>;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (s.enum) honest = fc.constantFrom(...s.enum);
  else if (s.const !== undefined) honest = fc.constant(s.const);
  else if (s.anyOf || s.oneOf) honest = fc.oneof(...(s.anyOf ?? s.oneOf)!.map((x) => valueOf(x, depth + 1)));
  else if (type === 'object') {
    const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, valueOf(v, depth + 1)]));
    honest = fc.tuple(fc.record(props, { requiredKeys: (s.required ?? []).filter((k) => k in props) }), fc.option(prototypeKeys, { freq: 4 })).map(([o, extra]) => (extra ? { ...o, ...extra } : o));
  } else if (type === 'array') honest = fc.array(valueOf(s.items, depth + 1), { maxLength: 4 });
  else if (type === 'string') {
    if (s.format === 'email') honest = fc.emailAddress();
    else if (s.format === 'date-time') honest = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
    else if (s.pattern) honest = fc.stringMatching(new RegExp(s.pattern));
    else honest = fc.string({ maxLength: Math.min(s.maxLength ?? 40, 40) });
  } else if (type === 'integer') honest = fc.integer({ min: -5, max: 400 });
  else if (type === 'number') honest = fc.double();
  else if (type === 'boolean') honest = fc.boolean();
  else honest = fc.anything({ maxDepth: 2 });
  return fc.oneof({ arbitrary: honest, weight: 4 }, { arbitrary: hostile, weight: 1 });
}

/** Percent-encodes every byte, so even a lone surrogate (as U+FFFD) or a slash stays one path segment. */
const segment = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') || '%20';

const q = (sql: string) => sys.db.orm.em.fork().getConnection().execute<{ t: string; n: number }[]>(sql);
/** Rows of every table but the audit trail and the rate-limit counters. */
async function rowCounts(): Promise<Record<string, number>> {
  const rows = await q(`select table_name as t, (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I', table_name), false, true, '')))[1]::text::int as n
    from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('audit_log', 'rate_limits', 'mikro_orm_migrations')`);
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

/** After an accepted request, until its workflows have written what they write (so the next run compares alike). */
async function settle(): Promise<void> {
  let last = JSON.stringify(await rowCounts());
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const now = JSON.stringify(await rowCounts());
    if (now === last) return;
    last = now;
  }
}

let starts = 0;
beforeAll(() => {
  // What the API asks of Temporal: counted on the real client, calls go through unchanged.
  for (const name of ['start', 'signalWithStart', 'execute'] as const) {
    const original = sys.client.workflow[name].bind(sys.client.workflow) as (...a: unknown[]) => unknown;
    (sys.client.workflow as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      starts++;
      return original(...args);
    };
  }
});

type Auth = 'token' | 'none' | 'bad-cookie';
const wire = fc.constantFrom('json', 'json', 'json', 'text', 'form', 'multipart', 'malformed');

/** Any generated value as form text (objects as JSON; some have no toString of their own). */
const asText = (v: unknown): string => {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
};

async function send(route: WriteRoute, params: string[], body: unknown, how: string, auth: Auth, fileName: string) {
  let url = route.path;
  route.params.forEach((p, i) => (url = url.replace(`{${p}}`, segment(params[i] ?? 'x'))));
  let r = (request(sys.app) as unknown as Record<string, (u: string) => request.Test>)[route.method](url);
  if (auth === 'token') r = r.set('Authorization', `Bearer ${token}`);
  if (auth === 'bad-cookie') r = r.set('Cookie', 'obieg_session=%E0%A4%A; obieg_session=x"y');
  if (route.multipart || how === 'multipart') {
    for (const [k, v] of Object.entries(body && typeof body === 'object' ? body : { value: body })) {
      r = r.field(k, asText(v).slice(0, 1000));
    }
    return r.attach('file', Buffer.from('%PDF-1.4\n%fuzz\n'), { filename: fileName, contentType: 'application/pdf' });
  }
  const json = asText(body) || 'null';
  if (how === 'text') return r.set('Content-Type', 'text/plain').send(json);
  if (how === 'form') return r.type('form').send(new URLSearchParams(Object.entries(body && typeof body === 'object' ? body : { v: body }).map(([k, v]) => [k, asText(v)])).toString());
  if (how === 'malformed') return r.set('Content-Type', 'application/json; charset=utf-7').send(json.slice(0, -1));
  return r.set('Content-Type', 'application/json').send(json);
}

test('every write route of /openapi.json: never a 5xx; a refused request starts nothing and writes nothing', async () => {
  expect(routes.length).toBeGreaterThan(30);
  const seen = new Map<string, Set<number>>();
  for (const route of routes) {
    await fc.assert(
      fc.asyncProperty(
        // Path parameters: hostile but short (an address of 300 kB is refused by Node itself, 431).
        fc.array(hostileString.filter((s) => s.length < 6000), { minLength: route.params.length, maxLength: route.params.length }),
        valueOf(route.body),
        wire,
        fc.constantFrom<Auth>('token', 'token', 'token', 'none', 'bad-cookie'),
        fc.constantFrom('skan.pdf', '../../../etc/passwd', '..\\..\\boot.ini', 'skan\u0000.pdf', 'x'.repeat(300) + '.pdf', '.pdf', 'skan.pdf.exe'),
        async (params, body, how, auth, fileName) => {
          const rowsBefore = await rowCounts();
          const startsBefore = starts;
          const res = await send(route, params, body, how, auth, fileName);
          const key = `${route.method.toUpperCase()} ${route.path}`;
          if (!seen.has(key)) seen.set(key, new Set());
          seen.get(key)!.add(res.status);
          expect({ route: key, status: res.status, body: res.status >= 500 ? res.body : null }).toEqual({ route: key, status: res.status < 500 ? res.status : 'a 4xx or 2xx', body: null });
          if (res.status < 300 && starts > startsBefore) await settle();
          if (res.status >= 400) {
            // Every refusal from the API is explained (JSON error with a message).
            // (Node itself refuses an address over 16 kB with 431 and no body, before the API sees it.)
            if (res.status !== 431) expect({ route: key, status: res.status, message: typeof res.body?.error?.message }).toEqual({ route: key, status: res.status, message: 'string' });
            expect({ route: key, starts: starts - startsBefore }).toEqual({ route: key, starts: 0 });
            expect({ route: key, rows: await rowCounts() }).toEqual({ route: key, rows: rowsBefore });
          }
        },
      ),
      // The counterexample itself can be 300 kB: the route and status in the assertion say enough.
      {
        numRuns: 16,
        reporter: (out) => {
          if (out.failed) throw new Error(`${route.method.toUpperCase()} ${route.path}: ${String(out.errorInstance).slice(0, 2000)} (seed ${out.seed}, path ${out.counterexamplePath})`);
        },
      },
    );
  }
  // Every route was reached and answered (refusals, mostly): the property ran against all of them.
  expect([...seen.keys()].sort()).toEqual(routes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort());
}, 600_000);

/** A form's fields as a browser would post them: nested objects as `a.b`, arrays as repeated keys. */
function formFields(value: unknown, prefix = ''): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((v) => (v && typeof v === 'object' && !Array.isArray(v) ? formFields(v, prefix) : [[prefix || 'v', asText(v)] as [string, string]]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => formFields(v, prefix ? `${prefix}.${k}` : k));
  return [[prefix || 'v', asText(value)]];
}
/** Field names no form has: prototype keys in the dotted form, a name that is both a value and a group. */
const hostileFields = fc.constantFrom<[string, string][]>(
  [],
  [],
  [['__proto__.isAdmin', 'true']],
  [['constructor.prototype.isAdmin', 'true']],
  [['a.__proto__.isAdmin', 'true']],
  [['x', 'y'], ['x.z', 'w']],
  [['Kowal\u0000ska', 'x']],
);

test('every page form (the twins of the API routes, with the session and CSRF token a browser has): never a 5xx; a refused form starts nothing and writes nothing', async () => {
  const PASSWORD = 'Fuzz#Formularze2026';
  await tokenFor(sys.db.orm, 'fuzz-formularze', 'ministry', null);
  await sys.db.orm.em.fork().getConnection().execute('update accounts set password_hash = ?, password_changed_at = now(), must_change_password = false where login = ?', [await hashPassword(PASSWORD), 'fuzz-formularze']);
  const signIn = async () => {
    const r = await request(sys.app).post('/api/auth/login').send({ login: 'fuzz-formularze', password: PASSWORD }).expect(200);
    return { cookie: r.headers['set-cookie']![0].split(';')[0], csrf: r.body.csrfToken as string };
  };
  let session = await signIn();
  const forms = sys.api.forms;
  expect(forms.length).toBeGreaterThan(20);
  const seen = new Map<string, Set<number>>();
  for (const form of forms) {
    const schema = form.twin.body ? (z.toJSONSchema(form.twin.body, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Schema) : undefined;
    const params = [...form.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostileString.filter((s) => s.length < 6000), { minLength: params.length, maxLength: params.length }),
        valueOf(schema),
        hostileFields,
        // Signing out would end the session the other runs use: that form is sent without one.
        fc.constantFrom<'session' | 'wrong-csrf' | 'none' | 'bad-cookie'>(...(form.path === '/wyloguj' ? (['none', 'bad-cookie'] as const) : (['session', 'session', 'session', 'wrong-csrf', 'none', 'bad-cookie'] as const))),
        async (values, body, extra, auth) => {
          let url = form.path;
          params.forEach((p, i) => (url = url.replace(`:${p}`, segment(values[i] ?? 'x'))));
          const fields = [...formFields(body), ...extra];
          if (auth === 'session' || auth === 'wrong-csrf') fields.push(['_csrf', auth === 'session' ? session.csrf : 'zly-token']);
          let r = request(sys.app).post(url).type('form');
          if (auth === 'session' || auth === 'wrong-csrf') r = r.set('Cookie', session.cookie);
          if (auth === 'bad-cookie') r = r.set('Cookie', 'obieg_session=%E0%A4%A; obieg_session=x"y');
          const rowsBefore = await rowCounts();
          const startsBefore = starts;
          const res = await r.send(new URLSearchParams(fields).toString());
          const key = `POST ${form.path}`;
          if (!seen.has(key)) seen.set(key, new Set());
          seen.get(key)!.add(res.status);
          expect({ form: key, status: res.status < 500 ? 'below 500' : res.status }).toEqual({ form: key, status: 'below 500' });
          // Nothing a form names lands on Object.prototype.
          expect({ form: key, polluted: Object.getOwnPropertyNames(Object.prototype).filter((k) => k === 'isAdmin' || k === 'z') }).toEqual({ form: key, polluted: [] });
          const location = String(res.headers.location ?? '');
          const refused = res.status >= 400 || /[?&]blad=/.test(location) || location.startsWith('/logowanie?powrot=') || location === '/haslo';
          if (!refused && starts > startsBefore) await settle();
          if (refused) {
            expect({ form: key, starts: starts - startsBefore }).toEqual({ form: key, starts: 0 });
            expect({ form: key, rows: await rowCounts() }).toEqual({ form: key, rows: rowsBefore });
          }
          // A form that changed the person's password or ended the session: sign in afresh for the next run.
          if (auth === 'session' && !refused && ['/haslo', '/logowanie'].includes(form.path)) session = await signIn();
        },
      ),
      {
        numRuns: 12,
        reporter: (out) => {
          if (out.failed) throw new Error(`POST ${form.path}: ${String(out.errorInstance).slice(0, 2000)} (seed ${out.seed}, path ${out.counterexamplePath})`);
        },
      },
    );
  }
  expect([...seen.keys()].sort()).toEqual([...new Set(forms.map((f) => `POST ${f.path}`))].sort());
}, 600_000);

test('a field holding NUL is refused with 400 naming the field, in Polish, and starts no case', async () => {
  const before = starts;
  const res = await request(sys.app)
    .post('/api/registrations')
    .send({
      registerUnit: true,
      unit: { terytCode: '2661011', type: 'MOPR', name: 'MOPR', street: 'ul. Studzienna 2', postalCode: '25-544', city: 'Kielce', email: 'mopr@kielce.example', phone: '41 367 60 00' },
      applicant: { firstName: 'Łucja', lastName: 'Żółkiew\u0000ska', position: 'Specjalista', email: 'nul@kielce.example', phone: '41 367 60 10' },
      areas: ['PS'],
    })
    .expect(400);
  expect(res.body.error.details).toEqual([{ path: 'body.applicant.lastName', message: expect.stringMatching(/^Niedozwolone znaki sterujące/) }]);
  expect(starts).toBe(before);
});

test('an address holding NUL, or one that does not decode, is 400 on pages and API alike, before any lookup', async () => {
  for (const path of ['/sprawy/%00', '/sprawozdania/a%00b', '/jednostka/%00/pracownicy', '/kampanie/csizs/%00', '/api/cases/%00']) {
    const res = await request(sys.app).get(path).set('Authorization', `Bearer ${token}`);
    expect({ path, status: res.status, field: res.body.error?.details?.[0]?.path }).toEqual({ path, status: 400, field: 'path' });
  }
  for (const path of ['/sprawy/%E0%A4%A', '/sprawy/%ED%A0%80', '/api/cases/%C0%AF']) {
    const res = await request(sys.app).get(path);
    expect({ path, status: res.status, message: typeof res.body.error?.message }).toEqual({ path, status: 400, message: 'string' });
  }
  // A page form's own address too (its task lookup runs before the form's schema).
  const res = await request(sys.app).post('/zadania/Kowal%00ska/wyjasnienie').type('form').send('message=x');
  expect(res.status).toBe(400);
});
