import type { UpdateDefinition } from '@temporalio/common';
import {
  DECISION_TASK_KIND,
  IDENTITY_MERGE_APPROVAL_TASK_KIND,
  PERMISSION_DECISION_TASK_KIND,
  REPORT_VERIFICATION_TASK_KIND,
  decideApplication,
  decideIdentityMerge,
  decidePermissionRequest,
  decideReport,
  type RegistrationDecision,
} from '../workflows/messages';

// Which workflow update completes which kind of human task. Every decision task takes the same body
// (accept, or reject with a reason) and the same update payload.
export type TaskDecision = RegistrationDecision;
export type DecisionUpdate = UpdateDefinition<{ status: string }, [TaskDecision], string>;

export const decisionUpdates: Record<string, DecisionUpdate> = {
  [DECISION_TASK_KIND]: decideApplication as unknown as DecisionUpdate,
  [PERMISSION_DECISION_TASK_KIND]: decidePermissionRequest as unknown as DecisionUpdate,
  [IDENTITY_MERGE_APPROVAL_TASK_KIND]: decideIdentityMerge as unknown as DecisionUpdate,
  // Reject = return for correction with comments (the reason).
  [REPORT_VERIFICATION_TASK_KIND]: decideReport as unknown as DecisionUpdate,
};
