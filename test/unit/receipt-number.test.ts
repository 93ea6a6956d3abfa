import { receiptNumberFor, upoNumber } from '../../lib/receipts';
import { formatDateTimeSeconds } from '../../lib/templates';

// seed 003 (003_ac9166c2b11efdcf.txt, pkt 12): "UPO z dokładną datą i godziną dostarczenia". The date is
// Poland's: a report received at 23:30 UTC on 31 December is received on 1 January in Warsaw.

test('a receipt number carries the Warsaw date of receipt, not the UTC one', () => {
  expect(receiptNumberFor('report-X-2026-Q4-2661011', 1, new Date('2026-12-31T23:30:00Z'))).toMatch(/^UPO\/20270101\/[0-9A-F]{12}$/);
  // Summer time: +2 h, so 22:30 UTC is already the next day.
  expect(upoNumber('k', new Date('2027-06-30T22:30:00Z'))).toMatch(/^UPO\/20270701\//);
  expect(upoNumber('k', new Date('2027-06-30T21:59:59Z'))).toMatch(/^UPO\/20270630\//);
  expect(upoNumber('k', new Date('2027-06-30T21:59:59Z')).slice(-12)).toBe(upoNumber('k', new Date('2020-01-01T00:00:00Z')).slice(-12));
});

test('the time of receipt is printed to the second in Warsaw time', () => {
  expect(formatDateTimeSeconds('2026-12-05T23:30:15.000Z')).toBe('6 grudnia 2026 00:30:15');
  expect(formatDateTimeSeconds('2027-03-28T01:00:05.000Z')).toBe('28 marca 2027 03:00:05');
});
