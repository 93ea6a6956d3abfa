import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../api/app';
import { migrationsList } from '../../db/migrations';
import { createLogger } from '../../lib/logger';
import { createTestDb, type TestDb } from '../support/db';
import { application, tokenFor } from '../support/fixtures';
import { Client } from '@temporalio/client';
import { createApiMetrics } from '../../api/metrics';
import { dataConverter } from '../../lib/temporal';
import type { AddressInfo } from 'node:net';
import { serveHealth, workerHealth } from '../../worker/health';
import { eventually, startSystem, TEST_PAYLOAD_KEY, type TestSystem } from '../support/system';

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

test('one JSON log line per request: its request id (given or made, and sent back), route, case id, status, outcome, error code and duration, no credentials', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'obieg-log-')), 'api.log');
  const { app } = createApp({ orm: sys.db.orm, temporal: sys.client, config: sys.config, log: createLogger('api', { level: 'info', file }) });
  const token = await tokenFor(sys.db.orm, 'log-ministry', 'ministry', null);
  const res = await request(app).get('/api/cases/registration-2661011-nieznana').set('Authorization', `Bearer ${token}`).set('X-Request-Id', 'zgloszenie-42').expect(404);
  expect(res.headers['x-request-id']).toBe('zgloszenie-42');
  const made = await request(app).get('/healthz').expect(200);
  expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const line = lines.find((l) => l.requestId === 'zgloszenie-42');
  expect(line).toMatchObject({ component: 'api', req: { method: 'GET', path: '/api/cases/registration-2661011-nieznana' }, route: '/api/cases/:caseId', caseId: 'registration-2661011-nieznana', status: 404, outcome: 'client_error', code: expect.any(String) });
  expect(typeof line.durationMs).toBe('number');
  expect(lines.find((l) => l.requestId === made.headers['x-request-id'])).toMatchObject({ route: '/healthz', status: 200, outcome: 'ok' });
  expect(readFileSync(file, 'utf8')).not.toContain(token);
});

test('a secret under its own name is redacted wherever it sits in a log line', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'obieg-log-')), 'x.log');
  createLogger('x', { level: 'info', file }).info('sign-in', { login: 'jan', detail: { password: 'Tajne#Haslo1', nested: { apiToken: 'obg_abc', email: 'jan@example.pl' } } });
  const text = readFileSync(file, 'utf8');
  expect(text).not.toMatch(/Tajne#Haslo1|obg_abc|jan@example\.pl/);
  expect(JSON.parse(text).detail).toEqual({ password: '[Redacted]', nested: { apiToken: '[Redacted]', email: '[Redacted]' } });
});

test('/metrics: route latency, errors by code, workflow starts by type, and the open cases from the read model', async () => {
  const metrics = createApiMetrics(sys.db.orm);
  const client = new Client({ connection: sys.client.connection, namespace: sys.config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(TEST_PAYLOAD_KEY), interceptors: { workflow: [metrics.clientInterceptor] } });
  const { app } = createApp({ orm: sys.db.orm, temporal: client, config: sys.config, log: createLogger('t', 'error'), metrics });
  const { body } = await request(app).post('/api/registrations').send(application({ email: 'metryki@mopr.kielce.example' })).expect(201);
  await request(app).get('/api/cases/nie-ma-takiej').expect(401);
  const scrape = async () => (await request(app).get('/metrics').expect(200).expect('Content-Type', /text\/plain/)).text;
  await eventually(async () => (await sys.db.orm.em.fork().getConnection().execute('select 1 from cases where id = ?', [body.id])).length === 1, 30_000, 'case in the read model');
  const text = await scrape();
  expect(text).toMatch(/obieg_http_request_duration_seconds_count\{method="POST",route="\/api\/registrations",status_class="2xx"\} 1/);
  expect(text).toMatch(/obieg_http_errors_total\{code="UNAUTHENTICATED",status="401"\} 1/);
  expect(text).toMatch(/obieg_workflow_starts_total\{workflow_type="registrationWorkflow",outcome="ok"\} 1/);
  expect(text).toMatch(/obieg_cases_open\{type="registration",status="[a-z_]+",voivodeship="26"\} [1-9]/);
  expect(text).toMatch(/obieg_outbox_messages\{status="failed"\} 0/);
  expect(text).not.toContain('metryki@');
});

test("the worker's health over HTTP comes from its own state: 200 while RUNNING and Temporal answers, 503 otherwise", async () => {
  const serve = async (state: string) => {
    const server = await serveHealth('127.0.0.1:0', () => workerHealth({ getState: () => state as never }, sys.client));
    const port = (server.address() as AddressInfo).port;
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    server.close();
    return { status: res.status, body: await res.json() };
  };
  expect(sys.worker!.getState()).toBe('RUNNING');
  expect(await serve(sys.worker!.getState())).toEqual({ status: 200, body: { ok: true, state: 'RUNNING', temporal: { ok: true } } });
  expect(await serve('DRAINING')).toEqual({ status: 503, body: { ok: false, state: 'DRAINING', temporal: { ok: true } } });
});
