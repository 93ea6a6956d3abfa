// seed 004 step 6 / seed 001: at least 8 characters with a digit, a special character, an upper- and
// a lower-case letter. The message is the seed's, word for word.
export const PASSWORD_POLICY_MESSAGE = 'Hasło nie spełnia reguł polityki bezpieczeństwa';
export const MIN_PASSWORD_LENGTH = 8;

export type PasswordRule = 'length' | 'digit' | 'special' | 'upper' | 'lower';

export const PASSWORD_RULE_TEXT: Record<PasswordRule, string> = {
  length: `co najmniej ${MIN_PASSWORD_LENGTH} znaków`,
  digit: 'co najmniej jedna cyfra',
  special: 'co najmniej jeden znak specjalny',
  upper: 'co najmniej jedna wielka litera',
  lower: 'co najmniej jedna mała litera',
};

/** The rules a password breaks; empty when it meets the policy. */
export function passwordViolations(password: string): PasswordRule[] {
  const broken: PasswordRule[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH) broken.push('length');
  if (!/\p{Nd}/u.test(password)) broken.push('digit');
  if (!/[^\p{L}\p{Nd}\s]/u.test(password)) broken.push('special');
  if (!/\p{Lu}/u.test(password)) broken.push('upper');
  if (!/\p{Ll}/u.test(password)) broken.push('lower');
  return broken;
}

export const meetsPasswordPolicy = (password: string): boolean => passwordViolations(password).length === 0;
