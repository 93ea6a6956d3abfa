// seed 002 (Zarządzenie 31/2024 MOPR Piekary Śląskie, "Zasady obsługi sprawozdań … CAS"): who handles a
// unit's reports of an area when people are away. Pure: the workflows and the API share it.
//
// §I.4  PS: the department's head, deputy and worker; "w przypadku ich łącznej nieobecności" the head of
//       another department (Organizacji, Kadr i Płac) and a worker designated by them.
// §I.5  SR and FA: the head and deputy of the family-benefits department; "w przypadku ich łącznej
//       nieobecności" an authorised worker of that department (§II.3 the same for preparing and sending).
// §II.5 the director may designate and authorise another worker when the authorised ones are absent.
//
// As data: a standing designation per reporting area of a unit (the head's): the responsible person,
// the substitute, and the second level who takes over only when both are absent. When the second level is
// absent or was never designated, the report goes to the head (§II.5) to designate someone.

export interface StandingDesignation {
  responsible: string;
  substitute: string | null;
  secondLevel: string | null;
}

export type HandlerLevel = 'responsible' | 'substitute' | 'second_level' | 'head';

export interface ReportHandler {
  /** Who handles the area's reports now; null: nobody designated is present, the head decides (§II.5). */
  login: string | null;
  level: HandlerLevel;
  /** Why, in Polish, naming the paragraph. */
  reason: string;
}

/** Who handles the area's reports, given who is absent. */
export function reportHandler(d: StandingDesignation, isAbsent: (login: string) => boolean): ReportHandler {
  if (!isAbsent(d.responsible)) return { login: d.responsible, level: 'responsible', reason: 'Osoba odpowiedzialna jest obecna' };
  if (d.substitute && !isAbsent(d.substitute)) {
    return { login: d.substitute, level: 'substitute', reason: `Osoba odpowiedzialna (${d.responsible}) jest nieobecna: sprawozdania przejmuje zastępca` };
  }
  // Both away ("łączna nieobecność", seed 002 §I.4, §I.5): the second level, designated beforehand.
  if (d.secondLevel && !isAbsent(d.secondLevel)) {
    return {
      login: d.secondLevel,
      level: 'second_level',
      reason: d.substitute
        ? `Osoba odpowiedzialna (${d.responsible}) i zastępca (${d.substitute}) są nieobecni: sprawozdania przejmuje osoba wyznaczona na taki wypadek (zarządzenie, § I ust. 4–5)`
        : `Osoba odpowiedzialna (${d.responsible}) jest nieobecna, a zastępcy nie wyznaczono: sprawozdania przejmuje osoba wyznaczona na taki wypadek (zarządzenie, § I ust. 4–5)`,
    };
  }
  return {
    login: null,
    level: 'head',
    reason: 'Nikt z wyznaczonych nie jest obecny: kierownik jednostki wyznacza i upoważnia innego pracownika (zarządzenie, § II ust. 5)',
  };
}

/** Why a standing designation is refused, or null: three different people, the second level only with a responsible person. */
export function standingDesignationRefusal(d: StandingDesignation): string | null {
  const people = [d.responsible, d.substitute, d.secondLevel].filter((x): x is string => !!x);
  if (new Set(people).size !== people.length) return 'Osoba odpowiedzialna, zastępca i osoba na wypadek nieobecności obojga muszą być różnymi osobami';
  return null;
}
