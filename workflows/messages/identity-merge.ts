import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RegistrationDecision } from './registration';

// ---- Identity merge (scalanie tożsamości kont) ----

export interface IdentityMergeInput {
  caseId: string;
  /** The requester: the account that stays and receives the other's roles and history. */
  survivorId: string;
  survivorLogin: string;
  /** The account merged away; it confirms the request by signing in as itself. */
  otherId: string;
  otherLogin: string;
  unitCode: string;
  voivodeship: string;
  approver: { role: 'voivodeship_admin' | 'ministry'; voivodeship: string | null };
  policy: { confirmationDays: number };
}

export type IdentityMergeStatus = 'awaiting_confirmation' | 'awaiting_approval' | 'merged' | 'rejected' | 'expired';

export const IDENTITY_MERGE_CLOSED: IdentityMergeStatus[] = ['merged', 'rejected', 'expired'];

export const IDENTITY_MERGE_APPROVAL_TASK_KIND = 'identity-merge-approval';

export interface IdentityMergeConfirmation {
  /** The signed-in account that confirms; only the account being merged may. */
  accountId: string;
  confirmedBy: string;
}

/** Same payload as every decision task (api/task-kinds.ts). */
export type IdentityMergeDecision = RegistrationDecision;

export interface IdentityMergeView {
  status: IdentityMergeStatus;
  deadline: string | null;
  confirmedBy: string | null;
  openTaskId: string | null;
}

export const getIdentityMergeStatus = defineQuery<IdentityMergeView>('getStatus');
export const confirmIdentityMerge = defineUpdate<IdentityMergeView, [IdentityMergeConfirmation]>('confirmIdentityMerge');
export const decideIdentityMerge = defineUpdate<IdentityMergeView, [IdentityMergeDecision]>('decideIdentityMerge');

/** The business key: one open merge per ordered pair of accounts (survivor first). */
export const identityMergeWorkflowId = (survivorId: string, otherId: string) => `identity-merge-${survivorId}-${otherId}`;

/** Error types of the merge's update validators; the API maps them to HTTP statuses (api/temporal-errors.ts). */
export const IdentityMergeErrorTypes = {
  notAwaitingConfirmation: 'MERGE_NOT_AWAITING_CONFIRMATION',
  notConfirmer: 'MERGE_CONFIRMATION_NOT_ALLOWED',
} as const;
