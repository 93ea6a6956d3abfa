import { warsawDay, warsawInstant, warsawLocalToInstant, warsawOffsetMs, warsawWallClock } from '../../workflows/rules/warsaw-time';

// One conversion between instants and Warsaw's wall clock, for rules, workflows and pages.

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

test('the offset is one hour in winter and two in summer, changing at 01:00 UTC on the last Sundays of March and October', () => {
  expect(warsawOffsetMs(Date.parse('2026-03-29T00:59:59Z'))).toBe(HOUR);
  expect(warsawOffsetMs(Date.parse('2026-03-29T01:00:00Z'))).toBe(2 * HOUR);
  expect(warsawOffsetMs(Date.parse('2026-10-25T00:59:59Z'))).toBe(2 * HOUR);
  expect(warsawOffsetMs(Date.parse('2026-10-25T01:00:00Z'))).toBe(HOUR);
});

test('wall-clock times to instants, around both changes', () => {
  expect(iso(warsawInstant('2026-01-15', 8))).toBe('2026-01-15T07:00:00.000Z');
  expect(iso(warsawInstant('2026-07-15', 8))).toBe('2026-07-15T06:00:00.000Z');
  expect(iso(warsawInstant('2026-03-29', 3))).toBe('2026-03-29T01:00:00.000Z'); // the first hour of summer time
  expect(iso(warsawInstant('2026-10-25', 4))).toBe('2026-10-25T03:00:00.000Z'); // back in winter time
  expect(iso(warsawLocalToInstant('2016-03-24T12:00'))).toBe('2016-03-24T11:00:00.000Z');
  expect(iso(warsawLocalToInstant('2016-03-24'))).toBe('2016-03-23T23:00:00.000Z');
  expect(() => warsawLocalToInstant('24.03.2016')).toThrow('not a local date or time');
});

test('the Warsaw day and wall clock of 5,000 instants over ten years agree with Intl', () => {
  const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Warsaw', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const from = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < 5_000; i++) {
    const at = from + Math.floor(rnd() * 10 * 365 * 24) * HOUR + Math.floor(rnd() * 60) * 60_000;
    const p = Object.fromEntries(intl.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
    const expected = `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
    expect(warsawWallClock(at).toISOString().slice(0, 16)).toBe(expected);
    expect(warsawDay(at)).toBe(expected.slice(0, 10));
  }
});
