import { readFileSync } from 'node:fs';
import { TERC_FILE, parseTerc } from '../../db/reference';
import type { Unit } from '../../db/entities';

const HEADER = 'WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA';
const raw = readFileSync(TERC_FILE, 'utf8');
// Parsed in beforeAll, so a parser that throws fails each test instead of the whole file.
let units: Unit[] = [];
let byCode = new Map<string, Unit>();
const ofKind = (kind: Unit['kind']) => units.filter((u) => u.kind === kind);

// GUS TERYT as of 2020-01-01: gminas (RODZ 1-3) and powiats (including cities with powiat rights).
const PER_VOIVODESHIP: { woj: string; name: string; powiats: number; gminas: number }[] = [
  { woj: '02', name: 'DOLNOŚLĄSKIE', powiats: 30, gminas: 169 },
  { woj: '04', name: 'KUJAWSKO-POMORSKIE', powiats: 23, gminas: 144 },
  { woj: '06', name: 'LUBELSKIE', powiats: 24, gminas: 213 },
  { woj: '08', name: 'LUBUSKIE', powiats: 14, gminas: 82 },
  { woj: '10', name: 'ŁÓDZKIE', powiats: 24, gminas: 177 },
  { woj: '12', name: 'MAŁOPOLSKIE', powiats: 22, gminas: 182 },
  { woj: '14', name: 'MAZOWIECKIE', powiats: 42, gminas: 314 },
  { woj: '16', name: 'OPOLSKIE', powiats: 12, gminas: 71 },
  { woj: '18', name: 'PODKARPACKIE', powiats: 25, gminas: 160 },
  { woj: '20', name: 'PODLASKIE', powiats: 17, gminas: 118 },
  { woj: '22', name: 'POMORSKIE', powiats: 20, gminas: 123 },
  { woj: '24', name: 'ŚLĄSKIE', powiats: 36, gminas: 167 },
  { woj: '26', name: 'ŚWIĘTOKRZYSKIE', powiats: 14, gminas: 102 },
  { woj: '28', name: 'WARMIŃSKO-MAZURSKIE', powiats: 21, gminas: 116 },
  { woj: '30', name: 'WIELKOPOLSKIE', powiats: 35, gminas: 226 },
  { woj: '32', name: 'ZACHODNIOPOMORSKIE', powiats: 21, gminas: 113 },
];

