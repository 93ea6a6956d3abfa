import Holidays from 'date-holidays';
import type { IsHoliday } from '../workflows/rules/reporting-calendar';

// Polish public holidays (ustawa o dniach wolnych od pracy) from the maintained date-holidays data, which
// includes 24 December from 2025. Only "public" days count: observances are working days.
const pl = new Holidays('PL', { types: ['public'] });
const byYear = new Map<number, Set<string>>();

function yearSet(year: number): Set<string> {
  let s = byYear.get(year);
  if (!s) {
    s = new Set(pl.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
    byYear.set(year, s);
  }
  return s;
}

export const isPolishHoliday: IsHoliday = (day) => yearSet(Number(day.slice(0, 4))).has(day);
