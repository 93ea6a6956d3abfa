// Reporting calendar (process 3, seeds 001/002): when a report of a period is due, which days are
// working days in Poland, and when the unit is reminded and the report escalated. Pure: the holiday
// calendar is passed in (lib/holidays.ts reads it from date-holidays), so the API computes the plan and
// the workflow only sleeps until the precomputed instants.

import { WARSAW, warsawDay, warsawInstant } from './warsaw-time';

export { WARSAW, warsawDay, warsawInstant };

export const REPORT_PERIODS = ['monthly', 'quarterly', 'half-yearly', 'yearly', 'one-off'] as const;
export type ReportPeriodKind = (typeof REPORT_PERIODS)[number];

/** "The N-th day after the period ends" for recurring forms; a one-off survey gets an explicit date. */
export type DueRule = { kind: 'days-after-period-end'; days: number } | { kind: 'fixed-date'; date: string };

/** A calendar day (YYYY-MM-DD) is a public holiday. */
export type IsHoliday = (day: string) => boolean;


export class DueRuleError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
  }
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDay(s: string): boolean {
  const m = DAY_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.toISOString().slice(0, 10) === s;
}

/** Calendar arithmetic on YYYY-MM-DD, in UTC so no daylight-saving shift can move a day. */
export function addCalendarDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** 0 Sunday … 6 Saturday. */
export const weekday = (day: string): number => new Date(`${day}T00:00:00Z`).getUTCDay();

export const isWorkingDay = (day: string, isHoliday: IsHoliday): boolean => weekday(day) !== 0 && weekday(day) !== 6 && !isHoliday(day);

/** The day itself when it is a working day, else the next one (Kodeks postępowania administracyjnego art. 57 §4). */
export function nextWorkingDay(day: string, isHoliday: IsHoliday): string {
  let d = day;
  while (!isWorkingDay(d, isHoliday)) d = addCalendarDays(d, 1);
  return d;
}

/** n > 0 working days after day, n < 0 before; day itself is not counted. */
export function addWorkingDays(day: string, n: number, isHoliday: IsHoliday): string {
  const step = n < 0 ? -1 : 1;
  let d = day;
  for (let left = Math.abs(n); left > 0; ) {
    d = addCalendarDays(d, step);
    if (isWorkingDay(d, isHoliday)) left--;
  }
  return d;
}

/**
 * The period key of a kind: monthly "2026-03", quarterly "2026-Q1", half-yearly "2026-H1", yearly
 * "2026"; one-off surveys carry their own label and no period end.
 */
export function periodEnd(kind: ReportPeriodKind, period: string): string {
  const bad = () => new DueRuleError(`Okres „${period}” nie pasuje do okresowości ${kind}`, 'period');
  let year: number;
  let lastMonth: number;
  switch (kind) {
    case 'monthly': {
      const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
      if (!m) throw bad();
      [year, lastMonth] = [+m[1], +m[2]];
      break;
    }
    case 'quarterly': {
      const m = /^(\d{4})-Q([1-4])$/.exec(period);
      if (!m) throw bad();
      [year, lastMonth] = [+m[1], +m[2] * 3];
      break;
    }
    case 'half-yearly': {
      const m = /^(\d{4})-H([12])$/.exec(period);
      if (!m) throw bad();
      [year, lastMonth] = [+m[1], +m[2] * 6];
      break;
    }
    case 'yearly': {
      const m = /^(\d{4})$/.exec(period);
      if (!m) throw bad();
      [year, lastMonth] = [+m[1], 12];
      break;
    }
    case 'one-off':
      throw new DueRuleError('Sprawozdanie jednorazowe nie ma końca okresu: podaj datę terminu', 'dueRule');
  }
  return new Date(Date.UTC(year, lastMonth, 0)).toISOString().slice(0, 10);
}

export function validateDueRule(kind: ReportPeriodKind, rule: DueRule): void {
  if (rule.kind === 'fixed-date') {
    if (!isCalendarDay(rule.date)) throw new DueRuleError(`Data terminu „${rule.date}” nie jest poprawną datą RRRR-MM-DD`, 'dueRule.date');
    return;
  }
  if (kind === 'one-off') throw new DueRuleError('Sprawozdanie jednorazowe wymaga stałej daty terminu (fixed-date)', 'dueRule');
  if (!Number.isInteger(rule.days) || rule.days < 1 || rule.days > 366) {
    throw new DueRuleError('Liczba dni po końcu okresu musi być liczbą całkowitą od 1 do 366', 'dueRule.days');
  }
}

/** The statutory due date before moving it off weekends and holidays. */
export function nominalDueDate(kind: ReportPeriodKind, rule: DueRule, period: string): string {
  validateDueRule(kind, rule);
  if (rule.kind === 'fixed-date') return rule.date;
  return addCalendarDays(periodEnd(kind, period), rule.days);
}

