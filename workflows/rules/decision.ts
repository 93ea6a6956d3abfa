import { ErrorTypes, type RegistrationDecision } from '../messages';

// What every decision task (registration, permission request, report verification, identity merge)
// checks before a decision reaches history. Each process first says whether it awaits a decision at all.

/** Why an update is refused: the ApplicationFailure's type (mapped by the API) and its Polish message. */
export interface Refusal {
  type: string;
  message: string;
}

/** A rejection must say why: a reason of at least three characters (checked at the API's door too). */
export const rejectionLacksReason = (d: { decision: 'accept' | 'reject'; reason?: string | null }): boolean =>
  d.decision === 'reject' && !(d.reason && d.reason.trim().length >= 3);

/** The decision names the open task, and a reject carries a reason of at least three characters. */
export function taskDecisionRefusal(openTaskId: string | null, decision: RegistrationDecision, reasonMessage = 'Odrzucenie wymaga podania powodu'): Refusal | null {
  if (decision.taskId !== openTaskId) return { type: ErrorTypes.taskMismatch, message: 'To zadanie nie jest już otwarte' };
  if (rejectionLacksReason(decision)) {
    return { type: ErrorTypes.reasonRequired, message: reasonMessage };
  }
  return null;
}
