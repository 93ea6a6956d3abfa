import type { Client } from '@temporalio/client';
import { caseSearchAttributes, type ReportInput } from '../workflows/messages';
import { startWorkflow } from './workflow-types';

/** One report workflow, keyed by form, period and unit; a report already running is left as it is. */
export async function startReport(temporal: Client, taskQueue: string, input: ReportInput): Promise<void> {
  await startWorkflow(temporal, 'reportWorkflow', {
    workflowId: input.reportId,
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: caseSearchAttributes({ caseType: 'report', unitCode: input.unitCode, voivodeship: input.voivodeship, status: 'not_started' }),
  });
}

/** Runs fn over items with at most `limit` in flight. */
export async function bounded<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) await fn(items[i++]);
  }));
}
