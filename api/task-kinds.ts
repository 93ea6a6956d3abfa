import type { UpdateDefinition } from '@temporalio/common';
import { decideApplication, type RegistrationDecision } from '../workflows/messages';
import { DECISION_TASK_KIND } from '../workflows/registration';

// Which workflow update completes which kind of human task. Every decision task takes the same body
// (accept, or reject with a reason) and the same update payload.
export type TaskDecision = RegistrationDecision;
export type DecisionUpdate = UpdateDefinition<{ status: string }, [TaskDecision], string>;

export const decisionUpdates: Record<string, DecisionUpdate> = {
  [DECISION_TASK_KIND]: decideApplication as unknown as DecisionUpdate,
};
