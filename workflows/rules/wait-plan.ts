import { addDays } from './time';

// One shape for every wait that reminds and then expires: a registration waiting for its signed scan
// (seed 000: reminders after 7 and 14 days, expiry after 30), a permission request waiting for the
// voivodeship's decision (reminders after 3 and 7 days, expiry after 14).

export interface WaitPolicy {
  reminderAfterDays: number[];
  expireAfterDays: number;
}

export interface WaitPlan {
  reminders: { n: number; at: number }[];
  expiresAt: number;
}

/** Reminders (distinct days after the start and before the expiry, in order) and the expiry, counted from when the wait began. */
export function waitPlan(startedAt: number, policy: WaitPolicy): WaitPlan {
  const days = [...new Set(policy.reminderAfterDays)].filter((d) => d > 0 && d < policy.expireAfterDays).sort((a, b) => a - b);
  return {
    reminders: days.map((d, i) => ({ n: i + 1, at: addDays(startedAt, d) })),
    expiresAt: addDays(startedAt, policy.expireAfterDays),
  };
}
