import { ErrorTypes, type RegistrationDecision, type RegistrationPolicy, type RegistrationStatus } from '../messages';
import { taskDecisionRefusal, type Refusal } from './decision';
import { waitPlan, type WaitPlan } from './wait-plan';

// seed 000: without the signed scan the application is not accepted; long waits are normal, so the
// applicant is reminded and an application whose scan never comes expires.

/** Reminders and expiry for one wait for a signed scan, counted from the moment the wait began. */
export const scanWaitPlan: (waitStartedAt: number, policy: RegistrationPolicy) => WaitPlan = waitPlan;

export interface RegistrationDecisionState {
  status: RegistrationStatus;
  openTaskId: string | null;
  /** A decision was taken and is being applied. */
  decided: boolean;
}

/**
 * Why the administrator's decision is refused before it reaches history, or null. The checks of the
 * validator inlined in registrationWorkflow before the decision kernel, in the same order.
 */
export function registrationDecisionRefusal(state: RegistrationDecisionState, decision: RegistrationDecision): Refusal | null {
  if (state.status !== 'awaiting_decision' || state.decided) {
    return { type: ErrorTypes.notAwaitingDecision, message: `Wniosek nie oczekuje na decyzję (status: ${state.status})` };
  }
  return taskDecisionRefusal(state.openTaskId, decision);
}

/** Plain Polish sentence: what the case is waiting for and on whom. */
export function registrationWaitingFor(status: RegistrationStatus): string | null {
  switch (status) {
    case 'submitted':
      return 'Przygotowanie formularza rejestracyjnego';
    case 'awaiting_scan':
      return 'Czeka na skan formularza podpisanego przez kierownika jednostki (wnioskodawca)';
    case 'correction_requested':
      return 'Czeka na poprawiony skan formularza od wnioskodawcy';
    case 'awaiting_decision':
      return 'Czeka na decyzję administratora wojewódzkiego';
    case 'accepted':
    case 'expired':
      return null;
  }
}

export const REGISTRATION_STATUS_LABELS: Record<RegistrationStatus, string> = {
  submitted: 'Złożony',
  awaiting_scan: 'Oczekuje na podpisany skan',
  awaiting_decision: 'Oczekuje na decyzję',
  correction_requested: 'Odrzucony — oczekuje na poprawiony skan',
  accepted: 'Zaakceptowany — konto utworzone',
  expired: 'Wygasł — brak podpisanego skanu',
};
