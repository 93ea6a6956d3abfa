// Labels of the pages. Where a unit sends what it signs (the voivodeship offices) is data: the
// voivodeship_offices register (db/entities/offices.ts, /urzedy-wojewodzkie).

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

