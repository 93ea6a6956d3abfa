import { caseStatusLabel, formatSize } from '../../api/labels';
import { INTERNAL_CODES, rawCodesIn, visibleText } from '../support/raw-codes';

test('sizes read as B, kB and MB with a Polish decimal comma', () => {
  expect([formatSize(512), formatSize(12_595), formatSize(1_572_864)]).toEqual(['512 B', '12,3 kB', '1,5 MB']);
});

test('statuses of every case type have Polish labels, also in a count over all types', () => {
  expect(caseStatusLabel('report', 'returned')).toBe('Zwrócone do korekty');
  expect(caseStatusLabel(null, 'awaiting_data')).toBe('Oczekuje na dane');
  expect(caseStatusLabel('registration', 'accepted')).toBe('Zaakceptowany — konto utworzone');
});

test('the raw-code scan finds codes as words of their own, in visible text only', () => {
  expect(INTERNAL_CODES).toEqual(expect.arrayContaining(['awaiting_scan', 'draft', 'package_sent', 'staff', 'epuap', 'report-verification']));
  const html = '<option value="awaiting_scan">Oczekuje na podpisany skan</option><p>Sprawa registration-2661011-ab12 · status: awaiting_decision, źródło epuap</p>';
  expect(rawCodesIn(visibleText(html)).map((f) => f.code)).toEqual(['awaiting_decision', 'epuap']);
});
