// seed 004 Uwaga 5: where a unit is not connected on 30 March, the ministry contacts "właściwym
// wójtem/burmistrzem/prezydentem miasta". Which of the three a gmina has follows from the ustawa o samorządzie
// gminnym, art. 26 ust. 3: a gmina's executive is the wójt; in a gmina whose seat is in a town, the burmistrz;
// in a city of more than 100,000 inhabitants, the prezydent miasta (ust. 4: also where that title was used
// before 1990). TERC gives the gmina's type (RODZ: 1 miejska, 2 wiejska, 3 miejsko-wiejska) and, in the
// powiat part of its code (61–99), whether it is a city with powiat rights; it gives neither population nor
// historic titles. So: a gmina wiejska → wójt; a gmina miejska or miejsko-wiejska → burmistrz; a city with
// powiat rights (all 66 of them, Warszawa included, have a prezydent) → prezydent miasta. The ~40 towns
// without powiat rights that also have a prezydent (e.g. Pabianice, Gniezno) are addressed as burmistrz:
// TERC cannot tell them apart, and the seed names the three offices without a list.
// Names stay in TERC's (nominative) form: "Prezydent Miasta Kielce", as offices write it themselves.

export type GminaExecutiveOffice = 'wojt' | 'burmistrz' | 'prezydent';

export interface GminaExecutive {
  office: GminaExecutiveOffice;
  /** The office in Polish, lower case, for running text ("wójt", "burmistrz", "prezydent miasta"). */
  title: string;
  /** How a letter or a call note addresses it: "Wójt Gminy Bolesławiec". */
  addressee: string;
}

export const GMINA_EXECUTIVE_TITLES: Record<GminaExecutiveOffice, string> = { wojt: 'wójt', burmistrz: 'burmistrz', prezydent: 'prezydent miasta' };

/** Whether a 7-digit TERC gmina code (WOJ POW GMI RODZ) is a city with powiat rights (powiat part 61–99). */
export const isCityWithPowiatRights = (code: string): boolean => /^\d{7}$/.test(code) && Number(code.slice(2, 4)) >= 61;

/** The executive of a gmina, from its TERC code, RODZ and name. Throws on a code or RODZ that is not a gmina's. */
export function gminaExecutive(gmina: { code: string; rodz?: string | null; name: string }): GminaExecutive {
  const { code, name } = gmina;
  const rodz = gmina.rodz ?? code.slice(6);
  if (!/^\d{7}$/.test(code) || !['1', '2', '3'].includes(rodz) || code.slice(6) !== rodz) {
    throw new Error(`not a TERC gmina: ${code} (RODZ ${gmina.rodz ?? '—'})`);
  }
  if (rodz === '1' && isCityWithPowiatRights(code)) {
    // Warszawa is a gmina and a city with powiat rights under its own act: "Prezydent m.st. Warszawy".
    const addressee = code === '1465011' ? 'Prezydent m.st. Warszawy' : `Prezydent Miasta ${name}`;
    return { office: 'prezydent', title: GMINA_EXECUTIVE_TITLES.prezydent, addressee };
  }
  if (rodz === '2') return { office: 'wojt', title: GMINA_EXECUTIVE_TITLES.wojt, addressee: `Wójt Gminy ${name}` };
  return { office: 'burmistrz', title: GMINA_EXECUTIVE_TITLES.burmistrz, addressee: rodz === '1' ? `Burmistrz Miasta ${name}` : `Burmistrz Miasta i Gminy ${name}` };
}
