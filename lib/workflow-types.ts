import type {
  Client,
  ScheduleOptionsStartWorkflowAction,
  WorkflowHandleWithSignaledRunId,
  WorkflowHandleWithStartDetails,
  WorkflowOptions,
  WorkflowStartOptions,
} from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type * as workflows from '../workflows';
import { caseSearchAttributes, type ReportInput } from '../workflows/messages';

// Typed workflow starts from outside the sandbox. The API, activities and scripts start workflows by
// name and never load workflow code (a type-only import of workflows/index.ts, erased when compiled),
// yet the compiler checks both the name and the arguments: a changed input type fails `tsc`.

/** The worker's workflow types by name: exactly the exports of workflows/index.ts. */
export type WorkflowTypes = typeof workflows;
export type WorkflowName = keyof WorkflowTypes;
export type WorkflowArgs<K extends WorkflowName> = Parameters<WorkflowTypes[K]>;

export type TypedStartOptions<K extends WorkflowName> = Omit<WorkflowStartOptions, 'args'> & { args: WorkflowArgs<K> };
export type TypedSignalWithStartOptions<K extends WorkflowName, SignalArgs extends unknown[]> = Omit<WorkflowOptions, 'requestEagerStart'> & {
  args: WorkflowArgs<K>;
  /** The signal by its definition (workflows/messages.ts), so that its arguments are checked too. */
  signal: SignalDefinition<SignalArgs>;
  signalArgs: NoInfer<SignalArgs>;
};

/** `client.workflow.start` for the named workflow, its arguments checked against the workflow's signature. */
export function startWorkflow<K extends WorkflowName>(
  client: Client,
  workflowType: K,
  options: TypedStartOptions<K>,
): Promise<WorkflowHandleWithStartDetails<WorkflowTypes[K]>> {
  return client.workflow.start<WorkflowTypes[K]>(workflowType, options as WorkflowStartOptions<WorkflowTypes[K]>);
}

/** `client.workflow.signalWithStart` for the named workflow, its arguments checked. */
export function signalWithStartWorkflow<K extends WorkflowName, SignalArgs extends unknown[]>(
  client: Client,
  workflowType: K,
  options: TypedSignalWithStartOptions<K, SignalArgs>,
): Promise<WorkflowHandleWithSignaledRunId<WorkflowTypes[K]>> {
  // The SDK's options type is conditional on the (here generic) argument lists, which the compiler
  // cannot relate to the checked options above: the call site is where the types are checked.
  return client.workflow.signalWithStart<WorkflowTypes[K], SignalArgs>(
    workflowType,
    options as unknown as Parameters<typeof client.workflow.signalWithStart<WorkflowTypes[K], SignalArgs>>[1],
  );
}

/** A schedule's start-workflow action for the named workflow, its arguments checked. */
export function scheduledStart<K extends WorkflowName>(
  workflowType: K,
  action: Omit<ScheduleOptionsStartWorkflowAction<WorkflowTypes[K]>, 'type' | 'workflowType' | 'args'> & { args: WorkflowArgs<K> },
): ScheduleOptionsStartWorkflowAction<WorkflowTypes[K]> {
  return { ...action, type: 'startWorkflow', workflowType } as ScheduleOptionsStartWorkflowAction<WorkflowTypes[K]>;
}

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
