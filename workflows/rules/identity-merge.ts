import {
  ErrorTypes,
  IdentityMergeErrorTypes,
  type IdentityMergeConfirmation,
  type IdentityMergeDecision,
  type IdentityMergeStatus,
} from '../messages';
import { taskDecisionRefusal, type Refusal } from './decision';
import { addDays } from './time';

// Identity merge (scalanie tożsamości kont, DOMAIN "Account rules"): one person's duplicate accounts
// — typically one in a JOPS and one in the municipal structure, as areas other than PS are reported by
// local government units — are merged on request. Both accounts confirm, then an administrator approves.

export interface ScopeAssignment {
  role: string;
  voivodeship: string | null;
  unitCode: string | null;
}

export interface MergeScope {
  /** Of the case: the survivor's unit ('' when it has none). */
  unitCode: string;
  /** Of the case: the survivor's voivodeship ('00' when it has none, e.g. ministry staff). */
  voivodeship: string;
  /** Who approves: the survivor's voivodeship administrators, or the ministry when it has no voivodeship. */
  approver: { role: 'voivodeship_admin' | 'ministry'; voivodeship: string | null };
}

/**
 * The case's scope and approver from the survivor's assignments, oldest first: the first assignment that
 * carries a voivodeship decides.
 */
export function mergeScope(assignments: ScopeAssignment[]): MergeScope {
  const first = assignments.find((a) => !!a.voivodeship);
  if (!first) return { unitCode: '', voivodeship: '00', approver: { role: 'ministry', voivodeship: null } };
  return {
    unitCode: first.unitCode ?? '',
    voivodeship: first.voivodeship!,
    approver: { role: 'voivodeship_admin', voivodeship: first.voivodeship },
  };
}

/** The confirmation deadline, counted from the request. */
export const confirmationDeadline = (requestedAt: number, days: number): number => addDays(requestedAt, days);

export interface MergeRequestRefusal {
  status: 400 | 422;
  code: 'SELF_MERGE' | 'UNKNOWN_ACCOUNT';
  message: string;
}

/**
 * Why a request is refused before anything is written, or null. Unknown, disabled and already merged
 * accounts get one answer, so the request cannot be used to probe which logins exist and in what state.
 */
export function mergeRequestRefusal(requester: { id: string; login: string }, other: { id: string; status: string } | null, otherLogin: string): MergeRequestRefusal | null {
  if (otherLogin === requester.login || other?.id === requester.id) {
    return { status: 400, code: 'SELF_MERGE', message: 'Nie można scalić konta z nim samym: podaj login drugiego konta' };
  }
  if (!other || other.status !== 'active') {
    return { status: 422, code: 'UNKNOWN_ACCOUNT', message: 'Nie można scalić z kontem o podanym loginie: nie ma takiego aktywnego konta' };
  }
  return null;
}

export interface MergeState {
  status: IdentityMergeStatus;
  otherAccountId: string;
  confirmed: boolean;
  openTaskId: string | null;
  decided: boolean;
}

export type { Refusal };

/** Why a confirmation is refused before it reaches history, or null when it may be applied. */
export function confirmationRefusal(state: MergeState, c: IdentityMergeConfirmation): Refusal | null {
  if (c.accountId !== state.otherAccountId) {
    return { type: IdentityMergeErrorTypes.notConfirmer, message: 'Scalenie potwierdza tylko konto, które ma zostać scalone, zalogowane jako ono samo' };
  }
  if (state.status !== 'awaiting_confirmation' || state.confirmed) {
    return { type: IdentityMergeErrorTypes.notAwaitingConfirmation, message: `Wniosek o scalenie nie oczekuje na potwierdzenie (status: ${state.status})` };
  }
  return null;
}

/** Why an administrator's decision is refused before it reaches history, or null. */
export function mergeDecisionRefusal(state: MergeState, d: IdentityMergeDecision): Refusal | null {
  if (state.status !== 'awaiting_approval' || state.decided || state.openTaskId === null) {
    return { type: ErrorTypes.notAwaitingDecision, message: `Wniosek o scalenie nie oczekuje na decyzję (status: ${state.status})` };
  }
  return taskDecisionRefusal(state.openTaskId, d);
}

/** Plain Polish sentence: what the case is waiting for and on whom. */
export function identityMergeWaitingFor(status: IdentityMergeStatus): string | null {
  switch (status) {
    case 'awaiting_confirmation':
      return 'Czeka na potwierdzenie scalenia przez drugie konto (zalogowane jako ono samo)';
    case 'awaiting_approval':
      return 'Czeka na zatwierdzenie scalenia przez administratora';
    case 'merged':
    case 'rejected':
    case 'expired':
      return null;
  }
}

export const IDENTITY_MERGE_STATUS_LABELS: Record<IdentityMergeStatus, string> = {
  awaiting_confirmation: 'Oczekuje na potwierdzenie drugiego konta',
  awaiting_approval: 'Oczekuje na zatwierdzenie administratora',
  merged: 'Konta scalone',
  rejected: 'Odrzucony',
  expired: 'Wygasł — brak potwierdzenia drugiego konta',
};
