import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { attentionInterceptor } from '../activities/attention';
import { dataConverter } from '../lib/temporal';
import type { KeyRing } from '../lib/payload-codec';

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
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export function createObiegWorker(opts: ObiegWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(opts.deps),
    interceptors: {
      activity: [
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
