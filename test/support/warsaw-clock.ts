/**
 * Warsaw's wall clock of an instant to the second, "6 grudnia 2026 00:30:15", from Intl: independent of
 * the code under test, for reading back the time a receipt or confirmation prints.
 */
export function warsawClock(at: Date | string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('pl-PL', { timeZone: 'Europe/Warsaw', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(at))
      .map((x) => [x.type, x.value]),
  );
  return `${p.day} ${p.month} ${p.year} ${p.hour}:${p.minute}:${p.second}`;
}
