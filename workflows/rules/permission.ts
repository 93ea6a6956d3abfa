import {
  ErrorTypes,
  type PermissionDecision,
  type PermissionPolicy,
  type PermissionStatus,
  type PermissionTarget,
} from '../messages';
import { taskDecisionRefusal, type Refusal } from './decision';
import { waitPlan, type WaitPlan } from './wait-plan';

// seed 000 "Złożenie wniosku o rozszerzenie uprawnień": a user asks for another reporting area of their
// unit or for another unit; the voivodeship administrator decides. Same shape as registration: a long
// wait is normal, so the deciders are reminded and an undecided request expires.

/** Reminders to the deciders and the expiry, counted from the moment the request was filed. */
export const permissionWaitPlan: (filedAt: number, policy: PermissionPolicy) => WaitPlan = waitPlan;

export interface HeldAssignment {
  role: string;
  unitCode: string | null;
  area: string | null;
}

/**
 * Whether the account already has what it asks for: staff of exactly this unit in exactly this area. A
 * powiat-level assignment is another unit (a PCPR is not the gmina's JOPS), so it does not count.
 */
export function alreadyHolds(assignments: HeldAssignment[], target: PermissionTarget): boolean {
  return assignments.some((a) => a.role === 'staff' && a.unitCode === target.unitCode && a.area === target.area);
}

export interface DecisionState {
  status: PermissionStatus;
  openTaskId: string | null;
  /** A decision was taken and is being applied. */
  decided: boolean;
}

/** Why a decision is refused before it reaches history, or null when it may be applied. */
export function decisionRefusal(state: DecisionState, decision: PermissionDecision): Refusal | null {
  if (state.status !== 'awaiting_decision' || state.decided || state.openTaskId === null) {
    return { type: ErrorTypes.notAwaitingDecision, message: `Wniosek nie oczekuje na decyzję (status: ${state.status})` };
  }
  return taskDecisionRefusal(state.openTaskId, decision);
}

/** Plain Polish sentence: what the case is waiting for and on whom. */
export function permissionWaitingFor(status: PermissionStatus): string | null {
  switch (status) {
    case 'awaiting_decision':
      return 'Czeka na decyzję administratora wojewódzkiego o rozszerzeniu uprawnień';
    case 'granted':
    case 'rejected':
    case 'expired':
      return null;
  }
}

export const PERMISSION_STATUS_LABELS: Record<PermissionStatus, string> = {
  awaiting_decision: 'Oczekuje na decyzję',
  granted: 'Uprawnienia nadane',
  rejected: 'Odrzucony',
  expired: 'Wygasł — brak decyzji w terminie',
};

export const permissionCaseTitle = (target: PermissionTarget, unitName: string, login: string): string =>
  `Rozszerzenie uprawnień ${login}: obszar ${target.area}, ${unitName} (${target.unitCode})`;

export const permissionTaskTitle = (target: PermissionTarget, unitName: string, login: string): string =>
  `Zdecyduj o rozszerzeniu uprawnień użytkownika ${login}: obszar ${target.area}, ${unitName} (${target.unitCode})`;
