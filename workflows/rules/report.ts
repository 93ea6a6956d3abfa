import {
  ErrorTypes,
  REPORT_EDITABLE,
  ReportErrorTypes,
  type RegistrationDecision,
  type ReportAbsence,
  type ReportPeopleDesignation,
  type ReportPerson,
  type ReportPlan,
  type ReportStatus,
} from '../messages';
import { taskDecisionRefusal } from './decision';
import { reportHandler } from './substitutes';

// The per-unit report's timetable and allowed transitions (process 3). The plan's instants come from
// the reporting calendar; this file only orders them and says who may do what when.

export type MilestoneKind = 'reminder' | 'head' | 'overdue' | 'voivodeship';

export interface Milestone {
  kind: MilestoneKind;
  at: number;
  /** The reminder number, for reminders. */
  n?: number;
  workingDaysBefore?: number;
}

/** Reminders before the due date, the head on the due date, overdue after it, the voivodeship later. */
export function reportMilestones(plan: ReportPlan): Milestone[] {
  return [
    ...plan.reminders.map((r) => ({ kind: 'reminder' as const, at: Date.parse(r.at), n: r.n, workingDaysBefore: r.workingDaysBefore })),
    { kind: 'head' as const, at: Date.parse(plan.headEscalationAt) },
    { kind: 'overdue' as const, at: Date.parse(plan.deadlineAt) },
    { kind: 'voivodeship' as const, at: Date.parse(plan.adminEscalationAt) },
  ].sort((a, b) => a.at - b.at);
}

/** The next milestone strictly after `after`. */
export const nextMilestone = (plan: ReportPlan, after: number): Milestone | null => reportMilestones(plan).find((m) => m.at > after) ?? null;

/**
 * A report opened after its deadline (a campaign opened late) is overdue from the start: the overdue
 * milestone already passed, so the main loop, which waits for milestones after the opening, would never
 * flag it. Past reminders and notices are not sent late; only the overdue flag is owed. Null otherwise.
 */
export const overdueAtOpening = (plan: ReportPlan, openedAt: number): Milestone | null =>
  reportMilestones(plan).find((m) => m.kind === 'overdue' && m.at <= openedAt) ?? null;

export interface ReportEditState {
  status: ReportStatus;
  /** A submission is being recorded. */
  submitting: boolean;
}

/** Why a draft save or a submission is refused before it reaches history, or null. */
export function editRefusal(state: ReportEditState, content: unknown): { type: string; message: string } | null {
  if (state.submitting || !REPORT_EDITABLE.includes(state.status)) {
    return {
      type: ReportErrorTypes.notEditable,
      message:
        state.status === 'accepted'
          ? 'Sprawozdanie zostało już zaakceptowane: nie można go zmienić ani złożyć ponownie'
          : 'Sprawozdanie czeka na weryfikację: zmiany są możliwe dopiero po zwrocie do korekty',
    };
  }
  if (!content || typeof content !== 'object' || Array.isArray(content) || Object.keys(content).length === 0) {
    return { type: ReportErrorTypes.invalidContent, message: 'Treść sprawozdania musi być niepustym obiektem JSON' };
  }
  return null;
}

/** Verification: accept, or return for correction with comments (a reject needs them). */
export function verificationRefusal(
  state: { status: ReportStatus; openTaskId: string | null; decided: boolean },
  decision: RegistrationDecision,
): { type: string; message: string } | null {
  if (state.status !== 'submitted' || state.decided || state.openTaskId === null) {
    return { type: ErrorTypes.notAwaitingDecision, message: `Sprawozdanie nie czeka na weryfikację (status: ${state.status})` };
  }
  return taskDecisionRefusal(state.openTaskId, decision, 'Zwrot do korekty wymaga uwag dla jednostki');
}

export interface ReportPeople {
  responsible: ReportPerson | null;
  substitute: ReportPerson | null;
  absent: boolean;
  /** seed 002 §I.4-5: who takes over when the responsible person and the substitute are both away. */
  secondLevel?: ReportPerson | null;
  substituteAbsent?: boolean;
}

/**
 * Who holds the unit's tasks now (workflows/rules/substitutes.ts): the responsible person; the substitute
 * while they are away; the second level while both are. Marking both away needs a second level
 * (absenceRefusal), so a designated person always holds the task.
 */
export function taskHolder(p: ReportPeople): string | null {
  if (!p.responsible) return null;
  const responsible = p.responsible.login;
  const substitute = p.substitute?.login ?? null;
  const h = reportHandler(
    { responsible, substitute, secondLevel: p.secondLevel?.login ?? null },
    (login) => (login === responsible && p.absent) || (login === substitute && !!p.substituteAbsent),
  );
  return h.login ?? responsible;
}

