import { generateTemporaryPassword, hashPassword, verifyPassword } from '../../lib/passwords';
import {
  MIN_PASSWORD_LENGTH,
  PASSWORD_POLICY_MESSAGE,
  PASSWORD_RULE_TEXT,
  meetsPasswordPolicy,
  passwordViolations,
  type PasswordRule,
} from '../../workflows/rules/password-policy';

describe('password policy', () => {
  it('uses the message of the seed, word for word', () => {
    expect(PASSWORD_POLICY_MESSAGE).toBe('Hasło nie spełnia reguł polityki bezpieczeństwa');
  });

  it('requires at least 8 characters', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(8);
    expect(PASSWORD_RULE_TEXT.length).toContain('8');
  });

  const cases: { password: string; broken: PasswordRule[]; why: string }[] = [
    { password: 'Abcdef1!', broken: [], why: 'exactly 8, every class' },
    { password: 'Abcde1!', broken: ['length'], why: '7 characters' },
    { password: 'Abcdefg!', broken: ['digit'], why: 'no digit' },
    { password: 'Abcdefg1', broken: ['special'], why: 'no special character' },
    { password: 'Abc defg1', broken: ['special'], why: 'a space is not a special character' },
    { password: 'abcdef1!', broken: ['upper'], why: 'no upper-case letter' },
    { password: 'ABCDEF1!', broken: ['lower'], why: 'no lower-case letter' },
    { password: 'Żółw123!', broken: [], why: 'Ż is upper case, ółw lower case' },
    { password: 'żółw123!', broken: ['upper'], why: 'ż is lower case only' },
    { password: 'ŻÓŁW123!', broken: ['lower'], why: 'ŻÓŁW is upper case only' },
    { password: 'ąęśćźńół1!', broken: ['upper'], why: 'Polish lower-case letters only' },
    { password: 'ĄĘŚĆŹŃÓŁ1!', broken: ['lower'], why: 'Polish upper-case letters only' },
    { password: 'Żółw12!', broken: ['length'], why: '7 characters, two bytes each in UTF-8 do not count double' },
    { password: 'Ab1!😀😀😀', broken: ['length'], why: '7 code points although 10 UTF-16 units' },
    { password: '12345678', broken: ['special', 'upper', 'lower'], why: 'digits only' },
    { password: '!!!!!!!!', broken: ['digit', 'upper', 'lower'], why: 'specials only' },
    { password: '', broken: ['length', 'digit', 'special', 'upper', 'lower'], why: 'empty' },
  ];

  it.each(cases)('$password → [$broken] ($why)', ({ password, broken }) => {
    expect(passwordViolations(password).sort()).toEqual([...broken].sort());
    expect(meetsPasswordPolicy(password)).toBe(broken.length === 0);
  });

  it('describes every rule in Polish', () => {
    expect(Object.keys(PASSWORD_RULE_TEXT).sort()).toEqual(['digit', 'length', 'lower', 'special', 'upper']);
    for (const text of Object.values(PASSWORD_RULE_TEXT)) expect(text).toMatch(/^co najmniej /);
  });
});

describe('generateTemporaryPassword', () => {
  let passwords: string[] = [];

  beforeAll(() => {
    passwords = Array.from({ length: 1000 }, () => generateTemporaryPassword());
  });

  it('every one of 1,000 passwords meets the policy', () => {
    const failing = passwords.filter((p) => !meetsPasswordPolicy(p));
    expect(failing).toEqual([]);
  });

  it('1,000 passwords are all different', () => {
    expect(new Set(passwords).size).toBe(1000);
  });

  it('never uses characters that read alike (0 O 1 l I)', () => {
    const ambiguous = passwords.filter((p) => /[0O1lI]/.test(p));
    expect(ambiguous).toEqual([]);
  });

  it('uses only printable ASCII without spaces, default length 14', () => {
    for (const p of passwords) {
      expect(p).toHaveLength(14);
      expect(p).toMatch(/^[\x21-\x7e]+$/);
    }
  });

  it.each([8, 20, 64])('honours a requested length of %i', (length) => {
    const p = generateTemporaryPassword(length);
    expect(p).toHaveLength(length);
    expect(meetsPasswordPolicy(p)).toBe(true);
  });
});

describe('hashPassword / verifyPassword', () => {
  const password = 'Żółw123!';
  let hashed: string;

  beforeAll(async () => {
    hashed = await hashPassword(password);
  });

  it('produces an argon2id hash with the configured cost', () => {
    expect(hashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hashed).not.toContain(password);
  });

  it('salts: the same password hashes differently twice', async () => {
    const again = await hashPassword(password);
    expect(again).not.toBe(hashed);
    await expect(verifyPassword(again, password)).resolves.toBe(true);
  });

  it.each([
    { title: 'the right password', candidate: password, ok: true },
    { title: 'a wrong password', candidate: 'Zolw123!', ok: false },
    { title: 'a different case', candidate: 'żółw123!', ok: false },
    { title: 'a prefix', candidate: 'Żółw123', ok: false },
    { title: 'an empty password', candidate: '', ok: false },
  ])('verifies $title → $ok', async ({ candidate, ok }) => {
    await expect(verifyPassword(hashed, candidate)).resolves.toBe(ok);
  });

  it.each([
    ['garbage', 'not-a-hash'],
    ['empty', ''],
    ['bcrypt', '$2b$10$abcdefghijklmnopqrstuuJ8p6tD4v5x0bI5zN8hQk9oQm0Yy7xkS'],
    ['truncated argon2id', '$argon2id$v=19$m=19456,t=2,p=1$'],
  ])('a %s hash verifies as false instead of throwing', async (_name, bad) => {
    await expect(verifyPassword(bad, password)).resolves.toBe(false);
  });

  it('round-trips a generated temporary password', async () => {
    const temp = generateTemporaryPassword();
    const h = await hashPassword(temp);
    await expect(verifyPassword(h, temp)).resolves.toBe(true);
    await expect(verifyPassword(h, temp.slice(1))).resolves.toBe(false);
  });
});
