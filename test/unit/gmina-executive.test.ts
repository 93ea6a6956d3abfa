import { readFileSync } from 'node:fs';
import { TERC_FILE, parseTerc } from '../../db/reference';
import type { Unit } from '../../db/entities';
import { gminaExecutive } from '../../domain/gmina-executive';

// seed 004 Uwaga 5: the escalation goes to "właściwym wójtem/burmistrzem/prezydentem miasta", decided from
// the gmina's type in TERC (ustawa o samorządzie gminnym art. 26 ust. 3), over the real register of 2020-01-01.

let gminas: Unit[] = [];
const byCode = (code: string) => gminas.find((g) => g.code === code)!;
const of = (code: string) => gminaExecutive(byCode(code));

beforeAll(() => {
  gminas = parseTerc(readFileSync(TERC_FILE, 'utf8')).filter((u) => u.kind === 'gmina');
});

describe('seed 004 Uwaga 5: the escalation is addressed to the gmina\'s wójt, burmistrz or prezydent miasta (TERC)', () => {
  test.each([
    ['0201022', 'gmina wiejska Bolesławiec', 'wojt', 'Wójt Gminy Bolesławiec'],
    ['2604012', 'gmina wiejska Bieliny', 'wojt', 'Wójt Gminy Bieliny'],
    ['0201011', 'gmina miejska Bolesławiec (no powiat rights)', 'burmistrz', 'Burmistrz Miasta Bolesławiec'],
    ['1008011', 'gmina miejska Konstantynów Łódzki', 'burmistrz', 'Burmistrz Miasta Konstantynów Łódzki'],
    ['0201043', 'gmina miejsko-wiejska Nowogrodziec', 'burmistrz', 'Burmistrz Miasta i Gminy Nowogrodziec'],
    ['2604033', 'gmina miejsko-wiejska Chęciny', 'burmistrz', 'Burmistrz Miasta i Gminy Chęciny'],
    ['2661011', 'Kielce, a city with powiat rights', 'prezydent', 'Prezydent Miasta Kielce'],
    ['1465011', 'Warszawa, the capital', 'prezydent', 'Prezydent m.st. Warszawy'],
  ])('%s (%s) → %s', (code, _what, office, addressee) => {
    expect(byCode(code)).toBeDefined();
    expect(of(code)).toMatchObject({ office, addressee });
  });

  test('over the whole register: 66 cities with powiat rights have a prezydent, every gmina wiejska a wójt, the rest a burmistrz', () => {
    const count = (office: string) => gminas.filter((g) => gminaExecutive(g).office === office).length;
    expect(gminas).toHaveLength(2477);
    expect(count('prezydent')).toBe(66);
    expect(count('wojt')).toBe(gminas.filter((g) => g.rodz === '2').length);
    expect(count('wojt')).toBe(1533);
    expect(count('burmistrz')).toBe(2477 - 66 - 1533);
    expect(gminaExecutive(byCode('2661011')).title).toBe('prezydent miasta');
  });

  test('a code that is not a gmina\'s is refused, not guessed', () => {
    expect(() => gminaExecutive({ code: '0201044', rodz: '4', name: 'Nowogrodziec' })).toThrow('not a TERC gmina');
    expect(() => gminaExecutive({ code: '2661', rodz: null, name: 'Kielce' })).toThrow('not a TERC gmina');
  });
});