/** Why a designation is refused, or null (membership of the unit is checked by the API beforehand). */
export function designationRefusal(status: ReportStatus, d: ReportPeopleDesignation): { type: string; message: string } | null {
  if (status === 'accepted') {
    return { type: ReportErrorTypes.notEditable, message: 'Sprawozdanie zostało już zaakceptowane: nie wyznacza się już osób' };
  }
  if (d.substitute && d.substitute.accountId === d.responsible.accountId) {
    return { type: ReportErrorTypes.substituteIsResponsible, message: `Zastępca musi być inną osobą niż osoba odpowiedzialna (${d.responsible.login})` };
  }
  return null;
}

/** Why marking the responsible person absent (or back) is refused, or null. */
export function absenceRefusal(p: ReportPeople, a: ReportAbsence): { type: string; message: string } | null {
  if (!p.responsible) return { type: ReportErrorTypes.noResponsible, message: 'Nie wyznaczono osoby odpowiedzialnej za to sprawozdanie' };
  if (a.person === 'substitute') {
    if (!p.substitute) return { type: ReportErrorTypes.noSubstitute, message: 'Nie wyznaczono zastępcy, więc nie można zgłosić jego nieobecności' };
    // seed 002 §I.4-5: when both are away the second level takes over; without one nobody would hold the tasks.
    if (a.absent && p.absent && !p.secondLevel) {
      return { type: ReportErrorTypes.noSubstitute, message: `Osoba odpowiedzialna ${p.responsible.login} jest już nieobecna, a nie wyznaczono osoby na wypadek nieobecności obojga: kierownik wyznacza ją najpierw (zarządzenie, § II ust. 5)` };
    }
    return null;
  }
  if (a.absent && p.substituteAbsent && !p.secondLevel) {
    return { type: ReportErrorTypes.noSubstitute, message: `Zastępca ${p.substitute?.login ?? ''} jest nieobecny, a nie wyznaczono osoby na wypadek nieobecności obojga: kierownik wyznacza ją najpierw (zarządzenie, § II ust. 5)` };
  }
  if (a.absent && !p.substitute) {
    return { type: ReportErrorTypes.noSubstitute, message: `Nie wyznaczono zastępcy: nieobecności ${p.responsible.login} nie można zgłosić, bo zadań nie ma kto przejąć` };
  }
  return null;
}

/** Why a data request is refused: the report is past editing, or the data would be due already. */
export function dataRequestRefusal(state: ReportEditState, deadlineAt: string, now: number): { type: string; message: string } | null {
  if (state.submitting || !REPORT_EDITABLE.includes(state.status)) {
    return { type: ReportErrorTypes.notEditable, message: 'Sprawozdanie zostało już przekazane: o dane do niego można prosić tylko przed przekazaniem lub po zwrocie do korekty' };
  }
  if (!(Date.parse(deadlineAt) > now)) return { type: ReportErrorTypes.dataRequestDueInvalid, message: 'Termin odpowiedzi na prośbę o dane już minął' };
  return null;
}

/** Why a reply or a cancellation of a data request is refused: it is closed already, or the reply is empty. */
export function dataReplyRefusal(status: 'open' | 'answered' | 'cancelled', closing: boolean, text: string | null): { type: string; message: string } | null {
  if (status !== 'open' || closing) {
    return {
      type: ReportErrorTypes.dataRequestClosed,
      message: status === 'cancelled' ? 'Prośba o dane została anulowana: nie przyjmuje już odpowiedzi' : 'Prośba o dane jest już zamknięta: odpowiedź została zapisana wcześniej',
    };
  }
  if (text !== null && text.trim().length === 0) return { type: ReportErrorTypes.dataReplyEmpty, message: 'Odpowiedź nie może być pusta' };
  return null;
}

/** The report's status while data are awaited, and the one it returns to when all requests are closed. */
export function statusWithRequests(status: ReportStatus, before: ReportStatus, open: number): { status: ReportStatus; before: ReportStatus } {
  if (open > 0 && (status === 'not_started' || status === 'draft' || status === 'returned')) {
    return { status: 'awaiting_data', before: status === 'returned' ? 'returned' : 'draft' };
  }
  if (open === 0 && status === 'awaiting_data') return { status: before, before };
  return { status, before };
}

export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  not_started: 'Nie rozpoczęto',
  draft: 'Wersja robocza',
  awaiting_data: 'Oczekuje na dane',
  submitted: 'Przekazane, czeka na weryfikację',
  returned: 'Zwrócone do korekty',
  accepted: 'Zaakceptowane',
};
