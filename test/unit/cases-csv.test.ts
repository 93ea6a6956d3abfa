import { casesCsv, type CaseRow } from '../../api/cases/service';

// The case list's CSV export opens in an official's spreadsheet: no cell may run as a formula, and codes
// are shown as Polish labels.

const row = (over: Partial<CaseRow>): CaseRow => ({
  id: 'registration-2661011-abc',
  type: 'registration',
  status: 'awaiting_scan',
  title: 'Rejestracja jednostki',
  unit_code: '2661011',
  unit_name: 'Kielce',
  voivodeship: '26',
  waiting_for: null,
  deadline: Date.UTC(2026, 0, 15, 12),
  updated_at: Date.UTC(2026, 0, 1, 12),
  closed_at: null,
  open_tasks: 0,
  sort_key: null,
  attention_reason: null,
  ...over,
});
const labels = { type: (t: string) => (t === 'registration' ? 'Rejestracja' : t), status: () => 'Czeka na skan', voivodeship: (c: string) => (c === '26' ? 'Świętokrzyskie' : c) };
const cells = (csv: string) => csv.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(';'));

test('cells that would start a formula are written as text', () => {
  for (const start of ['=', '+', '-', '@', '\t', '\r']) {
    const csv = casesCsv([row({ unit_name: `${start}HYPERLINK("http://zly.example")` })], labels);
    const line = csv.replace(/^\uFEFF/, '').split('\r\n').slice(1).join('\r\n');
    // The cell begins with an apostrophe (inside quotes when the text needs them), never with the formula sign.
    expect(line).toContain(`'${start}HYPERLINK`);
    expect(line).not.toContain(`;${start}HYPERLINK`);
    expect(line).not.toContain(`;"${start}HYPERLINK`);
  }
});

test('codes are Polish labels; quotes and separators are quoted', () => {
  const csv = casesCsv([row({ title: 'Wniosek; "pilny"' })], labels);
  expect(csv.startsWith('\uFEFFsprawa;rodzaj;status;tytuł;kod TERYT;jednostka;województwo;na co czeka;termin;zmieniono;zamknięto\r\n')).toBe(true);
  const [, line] = cells(csv.replace('"Wniosek; ""pilny"""', 'TYTUL'));
  expect(line).toEqual(['registration-2661011-abc', 'Rejestracja', 'Czeka na skan', 'TYTUL', '2661011', 'Kielce', 'Świętokrzyskie', '', '2026-01-15T12:00:00.000Z', '2026-01-01T12:00:00.000Z', '']);
});
