// Where a unit sends what it signs (seed 000): each voivodeship office's ePUAP box and the mailbox of its
// social-policy department. Only addresses a seed gives are filled in; for the others the pages name the
// office and point to its website, and never invent an address.

export interface VoivodeshipOffice {
  name: string;
  /** The ePUAP box, e.g. /SUWKielce/SkrytkaESP; null when no source gives it. */
  epuap: string | null;
  /** The social-policy department's mailbox; null when no source gives it. */
  email: string | null;
}

export const VOIVODESHIP_OFFICES: Record<string, VoivodeshipOffice> = {
  '02': { name: 'Dolnośląski Urząd Wojewódzki we Wrocławiu', epuap: null, email: null },
  '04': { name: 'Kujawsko-Pomorski Urząd Wojewódzki w Bydgoszczy', epuap: null, email: null },
  '06': { name: 'Lubelski Urząd Wojewódzki w Lublinie', epuap: null, email: null },
  '08': { name: 'Lubuski Urząd Wojewódzki w Gorzowie Wielkopolskim', epuap: null, email: null },
  '10': { name: 'Łódzki Urząd Wojewódzki w Łodzi', epuap: null, email: null },
  '12': { name: 'Małopolski Urząd Wojewódzki w Krakowie', epuap: null, email: null },
  '14': { name: 'Mazowiecki Urząd Wojewódzki w Warszawie', epuap: null, email: null },
  '16': { name: 'Opolski Urząd Wojewódzki w Opolu', epuap: null, email: null },
  '18': { name: 'Podkarpacki Urząd Wojewódzki w Rzeszowie', epuap: null, email: null },
  '20': { name: 'Podlaski Urząd Wojewódzki w Białymstoku', epuap: null, email: null },
  '22': { name: 'Pomorski Urząd Wojewódzki w Gdańsku', epuap: null, email: null },
  '24': { name: 'Śląski Urząd Wojewódzki w Katowicach', epuap: null, email: null },
  // seed 000 (Świętokrzyski Urząd Wojewódzki, "Pomoc dla użytkowników").
  '26': { name: 'Świętokrzyski Urząd Wojewódzki w Kielcach', epuap: '/SUWKielce/SkrytkaESP', email: 'wps00@kielce.uw.gov.pl' },
  '28': { name: 'Warmińsko-Mazurski Urząd Wojewódzki w Olsztynie', epuap: null, email: null },
  '30': { name: 'Wielkopolski Urząd Wojewódzki w Poznaniu', epuap: null, email: null },
  '32': { name: 'Zachodniopomorski Urząd Wojewódzki w Szczecinie', epuap: null, email: null },
};

/** The reporting areas as a person reads them. */
export const AREA_LABELS: Record<string, string> = {
  PS: 'pomoc społeczna (PS)',
  WRiSPZ: 'wspieranie rodziny i piecza zastępcza (WRiSPZ)',
  SR: 'świadczenia rodzinne (SR)',
  FA: 'fundusz alimentacyjny (FA)',
  'OP-3': 'opieka nad dziećmi do lat 3 (OP-3)',
  ON: 'orzekanie o niepełnosprawności (ON)',
  KDR: 'Karta Dużej Rodziny (KDR)',
  SW: 'świadczenie wychowawcze (SW)',
};

export const UNIT_TYPE_LABELS: Record<string, string> = {
  OPS: 'ośrodek pomocy społecznej (OPS)',
  MOPS: 'miejski ośrodek pomocy społecznej (MOPS)',
  MOPR: 'miejski ośrodek pomocy rodzinie (MOPR)',
  GOPS: 'gminny ośrodek pomocy społecznej (GOPS)',
  PCPR: 'powiatowe centrum pomocy rodzinie (PCPR)',
  UG: 'urząd gminy (UG)',
  UM: 'urząd miasta (UM)',
  SP: 'starostwo powiatowe (SP)',
  INNA: 'inna jednostka',
};

/** seed 004 pkt 9a: the PIU reader roles a local administrator gives the unit's staff. */
export const PIU_ROLE_LABELS: Record<string, string> = {
  PS: 'Czytelnik PIU – obszar pomocy społecznej',
  SR: 'Czytelnik PIU – obszar świadczeń rodzinnych',
  FA: 'Czytelnik PIU – obszar funduszu alimentacyjnego',
  WRiSPZ: 'Czytelnik PIU – obszar wsparcia rodziny i pieczy zastępczej',
  'OP-3': 'Czytelnik PIU – obszar opieki nad dzieckiem w wieku do lat 3',
  TR: 'Czytelnik PIU – obszar turnusów rehabilitacyjnych',
  ON: 'Czytelnik PIU – obszar orzekania o niepełnosprawności',
  UE: 'Czytelnik PIU – obszar świadczeń UE',
};
