import { isPolishHoliday } from '../../lib/holidays';
import {
  addWorkingDays,
  isScheduledPeriod,
  lastEndedPeriod,
  openingMonths,
  DEFAULT_REPORT_POLICY,
  dueDate,
  DueRuleError,
  nominalDueDate,
  periodEnd,
  reportPlan,
  warsawDay,
  warsawInstant,
  type DueRule,
  type ReportPeriodKind,
} from '../../workflows/rules/reporting-calendar';

describe('Polish public holidays from date-holidays (offline data)', () => {
  test.each([
    ['2025-05-01', true],
    ['2025-05-03', true],
    ['2025-11-11', true],
    ['2025-12-24', true], // a public holiday since 2025
    ['2024-12-24', false],
    ['2026-12-24', true],
    ['2026-06-04', true], // Boże Ciało
    ['2026-04-06', true], // Poniedziałek Wielkanocny
    ['2026-05-04', false],
    ['2026-02-14', false], // Walentynki: an observance, not a day off
  ])('%s holiday: %s', (day, expected) => {
    expect(isPolishHoliday(day)).toBe(expected);
  });
});

const after = (days: number): DueRule => ({ kind: 'days-after-period-end', days });

describe('period ends', () => {
  test.each<[ReportPeriodKind, string, string]>([
    ['monthly', '2026-02', '2026-02-28'],
    ['monthly', '2028-02', '2028-02-29'],
    ['quarterly', '2026-Q1', '2026-03-31'],
    ['quarterly', '2025-Q3', '2025-09-30'],
    ['half-yearly', '2026-H1', '2026-06-30'],
    ['half-yearly', '2025-H2', '2025-12-31'],
    ['yearly', '2025', '2025-12-31'],
  ])('%s %s ends %s', (kind, period, end) => {
    expect(periodEnd(kind, period)).toBe(end);
  });

  test.each<[ReportPeriodKind, string]>([
    ['monthly', '2026-13'],
    ['quarterly', '2026-Q5'],
    ['half-yearly', '2026-Q1'],
    ['yearly', '26'],
  ])('%s %s cannot be evaluated', (kind, period) => {
    expect(() => periodEnd(kind, period)).toThrow(DueRuleError);
  });
});

describe('due dates in Europe/Warsaw, moved off weekends and holidays', () => {
  test.each<[string, ReportPeriodKind, DueRule, string, string, string]>([
    // kind, rule, period → nominal → due
    ['Q1 + 20 days: 20 April 2026, a Monday', 'quarterly', after(20), '2026-Q1', '2026-04-20', '2026-04-20'],
    ['March + 31 days: 1 May 2026 (Friday, Święto Pracy) → Monday 4 May', 'monthly', after(31), '2026-03', '2026-05-01', '2026-05-04'],
    ['March 2025 + 33 days: 3 May 2025 (Saturday, Konstytucja) → Monday 5 May', 'monthly', after(33), '2025-03', '2025-05-03', '2025-05-05'],
    ['Q3 2025 + 42 days: 11 November 2025 (Tuesday) → 12 November', 'quarterly', after(42), '2025-Q3', '2025-11-11', '2025-11-12'],
    ['November 2025 + 24 days: 24 December 2025 (Wigilia, since 2025) → 27 Dec is Saturday → Monday 29 December', 'monthly', after(24), '2025-11', '2025-12-24', '2025-12-29'],
    ['November 2024 + 24 days: 24 December 2024 was a working day', 'monthly', after(24), '2024-11', '2024-12-24', '2024-12-24'],
    ['half-year + 1 day: Saturday 1 August 2026 → Monday 3 August', 'half-yearly', after(32), '2026-H1', '2026-08-01', '2026-08-03'],
    ['yearly 2025 + 1: 1 January 2026 (Nowy Rok) → Friday 2 January', 'yearly', after(1), '2025', '2026-01-01', '2026-01-02'],
    ['one-off fixed 6 January 2026 (Trzech Króli) → 7 January', 'one-off', { kind: 'fixed-date', date: '2026-01-06' }, 'ankieta', '2026-01-06', '2026-01-07'],
  ])('%s', (_name, kind, rule, period, nominal, due) => {
    expect(nominalDueDate(kind, rule, period)).toBe(nominal);
    expect(dueDate(kind, rule, period, isPolishHoliday)).toBe(due);
  });

  test.each<[string, ReportPeriodKind, DueRule]>([
    ['one-off without a date', 'one-off', after(20)],
    ['zero days', 'monthly', after(0)],
    ['fractional days', 'monthly', after(1.5)],
    ['impossible date', 'one-off', { kind: 'fixed-date', date: '2026-02-30' }],
  ])('a rule that cannot be evaluated: %s', (_name, kind, rule) => {
    expect(() => nominalDueDate(kind, rule, '2026-01')).toThrow(DueRuleError);
  });
});

