import request from 'supertest';
import { createApp } from '../../api/app';
import { migrationsList } from '../../db/migrations';
import { createLogger } from '../../lib/logger';
import { createTestDb, type TestDb } from '../support/db';
import { startSystem, type TestSystem } from '../support/system';

let sys: TestSystem;
let empty: TestDb;

beforeAll(async () => {
  sys = await startSystem();
  empty = await createTestDb({ empty: true });
});
afterAll(async () => {
  await empty?.drop();
  await sys?.close();
});

test('/healthz answers and /readyz is 200 with PostgreSQL, Temporal and migrations all fine', async () => {
  await request(sys.app).get('/healthz').expect(200, { status: 'ok' });
  const res = await request(sys.app).get('/readyz').expect(200);
  expect(res.body).toEqual({ status: 'ready', checks: { postgres: { ok: true }, temporal: { ok: true }, migrations: { ok: true } } });
});

test('/readyz is 503 and names the pending migration when the database is not migrated', async () => {
  const { app } = createApp({ orm: empty.orm, temporal: sys.client, config: sys.config, log: createLogger('t', 'error') });
  const res = await request(app).get('/readyz').expect(503);
  expect(res.body.status).toBe('not_ready');
  expect(res.body.checks.postgres.ok).toBe(true);
  expect(res.body.checks.migrations).toEqual({ ok: false, pending: migrationsList.map((m) => m.name) });
});

test('/openapi.json is OpenAPI 3.1 and describes every route the API serves, with its request schema', async () => {
  const doc = (await request(sys.app).get('/openapi.json').expect(200)).body;
  expect(doc.openapi).toBe('3.1.0');
  const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${p}`));
  const served: string[] = [];
  type Routes = { route?: { path: string; methods: Record<string, boolean> } }[];
  const stack = (sys.app as unknown as { router: { stack: { handle: { stack?: Routes; router?: { stack: Routes } } }[] } }).router.stack;
  // The API router sits behind a gate that sends it only API paths.
  for (const layer of stack) for (const r of layer.handle.stack ?? layer.handle.router?.stack ?? []) if (r.route) for (const m of Object.keys(r.route.methods)) served.push(`${m.toUpperCase()} ${r.route.path.replace(/:(\w+)/g, '{$1}')}`);
  // The dashboard pages are HTML for people, not API: only /api, the health routes, the remote codec and
  // the metrics are described.
  const api = served.filter((s) => s !== 'GET /openapi.json' && / \/(api\/|healthz|readyz|codec\/|metrics)/.test(s));
  expect(api.sort()).toEqual(documented.sort());

  const reg = doc.paths['/api/registrations'].post.requestBody.content['application/json'].schema;
  expect(reg.required).toEqual(expect.arrayContaining(['registerUnit', 'unit', 'applicant', 'areas']));
  expect(reg.properties.areas.items.enum).toEqual(['PS', 'WRiSPZ', 'SR', 'FA', 'OP-3', 'ON', 'KDR', 'SW']);
  expect(reg.properties.unit.properties.postalCode.pattern).toBeDefined();
  const scan = doc.paths['/api/cases/{caseId}/scans'].post.requestBody.content['multipart/form-data'].schema;
  expect(scan.required).toEqual(['channel', 'file']);
  expect(doc.paths['/api/cases/{caseId}'].get.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
});
