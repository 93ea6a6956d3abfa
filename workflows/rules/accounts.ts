import { addDays } from './time';

// Account rules of seeds 001 and 004: 5 failed sign-ins lock the account for a while, a password is
// changed every 30 days, idle sessions end after 30 minutes. Numbers come from configuration.

export const MINUTE_MS = 60_000;

export interface LockPolicy {
  maxFailures: number;
  lockMinutes: number;
}

export const isLocked = (lockedUntil: number | null | undefined, now: number): boolean => !!lockedUntil && lockedUntil > now;

/** The state after one more failed sign-in: the maxFailures-th failure locks the account. */
export function afterFailedSignIn(failedBefore: number, policy: LockPolicy, now: number): { failedLogins: number; lockedUntil: number | null } {
  const failedLogins = failedBefore + 1;
  if (failedLogins >= policy.maxFailures) return { failedLogins: 0, lockedUntil: now + policy.lockMinutes * MINUTE_MS };
  return { failedLogins, lockedUntil: null };
}

export const passwordTooOld = (changedAt: number | null | undefined, now: number, maxAgeDays: number): boolean =>
  !changedAt || now >= addDays(changedAt, maxAgeDays);

export const sessionIdle = (lastSeenAt: number, now: number, idleMinutes: number): boolean => now - lastSeenAt >= idleMinutes * MINUTE_MS;

export interface PasswordExpiryPlan {
  reminders: { daysLeft: number; at: number }[];
  expiresAt: number;
}

/** Reminders some days before the password's age limit, then the forced change. */
export function passwordExpiryPlan(changedAt: number, maxAgeDays: number, reminderDaysBefore: number[]): PasswordExpiryPlan {
  const expiresAt = addDays(changedAt, maxAgeDays);
  const days = [...new Set(reminderDaysBefore)].filter((d) => d > 0 && d < maxAgeDays).sort((a, b) => b - a);
  return { reminders: days.map((d) => ({ daysLeft: d, at: addDays(expiresAt, -d) })), expiresAt };
}

/**
 * What signing in with the right, still temporary password does. CAS (seeds 000, 001): the sign-in
 * succeeds and the person must change the password first. PI-MZT, the CSIZS user management (seed 004
 * pkt 6b): "W przypadku, gdy użytkownik podejmie próbę logowania bez zmiany hasła tymczasowego, pojawi się
 * komunikat »Błędny login lub hasło«. Piąta próba logowania się do systemu bez zmiany hasła tymczasowego
 * spowoduje czasową blokadę użytkownika." The password is changed first, on the change screen, with the
 * login and the temporary password as the old one.
 */
export type TemporaryPasswordRule = 'cas' | 'pi-mzt';
export const signInRefusedForTemporaryPassword = (rule: TemporaryPasswordRule, temporaryPasswordUnchanged: boolean): boolean =>
  rule === 'pi-mzt' && temporaryPasswordUnchanged;

export const SIGN_IN_MESSAGES = {
  // seed 004 step 6 (the seed's own words)
  badCredentials: 'Błędny login lub hasło',
  oldPasswordWrong: 'Stare hasło nie jest poprawne',
  locked: 'Konto zostało czasowo zablokowane po kolejnych nieudanych próbach logowania. Spróbuj ponownie później lub skorzystaj z przypomnienia hasła.',
  // seed 001: logins may be limited under load; say that it is deliberate
  limited: 'Logowanie jest chwilowo ograniczone z powodu dużej liczby zalogowanych użytkowników. To celowe ograniczenie, a nie awaria — spróbuj ponownie za kilka minut.',
  mustChange: 'Przed dalszą pracą zmień hasło tymczasowe lub wygasłe.',
  sessionEnded: 'Sesja wygasła po 30 minutach bezczynności. Zaloguj się ponownie.',
} as const;
