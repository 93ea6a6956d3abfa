import { NativeConnection, Worker, type ActivityInterceptorsFactory, type InjectedSinks, type WorkerOptions } from '@temporalio/worker';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, type OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import { createActivities, type ActivityDeps } from '../activities';
import { attentionInterceptor } from '../activities/attention';
import { dataConverter } from '../lib/temporal';
import type { KeyRing } from '../lib/payload-codec';
import type { Tracing } from '../lib/tracing';

export interface ObiegWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The payload key ring (or one key, base64). */
  payloadKey: KeyRing | string;
  deps: ActivityDeps;
  /** Issue 14 item 2: after how many failed attempts a case needs an operator, and whom to mail. */
  attention?: { afterAttempts: number; operatorEmail?: string };
  /** A prebuilt bundle (tests bundle once); otherwise the workflows are bundled from source at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Workflows kept in memory between tasks (WORKER_MAX_CACHED_WORKFLOWS); the SDK's default when unset. */
  maxCachedWorkflows?: number;
  /**
   * How long a workflow task waits for the worker that last ran the workflow (its sticky queue) before any
   * worker takes it (replaying the history); the SDK's 10 s when unset.
   */
  stickyQueueScheduleToStartTimeout?: WorkerOptions['stickyQueueScheduleToStartTimeout'];
  /** OpenTelemetry tracing when configured (lib/tracing.ts): activity spans, and the workflows' spans exported. */
  tracing?: Tracing | null;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');
/** The workflow interceptors (tracing), in every bundle (worker/bundle.ts) and in the bundle made at start. */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../workflows/tracing-interceptors')];

/**
 * The workflows' span sink: to the tracing's processor, or (tracing off) nowhere. Registered either way, as a
 * traced run (started by a client with tracing on) exports its spans whether this worker traces or not.
 */
function workflowSpanSink(tracing: Tracing | null | undefined): InjectedSinks<OpenTelemetrySinks> {
  return { exporter: tracing ? makeWorkflowExporter(tracing.processor, tracing.resource) : { export: { fn: () => undefined } } };
}

/** The SDK's activity interceptors: a RunActivity span (child of the workflow's StartActivity), trace ids in activity log lines. */
const activityTracing = (tracing: Tracing): ActivityInterceptorsFactory => (ctx) => ({
  inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer }),
  outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
});

export function createObiegWorker(opts: ObiegWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(opts.deps),
    sinks: workflowSpanSink(opts.tracing),
    interceptors: {
      // A prebuilt bundle has them inside (the SDK ignores these then, with a warning).
      ...(opts.workflowBundle ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
      activity: [
        // Outermost: the activity's span covers the attention interceptor's work too.
        ...(opts.tracing ? [activityTracing(opts.tracing)] : []),
        attentionInterceptor({
          orm: opts.deps.orm,
          mailer: opts.deps.mailer,
          templates: opts.deps.templates,
          from: opts.deps.mailFrom,
          publicUrl: opts.deps.publicUrl,
          afterAttempts: opts.attention?.afterAttempts ?? 5,
          operatorEmail: opts.attention?.operatorEmail,
        }),
      ],
    },
    dataConverter: dataConverter(opts.payloadKey),
    maxConcurrentActivityTaskExecutions: 50,
    ...(opts.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: opts.maxCachedWorkflows }),
    ...(opts.stickyQueueScheduleToStartTimeout === undefined ? {} : { stickyQueueScheduleToStartTimeout: opts.stickyQueueScheduleToStartTimeout }),
    // On SIGTERM, activities in flight get this long to finish before they are cancelled.
    shutdownGraceTime: '30s',
  });
}
