import type { RequestHandler, Response } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Api } from './http';
import { requestFacts } from './request-log';

// What GET /metrics answers (Prometheus text format), per API process:
// - obieg_http_request_duration_seconds{method,route,status_class}: latency per declared route;
// - obieg_http_errors_total{code,status}: refusals and failures by their error code;
// - obieg_workflow_starts_total{workflow_type,outcome} and obieg_workflow_update_duration_seconds
//   {workflow_type,update,outcome}: from a Temporal client interceptor on the API's client;
// - business gauges computed on scrape from the read model (summary tables and indexed counts, so a
//   scrape costs a few milliseconds): open cases by type, status and voivodeship, overdue cases, open
//   tasks past their due date (cases needing attention), the mail outbox pending and failed, and
//   each CSIZS campaign's units started and connected;
// - the Node.js process's own metrics (obieg_process_*, obieg_nodejs_*).

export interface ApiMetrics {
  registry: Registry;
  /** Times every request by its declared route (res.locals.obieg.route, noted by the route kit). */
  middleware: RequestHandler;
  /** For the API's Temporal client: workflow starts and update latency per workflow type. */
  clientInterceptor: WorkflowClientInterceptor;
}

/** A case's workflow type from its id, the business key `<type>-…` (registration-…, report-…). */
export const workflowTypeOfId = (id: string): string => /^[a-z]+(-[a-z]+)*?(?=-[0-9A-Z]|$)/.exec(id)?.[0] ?? 'other';

export function createApiMetrics(orm: MikroORM): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'obieg_' });
  const latency = new Histogram({
    name: 'obieg_http_request_duration_seconds',
    help: 'API request latency by declared route',
    labelNames: ['method', 'route', 'status_class'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({ name: 'obieg_http_errors_total', help: 'API answers 4xx/5xx by error code', labelNames: ['code', 'status'], registers: [registry] });
  const starts = new Counter({ name: 'obieg_workflow_starts_total', help: 'Workflows started by the API, by type and outcome', labelNames: ['workflow_type', 'outcome'], registers: [registry] });
  const updates = new Histogram({
    name: 'obieg_workflow_update_duration_seconds',
    help: 'Workflow updates sent by the API, until the server answers the update, by workflow type and update',
    labelNames: ['workflow_type', 'update', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  const sql = <T>(q: string, params: unknown[] = []) => orm.em.fork().getConnection().execute<T[]>(q, params);
  const TODAY = "(now() at time zone 'Europe/Warsaw')::date";
  new Gauge({
    name: 'obieg_cases_open',
    help: 'Open cases by type, status and voivodeship',
    labelNames: ['type', 'status', 'voivodeship'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await sql<{ type: string; status: string; voivodeship: string; n: number }>('select type, status, voivodeship, sum(n)::int as n from case_counts where not closed group by 1, 2, 3 having sum(n) > 0')) {
        this.set({ type: r.type, status: r.status, voivodeship: r.voivodeship }, r.n);
      }
    },
  });
  new Gauge({
    name: 'obieg_cases_overdue',
    help: 'Open cases past their deadline (Warsaw date), by type and voivodeship',
    labelNames: ['type', 'voivodeship'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await sql<{ type: string; voivodeship: string; n: number }>(`select type, voivodeship, sum(n)::int as n from case_counts where not closed and deadline_day < ${TODAY} group by 1, 2 having sum(n) > 0`)) {
        this.set({ type: r.type, voivodeship: r.voivodeship }, r.n);
      }
    },
  });
  new Gauge({
    name: 'obieg_tasks_overdue',
    help: 'Open tasks past their due time (cases needing attention), by role and voivodeship',
    labelNames: ['role', 'voivodeship'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await sql<{ role: string; voivodeship: string | null; n: number }>("select role, voivodeship, count(*)::int as n from tasks where status = 'open' and due_at < now() group by 1, 2")) {
        this.set({ role: r.role, voivodeship: r.voivodeship ?? '' }, r.n);
      }
    },
  });
  new Gauge({
    name: 'obieg_outbox_messages',
    help: 'Mail in the outbox not sent: pending (being sent or retried) and failed',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      this.set({ status: 'pending' }, 0);
      this.set({ status: 'failed' }, 0);
      for (const r of await sql<{ status: string; n: number }>("select status, count(*)::int as n from outbox where status in ('pending', 'failed') group by 1")) this.set({ status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'obieg_csizs_campaign_units',
    help: 'CSIZS connection campaigns: units in the campaign, started and connected',
    labelNames: ['campaign', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await sql<{ id: string; total: number; started: number; connected: number }>(
        'select c.id, c.total_units as total, c.started_units as started, (select count(*)::int from csizs_units u where u.campaign_id = c.id and u.connected) as connected from csizs_campaigns c',
      );
      for (const r of rows) {
        this.set({ campaign: r.id, state: 'total' }, r.total);
        this.set({ campaign: r.id, state: 'started' }, r.started);
        this.set({ campaign: r.id, state: 'connected' }, r.connected);
      }
    },
  });

  const middleware: RequestHandler = (req, res, next) => {
    const stop = latency.startTimer({ method: req.method });
    res.once('finish', () => {
      const route = requestFacts(res as Response).route ?? 'unmatched';
      stop({ route, status_class: `${Math.floor(res.statusCode / 100)}xx` });
      if (res.statusCode >= 400) errors.inc({ code: requestFacts(res as Response).errorCode ?? 'none', status: String(res.statusCode) });
    });
    next();
  };

  /** A start (or signal-with-start) counted by workflow type and outcome. */
  const countedStart = async <I extends { workflowType: string }>(input: I, next: (input: I) => Promise<string>): Promise<string> => {
    try {
      const runId = await next(input);
      starts.inc({ workflow_type: input.workflowType, outcome: 'ok' });
      return runId;
    } catch (err) {
      starts.inc({ workflow_type: input.workflowType, outcome: 'failed' });
      throw err;
    }
  };
  const clientInterceptor: WorkflowClientInterceptor = {
    start: countedStart,
    signalWithStart: countedStart,
    async startUpdate(input, next) {
      const stop = updates.startTimer({ workflow_type: workflowTypeOfId(input.workflowExecution.workflowId), update: input.updateName });
      try {
        const out = await next(input);
        stop({ outcome: 'ok' });
        return out;
      } catch (err) {
        stop({ outcome: 'failed' });
        throw err;
      }
    },
  };

  return { registry, middleware, clientInterceptor };
}

/** GET /metrics, public like the health routes: aggregate counts only, no case or person (restrict it at the proxy). */
export function registerMetricsRoute(api: Api, metrics: ApiMetrics): void {
  api.route(
    { method: 'get', path: '/metrics', summary: 'Prometheus metrics: latency, errors, workflow starts and updates, open and overdue cases, outbox, CSIZS campaigns', tag: 'system', auth: 'public', responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } } },
    async ({ res }) => {
      res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
}
