import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { ErrorTypes, IdentityMergeErrorTypes, ReportErrorTypes } from '../workflows/messages';
import { CsizsErrorTypes } from '../workflows/rules/csizs-campaign';
import { HttpError } from './errors';

const statusFor: Record<string, number> = {
  [CsizsErrorTypes.outOfOrder]: 409,
  [CsizsErrorTypes.alreadyDone]: 409,
  [CsizsErrorTypes.notOnCallList]: 409,
  [CsizsErrorTypes.noEscalation]: 409,
  [CsizsErrorTypes.vendorRequired]: 400,
  [CsizsErrorTypes.reasonRequired]: 400,
  [CsizsErrorTypes.unknownVendor]: 422,
  [CsizsErrorTypes.certificatesMissing]: 422,
  [CsizsErrorTypes.ownPath]: 409,
  [CsizsErrorTypes.notificationState]: 409,
  [CsizsErrorTypes.packageState]: 409,
  [CsizsErrorTypes.registrationInvalid]: 422,
  CSIZS_CERTIFICATE_EXPIRED: 409,
  [ErrorTypes.notAwaitingScan]: 409,
  [ErrorTypes.notAwaitingDecision]: 409,
  [ErrorTypes.taskMismatch]: 409,
  [ErrorTypes.reasonRequired]: 400,
  [ErrorTypes.noOpenDeadline]: 409,
  [ErrorTypes.invalidExtension]: 400,
  [IdentityMergeErrorTypes.notAwaitingConfirmation]: 409,
  [IdentityMergeErrorTypes.notConfirmer]: 403,
  [ReportErrorTypes.notEditable]: 409,
  [ReportErrorTypes.invalidContent]: 422,
  [ReportErrorTypes.personNotInUnit]: 422,
  [ReportErrorTypes.substituteIsResponsible]: 422,
  [ReportErrorTypes.noResponsible]: 409,
  [ReportErrorTypes.noSubstitute]: 409,
  [ReportErrorTypes.dataRequestClosed]: 409,
  [ReportErrorTypes.dataRequestDueInvalid]: 422,
  [ReportErrorTypes.dataReplyEmpty]: 400,
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
