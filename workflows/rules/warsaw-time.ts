// Poland's civil time (Europe/Warsaw) for the rules, the workflows and the pages alike: one conversion
// between instants and Warsaw's wall clock. Pure: Intl is deterministic, and the offset is asked of it
// once per UTC hour (Warsaw's offset changes only on whole UTC hours).

export const WARSAW = 'Europe/Warsaw';

const HOUR_MS = 3_600_000;
// Created on first use: workflows import this module, and most never convert a time.
let parts: Intl.DateTimeFormat | undefined;
const offsets = new Map<number, number>();

/** Warsaw's offset from UTC at an instant, in ms: +1 h in winter, +2 h in summer. */
export function warsawOffsetMs(at: number): number {
  const hour = Math.floor(at / HOUR_MS);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    parts ??= new Intl.DateTimeFormat('en-GB', { timeZone: WARSAW, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    const p = Object.fromEntries(parts.formatToParts(new Date(hour * HOUR_MS)).map((x) => [x.type, x.value]));
    offset = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - hour * HOUR_MS;
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset;
}

/** A Date whose UTC fields read as Warsaw's wall clock at the instant (for formatting). */
export const warsawWallClock = (at: number): Date => new Date(at + warsawOffsetMs(at));

/** The instant of a wall-clock time in Warsaw (a time skipped by the spring change counts as summer time). */
export function warsawInstant(day: string, hour: number, minute = 0): number {
  const [y, m, d] = day.split('-').map(Number);
  const naive = Date.UTC(y, m - 1, d, hour, minute);
  const first = naive - warsawOffsetMs(naive);
  return naive - warsawOffsetMs(first);
}

/** "2016-03-24T12:00" (or a bare date, meaning midnight) in Warsaw → epoch ms. */
export function warsawLocalToInstant(local: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(local);
  if (!m) throw new Error(`not a local date or time: ${local}`);
  return warsawInstant(m[1], Number(m[2] ?? 0), Number(m[3] ?? 0));
}

/** The calendar day in Warsaw of an instant. */
export const warsawDay = (at: number): string => warsawWallClock(at).toISOString().slice(0, 10);
