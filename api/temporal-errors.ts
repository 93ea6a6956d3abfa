import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { ErrorTypes, IdentityMergeErrorTypes } from '../workflows/messages';
import { HttpError } from './errors';

const statusFor: Record<string, number> = {
  [ErrorTypes.notAwaitingScan]: 409,
  [ErrorTypes.notAwaitingDecision]: 409,
  [ErrorTypes.taskMismatch]: 409,
  [ErrorTypes.reasonRequired]: 400,
  [IdentityMergeErrorTypes.notAwaitingConfirmation]: 409,
  [IdentityMergeErrorTypes.notConfirmer]: 403,
};

/** Rejections by a workflow's update validator become 4xx errors with the workflow's code and message. */
export function mapWorkflowError(err: unknown): never {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type) {
    throw new HttpError(statusFor[err.cause.type] ?? 409, err.cause.type, err.cause.message);
  }
  if (err instanceof WorkflowNotFoundError) {
    throw new HttpError(409, 'CASE_NOT_RUNNING', 'Proces tej sprawy już się zakończył');
  }
  throw err;
}
