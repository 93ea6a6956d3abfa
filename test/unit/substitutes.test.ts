import { absenceRefusal, taskHolder } from '../../workflows/rules/report';
import { reportHandler, standingDesignationRefusal } from '../../workflows/rules/substitutes';

// seed 002 (002_ad5875c3d6ae49e3.txt), §I.4: "w przypadku ich łącznej nieobecności Kierownik Działu
// Organizacji, Kadr i Płac"; §I.5: "w przypadku ich łącznej nieobecności upoważniony pracownik Działu
// Świadczeń Rodzinnych"; §II.5: "Dyrektor MOPR może wyznaczyć i upoważnić innego pracownika … w przypadku
// absencji pracowników do tego upoważnionych".

const d = { responsible: 'kierownik-dsps', substitute: 'zastepca-dsps', secondLevel: 'kierownik-dokip' };
const away = (...who: string[]) => (login: string) => who.includes(login);

describe('seed 002 §I.4-5, §II.5: who handles an area’s reports', () => {
  test('the responsible person while present; the substitute while only they are away', () => {
    expect(reportHandler(d, away()).login).toBe('kierownik-dsps');
    expect(reportHandler(d, away('kierownik-dsps'))).toMatchObject({ login: 'zastepca-dsps', level: 'substitute' });
    // The substitute's own absence changes nothing while the responsible person is in.
    expect(reportHandler(d, away('zastepca-dsps')).login).toBe('kierownik-dsps');
  });
  test('§I.4-5 "łączna nieobecność": with both away, the second level takes over, and only then', () => {
    expect(reportHandler(d, away('kierownik-dsps', 'zastepca-dsps'))).toMatchObject({ login: 'kierownik-dokip', level: 'second_level' });
    expect(reportHandler({ ...d, substitute: null }, away('kierownik-dsps'))).toMatchObject({ login: 'kierownik-dokip', level: 'second_level' });
  });
  test('§II.5: nobody designated present (or no second level): the head designates someone', () => {
    const h = reportHandler(d, away('kierownik-dsps', 'zastepca-dsps', 'kierownik-dokip'));
    expect(h).toMatchObject({ login: null, level: 'head' });
    expect(h.reason).toContain('§ II ust. 5');
    expect(reportHandler({ ...d, secondLevel: null }, away('kierownik-dsps', 'zastepca-dsps')).level).toBe('head');
  });
  test('a standing designation names three different people', () => {
    expect(standingDesignationRefusal(d)).toBeNull();
    expect(standingDesignationRefusal({ ...d, secondLevel: 'kierownik-dsps' })).toContain('różnymi osobami');
    expect(standingDesignationRefusal({ responsible: 'a', substitute: null, secondLevel: null })).toBeNull();
  });
});

describe('seed 002 §I.4-5 in a report: the unit’s task and absences', () => {
  const a = { accountId: 'a', login: 'anna' };
  const b = { accountId: 'b', login: 'bartek' };
  const c = { accountId: 'c', login: 'celina' };
  test('with the responsible person and the substitute both away, the task goes to the second level', () => {
    expect(taskHolder({ responsible: a, substitute: b, absent: true, substituteAbsent: true, secondLevel: c })).toBe('celina');
    expect(taskHolder({ responsible: a, substitute: b, absent: true, substituteAbsent: false, secondLevel: c })).toBe('bartek');
    expect(taskHolder({ responsible: a, substitute: b, absent: false, substituteAbsent: true, secondLevel: c })).toBe('anna');
  });
  test('marking both away is refused without a second level (§II.5: the head designates one first)', () => {
    expect(absenceRefusal({ responsible: a, substitute: b, absent: true }, { absent: true, by: 'x', person: 'substitute' })?.message).toContain('§ II ust. 5');
    expect(absenceRefusal({ responsible: a, substitute: b, absent: false, substituteAbsent: true }, { absent: true, by: 'x' })?.message).toContain('§ II ust. 5');
    expect(absenceRefusal({ responsible: a, substitute: b, absent: true, secondLevel: c }, { absent: true, by: 'x', person: 'substitute' })).toBeNull();
    expect(absenceRefusal({ responsible: a, substitute: null, absent: false }, { absent: true, by: 'x', person: 'substitute' })?.type).toBe('REPORT_NO_SUBSTITUTE');
  });
});