export function dueDate(kind: ReportPeriodKind, rule: DueRule, period: string, isHoliday: IsHoliday): string {
  return nextWorkingDay(nominalDueDate(kind, rule, period), isHoliday);
}

export interface ReportPolicy {
  /** seed-free default: 7, 3 and 1 working days before the due date (issue 5). */
  reminderWorkingDaysBefore: number[];
  /** The voivodeship administrator is told this many working days after the due date. */
  escalateAfterWorkingDays: number;
  /** Reminders and escalations go out at this hour, Warsaw time. */
  notifyHour: number;
}

export const DEFAULT_REPORT_POLICY: ReportPolicy = { reminderWorkingDaysBefore: [7, 3, 1], escalateAfterWorkingDays: 3, notifyHour: 8 };

/** Every instant a report workflow acts on, precomputed; ISO strings so it travels in workflow input. */
export interface ReportPlan {
  dueDate: string;
  /** End of the due day in Warsaw: a submission after it is late. */
  deadlineAt: string;
  reminders: { n: number; workingDaysBefore: number; day: string; at: string }[];
  /** On the due date: the unit head is told the report is still missing. */
  headEscalationAt: string;
  adminEscalationDay: string;
  adminEscalationAt: string;
}

export function reportPlan(due: string, policy: ReportPolicy, isHoliday: IsHoliday): ReportPlan {
  const iso = (t: number) => new Date(t).toISOString();
  const before = [...new Set(policy.reminderWorkingDaysBefore)].filter((n) => n > 0).sort((a, b) => b - a);
  const adminDay = addWorkingDays(due, policy.escalateAfterWorkingDays, isHoliday);
  return {
    dueDate: due,
    deadlineAt: iso(warsawInstant(addCalendarDays(due, 1), 0)),
    reminders: before.map((n, i) => {
      const day = addWorkingDays(due, -n, isHoliday);
      return { n: i + 1, workingDaysBefore: n, day, at: iso(warsawInstant(day, policy.notifyHour)) };
    }),
    headEscalationAt: iso(warsawInstant(due, policy.notifyHour)),
    adminEscalationDay: adminDay,
    adminEscalationAt: iso(warsawInstant(adminDay, policy.notifyHour)),
  };
}

/**
 * A data request's timetable: due at the end of a working day (a weekend or holiday moves it on), one
 * reminder `reminderWorkingDaysBefore` working days earlier at the notice hour, unless that is past.
 */
export function dataRequestPlan(
  due: string,
  now: number,
  isHoliday: IsHoliday,
  opts: { reminderWorkingDaysBefore: number; notifyHour: number } = { reminderWorkingDaysBefore: 1, notifyHour: DEFAULT_REPORT_POLICY.notifyHour },
): { dueDate: string; reminderAt: string | null; deadlineAt: string } {
  const dueDate = nextWorkingDay(due, isHoliday);
  const reminder = warsawInstant(addWorkingDays(dueDate, -opts.reminderWorkingDaysBefore, isHoliday), opts.notifyHour);
  return {
    dueDate,
    reminderAt: reminder > now ? new Date(reminder).toISOString() : null,
    deadlineAt: new Date(warsawInstant(addCalendarDays(dueDate, 1), 0)).toISOString(),
  };
}

/** The periodic kinds a Temporal Schedule opens automatically (one-off surveys are opened by hand). */
export const SCHEDULED_PERIODS = ['monthly', 'quarterly', 'half-yearly', 'yearly'] as const;
export type ScheduledPeriodKind = (typeof SCHEDULED_PERIODS)[number];
export const isScheduledPeriod = (kind: string): kind is ScheduledPeriodKind => (SCHEDULED_PERIODS as readonly string[]).includes(kind);

/** The months (1-12) whose first day opens the reporting of the period that has just ended. */
export function openingMonths(kind: ScheduledPeriodKind): number[] {
  switch (kind) {
    case 'monthly':
      return [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    case 'quarterly':
      return [1, 4, 7, 10];
    case 'half-yearly':
      return [1, 7];
    case 'yearly':
      return [1];
  }
}

/**
 * The period a campaign opened at `at` reports: the latest one that ended before that day in Warsaw.
 * At 06:00 on 1 October that is the third quarter; a manual run on 28 November also gives the third.
 */
export function lastEndedPeriod(kind: ScheduledPeriodKind, at: number): string {
  const [y, m] = warsawDay(at).split('-').map(Number);
  const pad = (n: number) => String(n).padStart(2, '0');
  switch (kind) {
    case 'monthly':
      return m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
    case 'quarterly': {
      const q = Math.ceil(m / 3);
      return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
    }
    case 'half-yearly':
      return m <= 6 ? `${y - 1}-H2` : `${y}-H1`;
    case 'yearly':
      return `${y - 1}`;
  }
}
