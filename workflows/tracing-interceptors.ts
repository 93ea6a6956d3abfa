import type { Payload, WorkflowInterceptors } from '@temporalio/workflow';
import type * as OtelWorkflow from '@temporalio/interceptors-opentelemetry/lib/workflow';

// Not a workflow: the workflow interceptors of OpenTelemetry tracing (lib/tracing.ts), in every worker's
// workflow bundle (worker/bundle.ts, worker/create-worker.ts) whether tracing is configured or not, so that
// turning tracing on or off never changes the code a running case replays with.
//
// They are the SDK's own (@temporalio/interceptors-opentelemetry), engaged only for a run that came with a
// trace: its start carried the trace header, i.e. a client with tracing on started it (the API for a
// request, an activity, a traced parent). Such a run gets a RunWorkflow span and carries the trace on to
// its activities, child workflows and signals; a signal or update that carries a trace gets its span. Any
// other run (tracing off in the API, a Schedule's) passes straight through: the SDK's module is not even
// loaded into its sandbox, and nothing is added to its history. Whether a run is traced is read from its
// history (the start's and each signal's headers), so a replay takes the same path as the first run.
// The worker exports the spans through the `exporter` sink, or drops them when its own tracing is off.

/** TRACE_HEADER of @temporalio/interceptors-opentelemetry (importing it would load the package). */
const TRACE_HEADER = '_tracer-data';
const carriesTrace = (headers: Record<string, Payload>) => TRACE_HEADER in headers;

export const interceptors = (): WorkflowInterceptors => {
  let otel: { inbound: OtelWorkflow.OpenTelemetryInboundInterceptor; outbound: OtelWorkflow.OpenTelemetryOutboundInterceptor; internals: OtelWorkflow.OpenTelemetryInternalsInterceptor } | undefined;
  const sdk = () => {
    if (!otel) {
      // Loaded on first use, for traced runs only (each workflow has its own module instances).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const m = require('@temporalio/interceptors-opentelemetry/lib/workflow') as typeof OtelWorkflow;
      otel = { inbound: new m.OpenTelemetryInboundInterceptor(), outbound: new m.OpenTelemetryOutboundInterceptor(), internals: new m.OpenTelemetryInternalsInterceptor() };
    }
    return otel;
  };
  let traced = false;
  return {
    inbound: [
      {
        execute(input, next) {
          traced = carriesTrace(input.headers);
          return traced ? sdk().inbound.execute(input, next) : next(input);
        },
        handleSignal: (input, next) => (carriesTrace(input.headers) ? sdk().inbound.handleSignal(input, next) : next(input)),
        handleUpdate: (input, next) => (carriesTrace(input.headers) ? sdk().inbound.handleUpdate(input, next) : next(input)),
        validateUpdate: (input, next) => (carriesTrace(input.headers) ? sdk().inbound.validateUpdate(input, next) : next(input)),
        // Queries are not traced: they leave no history, and they should not load modules into the sandbox.
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => (traced ? sdk().outbound.scheduleActivity(input, next) : next(input)),
        scheduleLocalActivity: (input, next) => (traced ? sdk().outbound.scheduleLocalActivity(input, next) : next(input)),
        startChildWorkflowExecution: (input, next) => (traced ? sdk().outbound.startChildWorkflowExecution(input, next) : next(input)),
        signalWorkflow: (input, next) => (traced ? sdk().outbound.signalWorkflow(input, next) : next(input)),
        continueAsNew: (input, next) => (traced ? sdk().outbound.continueAsNew(input, next) : next(input)),
        // The workflow's log lines get the trace and span ids.
        getLogAttributes: (input, next) => (traced ? sdk().outbound.getLogAttributes(input, next) : next(input)),
      },
    ],
    internals: [
      {
        dispose(input, next) {
          if (otel) void otel.internals.dispose(input, next);
          else next(input);
        },
      },
    ],
  };
};
