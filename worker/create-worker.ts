import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { dataConverter } from '../lib/temporal';

export interface ObiegWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  payloadKey: string;
  deps: ActivityDeps;
  /** A prebuilt bundle (tests bundle once); otherwise the workflows are bundled from source at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export function createObiegWorker(opts: ObiegWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(opts.deps),
    dataConverter: dataConverter(opts.payloadKey),
    maxConcurrentActivityTaskExecutions: 50,
    // On SIGTERM, activities in flight get this long to finish before they are cancelled.
    shutdownGraceTime: '30s',
  });
}
