import type { CompleteTaskInput } from '../activities/cases';
import type { RegistrationDecision } from './messages';

/** How a decision task is recorded as done: its outcome, the reason as the comment, who decided. */
export function decisionCompletion(taskId: string, decision: RegistrationDecision, rejected = 'rejected'): Omit<CompleteTaskInput, 'event'> {
  return { taskId, outcome: decision.decision === 'accept' ? 'accepted' : rejected, comment: decision.reason ?? null, completedBy: decision.decidedBy };
}