describe('working-day arithmetic', () => {
  test.each<[string, number, string]>([
    ['2026-05-04', -1, '2026-04-30'], // back over the weekend and 1 May
    ['2026-05-04', -3, '2026-04-28'],
    ['2026-05-04', -7, '2026-04-22'],
    ['2025-12-29', 3, '2026-01-02'], // over 31 Dec (working) and 1 Jan
    ['2025-12-22', 3, '2025-12-30'], // over Wigilia, both Christmas days and the weekend
    ['2025-11-12', -1, '2025-11-10'], // over 11 November
  ])('%s %+d working days = %s', (day, n, expected) => {
    expect(addWorkingDays(day, n, isPolishHoliday)).toBe(expected);
  });
});

describe('Warsaw wall clock', () => {
  test('winter is UTC+1, summer UTC+2, and the day follows Warsaw', () => {
    expect(new Date(warsawInstant('2026-01-15', 8)).toISOString()).toBe('2026-01-15T07:00:00.000Z');
    expect(new Date(warsawInstant('2026-07-15', 8)).toISOString()).toBe('2026-07-15T06:00:00.000Z');
    expect(new Date(warsawInstant('2026-03-30', 0)).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(warsawDay(Date.parse('2026-07-15T22:30:00Z'))).toBe('2026-07-16');
  });
});

describe('report plan', () => {
  test('due Monday 4 May 2026: reminders 7, 3, 1 working days before at 08:00, head on the day, voivodeship 3 working days later', () => {
    const plan = reportPlan('2026-05-04', DEFAULT_REPORT_POLICY, isPolishHoliday);
    expect(plan.reminders.map((r) => [r.n, r.workingDaysBefore, r.day])).toEqual([
      [1, 7, '2026-04-22'],
      [2, 3, '2026-04-28'],
      [3, 1, '2026-04-30'],
    ]);
    expect(plan.reminders[2].at).toBe('2026-04-30T06:00:00.000Z');
    expect(plan.headEscalationAt).toBe('2026-05-04T06:00:00.000Z');
    expect(plan.deadlineAt).toBe('2026-05-04T22:00:00.000Z');
    expect(plan.adminEscalationDay).toBe('2026-05-07');
    expect(plan.adminEscalationAt).toBe('2026-05-07T06:00:00.000Z');
  });

  test('configurable reminders: duplicates and non-positive values dropped, latest last', () => {
    const plan = reportPlan('2026-01-07', { ...DEFAULT_REPORT_POLICY, reminderWorkingDaysBefore: [1, 5, 5, 0] }, isPolishHoliday);
    expect(plan.reminders.map((r) => r.day)).toEqual(['2025-12-29', '2026-01-05']);
  });
});

describe('scheduled opening of periodic forms', () => {
  test('the period opened is the last one ended before the day in Warsaw', () => {
    // 1 October 06:00 Warsaw (04:00 UTC) opens Q3; 30 September 23:30 UTC is already 1 October in Warsaw.
    expect(lastEndedPeriod('quarterly', Date.parse('2026-10-01T04:00:00Z'))).toBe('2026-Q3');
    expect(lastEndedPeriod('quarterly', Date.parse('2026-09-30T23:30:00Z'))).toBe('2026-Q3');
    expect(lastEndedPeriod('quarterly', Date.parse('2026-09-30T12:00:00Z'))).toBe('2026-Q2');
    expect(lastEndedPeriod('quarterly', Date.parse('2027-01-01T05:00:00Z'))).toBe('2026-Q4');
    expect(lastEndedPeriod('monthly', Date.parse('2027-01-01T05:00:00Z'))).toBe('2026-12');
    expect(lastEndedPeriod('monthly', Date.parse('2026-11-28T10:00:00Z'))).toBe('2026-10');
    expect(lastEndedPeriod('half-yearly', Date.parse('2026-07-01T04:00:00Z'))).toBe('2026-H1');
    expect(lastEndedPeriod('half-yearly', Date.parse('2026-03-15T10:00:00Z'))).toBe('2025-H2');
    expect(lastEndedPeriod('yearly', Date.parse('2027-01-01T05:00:00Z'))).toBe('2026');
  });
  test('schedules open on the first day of the month after each period', () => {
    expect(openingMonths('quarterly')).toEqual([1, 4, 7, 10]);
    expect(openingMonths('half-yearly')).toEqual([1, 7]);
    expect(openingMonths('yearly')).toEqual([1]);
    expect(openingMonths('monthly')).toHaveLength(12);
    expect(isScheduledPeriod('one-off')).toBe(false);
  });
});
