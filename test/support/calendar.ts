import { addCalendarDays, nextWorkingDay, warsawDay, warsawInstant, weekday } from '../../workflows/rules/reporting-calendar';
import { isPolishHoliday } from '../../lib/holidays';

// Tests of dated processes are written against one real calendar (say Q4 2026: Wigilia on a Thursday,
// Christmas, 6 January on a Wednesday) and must pass on any day they are run. A calendar twin is the
// first year, not yet begun from the test environment's point of view, whose days over the test's window
// fall on the same weekdays and are the same public holidays as in the year the test was written for.
// The test moves its environment's clock into the twin and keeps its literal dates, shifted by whole years.

export interface CalendarTwin {
  /** Whole years between the written calendar and its twin. */
  years: number;
  /** The twin of a year. */
  year(y: number): number;
  /** Shifts every 4-digit year at the start of an ISO date, instant, period ('2026-Q3') or id part. */
  shift(s: string): string;
}

function sameDays(from: string, to: string, years: number): boolean {
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) {
    const twin = `${Number(d.slice(0, 4)) + years}${d.slice(4)}`;
    if (twin.slice(5) === '02-29' && Number(twin.slice(0, 4)) % 4 !== 0) return false;
    if (weekday(twin) !== weekday(d) || isPolishHoliday(twin) !== isPolishHoliday(d)) return false;
  }
  return true;
}

/**
 * The twin of the window [from, to] (calendar days as written in the test) whose first day, at 00:00 in
 * Warsaw, is later than `notBefore` (the test environment's current time).
 */
export function calendarTwin(from: string, to: string, notBefore: number): CalendarTwin {
  for (let years = 0; years < 400; years++) {
    const first = `${Number(from.slice(0, 4)) + years}${from.slice(4)}`;
    if (warsawInstant(first, 0) <= notBefore) continue;
    if (!sameDays(from, to, years)) continue;
    return {
      years,
      year: (y) => y + years,
      shift: (s) => s.replace(/\b(\d{4})(?=-)/g, (y) => String(Number(y) + years)),
    };
  }
  throw new Error(`no calendar twin of ${from}…${to} within 400 years`);
}

/** Moves a time-skipping test server's clock to an instant; the workflows' timers up to it fire on the way. */
export async function advanceTo(env: { currentTimeMs(): Promise<number>; sleep(ms: number): Promise<void> }, iso: string): Promise<void> {
  const now = await env.currentTimeMs();
  const target = Date.parse(iso);
  if (Number.isNaN(target)) throw new Error(`not an instant: ${iso}`);
  if (target > now) await env.sleep(target - now);
}

// Tests on the dev server run on the machine's clock: their dates are taken from it, never written out.

/** The first working day in Poland at least `days` calendar days after today in Warsaw. */
export const workingDayAhead = (days: number, now = Date.now()): string => nextWorkingDay(addCalendarDays(warsawDay(now), days), isPolishHoliday);

/** The reporting quarter today in Warsaw falls in ('2026-Q4'): its due dates lie ahead of today. */
export function currentQuarter(now = Date.now()): string {
  const day = warsawDay(now);
  return `${day.slice(0, 4)}-Q${Math.ceil(Number(day.slice(5, 7)) / 3)}`;
}

/** The quarter before a quarter ('2026-Q1' → '2025-Q4'). */
export function previousQuarter(quarter: string): string {
  const [y, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(6))];
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}
