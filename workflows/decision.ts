import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { Duration, UpdateDefinition } from '@temporalio/common';
import type { CompleteTaskInput } from '../activities/cases';
import type { RegistrationDecision } from './messages';
import type { Refusal } from './rules/decision';

/** Every decision task takes the same payload: accept, or reject with a reason (api/task-kinds.ts). */
export type TaskDecision = RegistrationDecision;

/** How a decision task is recorded as done: its outcome, the reason as the comment, who decided. */
export function decisionCompletion(taskId: string, decision: RegistrationDecision, rejected = 'rejected'): Omit<CompleteTaskInput, 'event'> {
  return { taskId, outcome: decision.decision === 'accept' ? 'accepted' : rejected, comment: decision.reason ?? null, completedBy: decision.decidedBy };
}

/** The decision task the kernel completes before the workflow's own effects. */
export interface DecisionTask {
  taskId: string;
  /** The outcome written for a reject ('rejected' unless the process says otherwise, e.g. 'returned'). */
  rejected?: string;
  event: CompleteTaskInput['event'];
}

export interface DecisionKernel<D extends TaskDecision> {
  /** A decision is recorded and not applied yet: the validator refuses another one meanwhile. */
  pending(): boolean;
  /**
   * Waits until a decision is recorded. Without a timeout no command is issued; with one it is a timer
   * (as `condition(fn, timeout)`) and resolves false when none came in time.
   */
  wait(): Promise<void>;
  wait(timeout: Duration): Promise<boolean>;
  /** The recorded decision, for the main flow to apply. */
  take(): D;
  /**
   * Applies a taken decision in order: completes its task (`decisionCompletion`), runs the workflow's
   * own effects, then marks it applied, which answers the caller: an HTTP 200 means the effects are in place.
   */
  apply(decision: D, task: DecisionTask, effects?: (decision: D) => Promise<void>): Promise<void>;
}

/**
 * One way for every workflow to take a human decision through an update (issue 12):
 *
 * - the update handler is registered here; its validator refuses, before anything reaches history, what
 *   the workflow's pure refusal rule (workflows/rules/) refuses, with `ApplicationFailure.nonRetryable`;
 * - the handler only records the decision and answers once the main flow has applied it;
 * - the main flow waits for it (`wait`), takes it (`take`) and applies it (`apply`), so every command it
 *   causes is issued by the main flow, in order, and none by the handler.
 *
 * Register it where the workflow registered its handler before (synchronously, before the first await).
 */
export function decisionKernel<D extends TaskDecision, V>(
  update: UpdateDefinition<V, [D], string>,
  opts: {
    /** Why a decision is refused now, or null; `decided` says a decision is already recorded and not applied. */
    refusal: (decision: D, decided: boolean) => Refusal | null;
    /** The caller's answer, read once the decision is applied. */
    view: () => V;
    completeTask: (input: CompleteTaskInput) => Promise<void>;
  },
): DecisionKernel<D> {
  let recorded: D | null = null;
  let received = 0;
  let applied = 0;

  setHandler(
    update,
    async (decision: D) => {
      recorded = decision;
      const n = ++received;
      await condition(() => applied >= n);
      return opts.view();
    },
    {
      validator: (decision: D) => {
        const refusal = opts.refusal(decision, received > applied);
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.type);
      },
    },
  );

  const has = () => recorded !== null;
  function wait(): Promise<void>;
  function wait(timeout: Duration): Promise<boolean>;
  function wait(timeout?: Duration): Promise<boolean | void> {
    return timeout === undefined ? condition(has) : condition(has, timeout);
  }

  return {
    pending: () => received > applied,
    wait,
    take() {
      if (recorded === null) throw new Error('No decision has been recorded');
      const d = recorded;
      recorded = null;
      return d;
    },
    async apply(decision, task, effects) {
      await opts.completeTask({ ...decisionCompletion(task.taskId, decision, task.rejected), event: task.event });
      if (effects) await effects(decision);
      applied = received;
    },
  };
}
