import { context, propagation, type Attributes, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter, type SpanProcessor, type TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { Config } from './config';

// OpenTelemetry tracing (issue 17), off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then an HTTP request's
// span (api/tracing.ts), the Temporal client's StartWorkflow / SignalWorkflow / StartWorkflowUpdate spans,
// the workflow's RunWorkflow / StartActivity spans (the SDK's workflow interceptors, exported from the
// sandbox through a sink) and the worker's RunActivity spans form one trace. Unset, nothing here runs:
// no provider, no context manager, no interceptor (startTracing answers null).
//
// A span carries ids and codes only, like a log line: whatever an interceptor puts on it passes an allow
// list (SPAN_ATTRIBUTES) on its way out. Exception events keep the error's type and lose its message and
// stack, and a span's status keeps its code and loses its message: those can quote an applicant's data.

/** The attributes a span may carry out of the process; every other attribute is dropped on export. */
export const SPAN_ATTRIBUTES: ReadonlySet<string> = new Set([
  // api/tracing.ts
  'http.request.method',
  'http.route',
  'http.response.status_code',
  // @temporalio/interceptors-opentelemetry
  'temporalWorkflowId',
  'run_id',
  'temporalActivityId',
  'temporalUpdateId',
  // the workflow sink adds the WorkflowInfo (memo, search attributes, last result, …): these fields of it
  'workflowId',
  'runId',
  'workflowType',
  'namespace',
  'taskQueue',
  'attempt',
]);

const safeAttributes = (attributes: Attributes, allowed: ReadonlySet<string>): Attributes =>
  Object.fromEntries(Object.entries(attributes).filter(([k, v]) => allowed.has(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')));

const EXCEPTION_ATTRIBUTES: ReadonlySet<string> = new Set(['exception.type']);

/** The span as it may leave the process: allowed attributes, events without their details, status without its message. */
export function scrubSpan(span: ReadableSpan): ReadableSpan {
  const events: TimedEvent[] = span.events.map((e) => ({ name: e.name, time: e.time, attributes: e.name === 'exception' ? safeAttributes(e.attributes ?? {}, EXCEPTION_ATTRIBUTES) : {} }));
  // The rest (span context, times, resource) is read through the original span.
  return Object.create(span, {
    attributes: { value: safeAttributes(span.attributes, SPAN_ATTRIBUTES), enumerable: true },
    events: { value: events, enumerable: true },
    status: { value: { code: span.status.code }, enumerable: true },
    links: { value: span.links.map((l) => ({ context: l.context })), enumerable: true },
  }) as ReadableSpan;
}

/** Hands the exporter underneath scrubbed copies of the spans (scrubSpan). */
class ScrubbingExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans.map(scrubSpan), done);
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

export interface Tracing {
  /** The tracer of this process (API request spans; the Temporal interceptors are given it too). */
  readonly tracer: Tracer;
  /** Where the worker's workflow sink (makeWorkflowExporter) hands the spans made in the workflow sandbox. */
  readonly processor: SpanProcessor;
  readonly resource: Resource;
  /** For a Temporal client: workflow start, signal and update get a span and carry the trace to the workflow. */
  readonly clientInterceptor: WorkflowClientInterceptor;
  /** Exports what is buffered (the tests read their exporter after it). */
  flush(): Promise<void>;
  /** Exports what is buffered and stops tracing in this process. */
  shutdown(): Promise<void>;
}

/**
 * Tracing as configured: null when OTEL_EXPORTER_OTLP_ENDPOINT is unset (no tracing at all), otherwise spans
 * batched to the collector's OTLP/HTTP endpoint. `exporter` replaces the OTLP exporter (the tests' in-memory
 * one); it does not turn tracing on by itself. One per process: it installs the context manager and the
 * W3C trace-context propagator the Temporal interceptors use.
 */
export function startTracing(config: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT'>, service: string, exporter?: SpanExporter): Tracing | null {
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return null;
  const resource = Resource.default().merge(new Resource({ 'service.name': service }));
  const processor = new BatchSpanProcessor(new ScrubbingExporter(exporter ?? new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` })));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  // The provider is not made global: only obieg's own code and the interceptors, given the tracer, make spans.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const tracer = provider.getTracer('obieg');
  return {
    tracer,
    processor,
    resource,
    clientInterceptor: new OpenTelemetryWorkflowClientInterceptor({ tracer }),
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      context.disable();
      propagation.disable();
    },
  };
}
