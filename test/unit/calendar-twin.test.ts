import { isPolishHoliday } from '../../lib/holidays';
import { addCalendarDays, weekday } from '../../workflows/rules/reporting-calendar';
import { calendarTwin, currentQuarter, previousQuarter, workingDayAhead } from '../support/calendar';

// The helper that lets dated workflow tests run on any day: the twin of a window must fall on the same
// weekdays and holidays, and lie ahead of the clock it is asked from.

describe('calendar twin', () => {
  test('Q4 2026 asked from 4 December 2026: 2037, whose Wigilia is also a Thursday', () => {
    const twin = calendarTwin('2026-10-01', '2027-01-31', Date.parse('2026-12-04T12:00:00Z'));
    expect(twin.year(2026)).toBe(2037);
    expect(twin.shift('2026-12-24')).toBe('2037-12-24');
    expect(weekday('2037-12-24')).toBe(weekday('2026-12-24'));
    expect(twin.shift('SR-KW-2026-Q3')).toBe('SR-KW-2037-Q3');
    expect(twin.shift('2027-01-07T07:01:00Z')).toBe('2038-01-07T07:01:00Z');
    expect(twin.shift('2661011')).toBe('2661011');
  });

  test('asked before the window begins: the written year itself', () => {
    expect(calendarTwin('2026-10-01', '2027-01-31', Date.parse('2026-09-30T12:00:00Z')).years).toBe(0);
  });

  test.each([
    ['a window with a leap day', '2028-02-01', '2028-03-31'],
    ['Easter and Boże Ciało', '2026-04-01', '2026-06-30'],
    ['a whole year', '2026-01-01', '2026-12-31'],
  ])('%s: every day of the twin has the weekday and holiday status of the written day', (_name, from, to) => {
    const twin = calendarTwin(from, to, Date.parse(`${to}T12:00:00Z`));
    expect(twin.years).toBeGreaterThan(0);
    for (let d = from; d <= to; d = addCalendarDays(d, 1)) {
      const t = twin.shift(d);
      expect([t, weekday(t), isPolishHoliday(t)]).toEqual([t, weekday(d), isPolishHoliday(d)]);
    }
  });
});

test('quarters from the clock', () => {
  expect(currentQuarter(Date.parse('2026-12-31T23:30:00Z'))).toBe('2027-Q1'); // already 1 January in Warsaw
  expect(currentQuarter(Date.parse('2026-07-01T10:00:00Z'))).toBe('2026-Q3');
  expect(previousQuarter('2027-Q1')).toBe('2026-Q4');
  expect(previousQuarter('2026-Q3')).toBe('2026-Q2');
  expect(workingDayAhead(1, Date.parse('2026-12-23T10:00:00Z'))).toBe('2026-12-28'); // over Wigilia and Christmas
});

test('the clock of a test file: pinned by the shifted-clock check (OBIEG_CLOCK_AT), the machine clock otherwise', () => {
  const at = process.env.OBIEG_CLOCK_AT;
  const machine = performance.timeOrigin + performance.now();
  const expected = at ? Date.parse(at) : machine;
  expect(Math.abs(Date.now() - expected)).toBeLessThan(5 * 60_000);
  expect(Math.abs(new Date().getTime() - Date.now())).toBeLessThan(1_000);
  expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
  expect(new Date(2028, 1, 29) instanceof Date).toBe(true);
  if (at) expect(Math.abs(machine - Date.now())).toBeGreaterThan(5 * 60_000);
});
