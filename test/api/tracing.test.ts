import request from 'supertest';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { application, SCAN_PDF, tokenFor } from '../support/fixtures';
import { eventually, startSystem, type TestSystem } from '../support/system';

// Issue 17 item 3: OpenTelemetry tracing, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. The system starts
// tracing as the processes do (lib/tracing.ts), with an in-memory exporter in place of the OTLP one. One
// system after the other: tracing off first, then on.

/** The header the SDK's interceptors carry the trace in (TRACE_HEADER of @temporalio/interceptors-opentelemetry). */
const TRACE_HEADER = '_tracer-data';
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

/** The header names of the case's workflow start and of its scheduled activities. */
async function historyHeaders(sys: TestSystem, caseId: string): Promise<{ start: string[]; activities: string[][] }> {
  const { events } = await sys.client.workflow.getHandle(caseId).fetchHistory();
  return {
    start: Object.keys(events?.[0]?.workflowExecutionStartedEventAttributes?.header?.fields ?? {}),
    activities: (events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).map((e) => Object.keys(e.activityTaskScheduledEventAttributes?.header?.fields ?? {})),
  };
}

const instructionsMail = (sys: TestSystem) => sys.smtp.waitFor((m) => m.subject?.startsWith('Formularz rejestracyjny do podpisu') ?? false, 60_000);

describe('tracing not configured', () => {
  const exporter = new InMemorySpanExporter();
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem({ traceExporter: exporter });
  });
  afterAll(async () => {
    await sys?.close();
  });

  test('no span is made, and a case carries no trace', async () => {
    expect(sys.tracing).toBeNull();
    const created = await request(sys.app).post('/api/registrations').send(application({ email: 'bez.sledzenia@mopr.kielce.example' })).expect(201);
    // The workflow ran its first activities (the form's PDF, the mail with it).
    await instructionsMail(sys);
    const headers = await historyHeaders(sys, created.body.id);
    expect(headers.activities.length).toBeGreaterThan(0);
    expect(headers.start).not.toContain(TRACE_HEADER);
    expect(headers.activities.flat()).not.toContain(TRACE_HEADER);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});

describe('tracing configured', () => {
  const exporter = new InMemorySpanExporter();
  let sys: TestSystem;
  let admin26: string;
  beforeAll(async () => {
    sys = await startSystem({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, traceExporter: exporter });
    admin26 = await tokenFor(sys.db.orm, 'adm-woj-26', 'voivodeship_admin', '26');
  });
  afterAll(async () => {
    await sys?.close();
  });

  test('one trace from the registration request through its workflow to its activities, without personal data', async () => {
    expect(sys.tracing).not.toBeNull();
    // Its own applicant: the business key (unit, e-mail) must not find another test's case on the shared server.
    const app = application({ email: 'sledzenie@mopr.kielce.example' });
    const created = await request(sys.app).post('/api/registrations').send(app).expect(201);
    const caseId: string = created.body.id;
    await instructionsMail(sys);

    // The case goes to its end (RunWorkflow's span ends with the workflow): the signed scan, the acceptance.
    await eventually(async () => (await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin26))).body.status === 'awaiting_scan', 30_000, 'awaiting scan');
    await request(sys.app).post(`/api/cases/${caseId}/scans`).set(auth(admin26)).field('channel', 'epuap').attach('file', SCAN_PDF, 'skan.pdf').expect(201);
    const task = await eventually(async () => (await request(sys.app).get('/api/tasks').set(auth(admin26))).body.find((t: { caseId: string }) => t.caseId === caseId), 30_000, 'decision task');
    await request(sys.app).post(`/api/tasks/${task.id}/complete`).set(auth(admin26)).send({ decision: 'accept' }).expect(200);
    await eventually(async () => (await request(sys.app).get(`/api/cases/${caseId}`).set(auth(admin26))).body.closedAt, 30_000, 'case closed');

    const run = await eventually(async () => {
      await sys.tracing!.flush();
      return exporter.getFinishedSpans().find((s) => s.name === 'RunWorkflow:registrationWorkflow');
    }, 30_000, 'the RunWorkflow span');
    const spans = exporter.getFinishedSpans();
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const parentOf = (s: ReadableSpan) => (s.parentSpanId ? byId.get(s.parentSpanId) : undefined);

    // HTTP request → StartWorkflow → RunWorkflow → StartActivity → RunActivity, one trace.
    const http = spans.find((s) => s.kind === SpanKind.SERVER && s.name === 'POST /api/registrations');
    expect(http).toBeDefined();
    expect(http!.parentSpanId).toBeUndefined();
    expect(http!.attributes).toEqual({ 'http.request.method': 'POST', 'http.route': '/api/registrations', 'http.response.status_code': 201 });
    const traceId = http!.spanContext().traceId;
    const start = spans.find((s) => s.name === 'StartWorkflow:registrationWorkflow');
    expect(start).toBeDefined();
    expect(parentOf(start!)).toBe(http);
    expect(start!.attributes.temporalWorkflowId).toBe(caseId);
    expect(parentOf(run)).toBe(start);
    expect(run.attributes.workflowId).toBe(caseId);
    const activityRuns = spans.filter((s) => s.name.startsWith('RunActivity:') && parentOf(parentOf(s)!) === run);
    expect(activityRuns.length).toBeGreaterThan(0);
    for (const a of activityRuns) {
      const scheduled = parentOf(a)!;
      expect(scheduled.name).toBe(a.name.replace('RunActivity:', 'StartActivity:'));
      expect(a.attributes.temporalWorkflowId).toBe(caseId);
    }
    for (const s of [start!, run, ...activityRuns, ...activityRuns.map(parentOf)]) expect(s!.spanContext().traceId).toBe(traceId);
    // The scan (an update) is a request of its own: its trace reaches the workflow's update handler.
    const scanRequest = spans.find((s) => s.name === 'POST /api/cases/:caseId/scans');
    expect(scanRequest).toBeDefined();
    const handled = spans.find((s) => s.name.startsWith('HandleUpdate:') && s.spanContext().traceId === scanRequest!.spanContext().traceId);
    expect(handled).toBeDefined();

    // The case's history carries the trace (the start's header and its activities').
    const headers = await historyHeaders(sys, caseId);
    expect(headers.start).toContain(TRACE_HEADER);
    expect(headers.activities.flat()).toContain(TRACE_HEADER);

    // No span holds the applicant's or the unit's contact data or names, anywhere.
    const personal = [app.applicant.email, app.applicant.firstName, app.applicant.lastName, app.applicant.phone, app.unit.email, app.unit.phone, 'zolkiewska'];
    const exported = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links }))).toLowerCase();
    for (const p of personal) expect(exported).not.toContain(p.toLowerCase());
    expect(spans.length).toBeGreaterThan(10);
  });
});
