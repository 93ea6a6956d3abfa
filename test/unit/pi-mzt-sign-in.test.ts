import { afterFailedSignIn, signInRefusedForTemporaryPassword } from '../../workflows/rules/accounts';

describe('seed 004 pkt 6b (PI-MZT): signing in with the temporary password without changing it', () => {
  test('is refused under PI-MZT, while CAS (seeds 000, 001) lets it in to demand the change', () => {
    expect(signInRefusedForTemporaryPassword('pi-mzt', true)).toBe(true);
    expect(signInRefusedForTemporaryPassword('pi-mzt', false)).toBe(false);
    expect(signInRefusedForTemporaryPassword('cas', true)).toBe(false);
  });
  test('the 5th such attempt locks the user for a while (each counts as a failed sign-in)', () => {
    const policy = { maxFailures: 5, lockMinutes: 15 };
    let failed = 0;
    const now = Date.UTC(2016, 2, 28, 9);
    for (let i = 1; i <= 4; i++) {
      const next = afterFailedSignIn(failed, policy, now);
      expect(next.lockedUntil).toBeNull();
      failed = next.failedLogins;
    }
    expect(afterFailedSignIn(failed, policy, now).lockedUntil).toBe(now + 15 * 60_000);
  });
});
