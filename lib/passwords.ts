import { randomInt } from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import { meetsPasswordPolicy } from '../workflows/rules/password-policy';

// Ambiguous characters (0/O, 1/l/I) are left out: officials read temporary passwords off a mail or a phone.
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SPECIAL = '!@#$%&*?-_+=';

const pick = (set: string) => set[randomInt(set.length)];

/** A temporary password that always meets the policy (seed 004 step 6). */
export function generateTemporaryPassword(length = 14): string {
  const all = UPPER + LOWER + DIGITS + SPECIAL;
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SPECIAL)];
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  const password = chars.join('');
  if (!meetsPasswordPolicy(password)) throw new Error('generated password breaks the policy');
  return password;
}

// argon2id with OWASP's second recommended profile (19 MiB, t=2, p=1).
export const hashPassword = (password: string): Promise<string> =>
  hash(password, { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });

export const verifyPassword = (hashed: string, password: string): Promise<boolean> =>
  verify(hashed, password).catch(() => false);