describe('parseTerc on TERC_2020-01-01.csv', () => {
  beforeAll(() => {
    units = parseTerc(raw);
    byCode = new Map(units.map((u) => [u.code, u]));
  });

  it.each([
    ['voivodeship', 16],
    ['powiat', 380],
    ['gmina', 2477],
  ] as const)('has exactly %s × %i', (kind, count) => {
    expect(ofKind(kind)).toHaveLength(count);
  });

  it('has no other kinds and no duplicate codes', () => {
    expect(units).toHaveLength(16 + 380 + 2477);
    expect(byCode.size).toBe(units.length);
  });

  it('leaves out every RODZ 4/5/8/9 row (parts of gminas, city districts)', () => {
    const dataRows = raw.split(/\r?\n/).slice(1).filter((l) => l.trim() !== '').map((l) => l.split(';'));
    const excluded = dataRows.filter((c) => c[2] !== '' && ['4', '5', '8', '9'].includes(c[3] ?? ''));
    expect(excluded.length).toBeGreaterThan(1000); // the file really has them: 642 + 642 + 18 + 19
    for (const [woj, pow, gmi, rodz] of excluded) expect(byCode.has(woj + pow + gmi + rodz)).toBe(false);
    expect(units.filter((u) => u.rodz != null && !['1', '2', '3'].includes(u.rodz))).toEqual([]);
    expect(dataRows.length - excluded.length).toBe(units.length);
  });

  it('keeps the gmina of which those parts are parts', () => {
    expect(byCode.get('0201043')).toMatchObject({ kind: 'gmina', name: 'Nowogrodziec', rodz: '3' });
    expect(byCode.get('0264011')).toMatchObject({ kind: 'gmina', name: 'Wrocław', rodz: '1' });
  });

  it.each([
    ['1465028', 'Bemowo (dzielnica Warszawy, RODZ 8)'],
    ['0264029', 'Wrocław-Fabryczna (delegatura, RODZ 9)'],
    ['0201044', 'Nowogrodziec — miasto w gminie miejsko-wiejskiej (RODZ 4)'],
    ['0201045', 'Nowogrodziec — obszar wiejski (RODZ 5)'],
  ])('does not list %s: %s', (code) => {
    expect(byCode.has(code)).toBe(false);
  });

  it('codes every gmina with 7 digits beginning with its powiat code', () => {
    const powiatCodes = new Set(ofKind('powiat').map((p) => p.code));
    for (const g of ofKind('gmina')) {
      expect(g.code).toMatch(/^\d{7}$/);
      expect(g.powiat).not.toBeNull();
      expect(g.code.startsWith(g.powiat!)).toBe(true);
      expect(powiatCodes.has(g.powiat!)).toBe(true);
      expect(g.voivodeship).toBe(g.code.slice(0, 2));
      expect(['1', '2', '3']).toContain(g.rodz);
      expect(g.code.endsWith(g.rodz!)).toBe(true);
    }
  });

  it('codes powiats with 4 digits and voivodeships with 2, inside an existing voivodeship', () => {
    const voivodeshipCodes = new Set(ofKind('voivodeship').map((v) => v.code));
    for (const p of ofKind('powiat')) {
      expect(p.code).toMatch(/^\d{4}$/);
      expect(p.powiat).toBe(p.code);
      expect(p.rodz).toBeNull();
      expect(voivodeshipCodes.has(p.voivodeship)).toBe(true);
    }
    for (const v of ofKind('voivodeship')) {
      expect(v.code).toMatch(/^\d{2}$/);
      expect(v.powiat).toBeNull();
      expect(v.voivodeship).toBe(v.code);
    }
  });

  it('lists Warsaw (1465011) as a gmina of powiat 1465 in Mazowieckie', () => {
    expect(byCode.get('1465011')).toMatchObject({ kind: 'gmina', name: 'Warszawa', voivodeship: '14', powiat: '1465', rodz: '1' });
    expect(byCode.get('1465')).toMatchObject({ kind: 'powiat', name: 'Warszawa' });
  });

  it('lists Kielce (2661011), the unit used across the tests, as a gmina in Świętokrzyskie', () => {
    expect(byCode.get('2661011')).toMatchObject({ kind: 'gmina', name: 'Kielce', voivodeship: '26', powiat: '2661' });
  });

  it('keeps names in UTF-8 with Polish letters and the validity date', () => {
    expect(byCode.get('02')).toMatchObject({ name: 'DOLNOŚLĄSKIE', nameExtra: 'województwo', validOn: '2020-01-01' });
    expect(units.every((u) => u.validOn === '2020-01-01')).toBe(true);
    expect(units.some((u) => u.name.includes('\r') || u.validOn.includes('\r'))).toBe(false);
  });

  it.each(PER_VOIVODESHIP)('$woj $name: $powiats powiats, $gminas gminas', ({ woj, name, powiats, gminas }) => {
    expect(byCode.get(woj)).toMatchObject({ kind: 'voivodeship', name });
    expect(ofKind('powiat').filter((u) => u.voivodeship === woj)).toHaveLength(powiats);
    expect(ofKind('gmina').filter((u) => u.voivodeship === woj)).toHaveLength(gminas);
  });

  it('per-voivodeship gmina counts cover all 16 and sum to 2,477', () => {
    const counts = new Map<string, number>();
    for (const g of ofKind('gmina')) counts.set(g.voivodeship, (counts.get(g.voivodeship) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(ofKind('voivodeship').map((v) => v.code).sort());
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(2477);
    expect(PER_VOIVODESHIP.reduce((a, v) => a + v.gminas, 0)).toBe(2477);
    expect(PER_VOIVODESHIP.reduce((a, v) => a + v.powiats, 0)).toBe(380);
  });
});

describe('parseTerc on small inputs', () => {
  const row = (cols: string[]) => cols.join(';');
  const WOJ = row(['26', '', '', '', 'ŚWIĘTOKRZYSKIE', 'województwo', '2020-01-01']);
  const POW = row(['26', '61', '', '', 'Kielce', 'miasto na prawach powiatu', '2020-01-01']);
  const GMI = row(['26', '61', '01', '1', 'Kielce', 'gmina miejska', '2020-01-01']);

  it('accepts a byte-order mark, CRLF and blank lines', () => {
    const parsed = parseTerc(`\uFEFF${HEADER}\r\n${WOJ}\r\n\r\n${POW}\r\n${GMI}\r\n\r\n`);
    expect(parsed.map((u) => [u.kind, u.code])).toEqual([
      ['voivodeship', '26'],
      ['powiat', '2661'],
      ['gmina', '2661011'],
    ]);
  });

  it.each([
    ['a different column order', 'POW;WOJ;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA'],
    ['a comma-separated header', 'WOJ,POW,GMI,RODZ,NAZWA,NAZWA_DOD,STAN_NA'],
    ['a missing column', 'WOJ;POW;GMI;RODZ;NAZWA;STAN_NA'],
    ['a SIMC header', 'WOJ;POW;GMI;RODZ_GMI;RM;MZ;NAZWA;SYM;SYMPOD;STAN_NA'],
  ])('rejects %s in the header', (_title, header) => {
    expect(() => parseTerc(`${header}\n${WOJ}\n`)).toThrow(`unexpected TERC header: ${header}`);
  });

  it('rejects an empty file', () => {
    expect(() => parseTerc('')).toThrow(/unexpected TERC header/);
  });

  it('names the line that has 6 columns', () => {
    const six = row(['26', '61', '01', '1', 'Kielce', '2020-01-01']);
    expect(() => parseTerc([HEADER, WOJ, POW, six, GMI].join('\n'))).toThrow('TERC line 4: expected 7 columns, got 6');
  });

  it('names the line that has 8 columns', () => {
    const eight = `${GMI};extra`;
    expect(() => parseTerc([HEADER, eight].join('\r\n'))).toThrow('TERC line 2: expected 7 columns, got 8');
  });
});
