import { formatDate, formatDateTime, warsawLocalMinute } from '../../lib/templates';

// Pages, mail and documents write dates as Intl's pl-PL long format in Poland's time; the formatter
// asks Intl once per hour of timestamps, so it must agree with Intl everywhere, around DST changes too.
const intlDateTime = new Intl.DateTimeFormat('pl-PL', { timeZone: 'Europe/Warsaw', dateStyle: 'long', timeStyle: 'short' });
const intlDate = new Intl.DateTimeFormat('pl-PL', { timeZone: 'Europe/Warsaw', dateStyle: 'long' });

describe('Polish date formatting', () => {
  it('writes the wall-clock time in Poland, as Intl does', () => {
    expect(formatDateTime(new Date('2026-11-28T09:05:00Z'))).toBe('28 listopada 2026 10:05');
    expect(formatDateTime('2026-07-01T22:30:00Z')).toBe('2 lipca 2026 00:30');
    expect(formatDate(new Date('2026-12-31T23:30:00Z'))).toBe('1 stycznia 2027');
  });

  it('agrees with Intl across the spring and autumn clock changes', () => {
    // 2026: CEST from 29 March 01:00 UTC to 25 October 01:00 UTC.
    for (const start of [Date.UTC(2026, 2, 28, 20), Date.UTC(2026, 9, 24, 20), Date.UTC(2027, 2, 27, 20)]) {
      for (let ms = start; ms < start + 12 * 3_600_000; ms += 7 * 60_000) {
        expect(formatDateTime(new Date(ms))).toBe(intlDateTime.format(ms));
      }
    }
  });

  it('agrees with Intl on dates spread over years', () => {
    let seed = 7;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const ms = Date.UTC(2020, 0, 1) + (seed / 2 ** 31) * 15 * 365 * 86_400_000;
      expect(formatDateTime(new Date(ms))).toBe(intlDateTime.format(ms));
      expect(formatDate(new Date(ms))).toBe(intlDate.format(ms));
    }
  });

  it('gives a datetime-local input its value in Poland\'s time, from a Date or epoch ms', () => {
    expect(warsawLocalMinute(Date.UTC(2026, 10, 28, 9, 5))).toBe('2026-11-28T10:05');
    expect(warsawLocalMinute(new Date('2026-07-01T22:30:00Z'))).toBe('2026-07-02T00:30');
  });

  it('writes a dash for a missing or unreadable date', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDate('nie data')).toBe('—');
  });
});
