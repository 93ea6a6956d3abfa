export const DAY_MS = 24 * 60 * 60 * 1000;

export const addDays = (at: number, days: number): number => at + days * DAY_MS;

/** Whole days between two instants, rounded down; for "od 12 dni" style sentences. */
export const daysBetween = (from: number, to: number): number => Math.floor((to - from) / DAY_MS);
