import { letterKindOf, openingDecision } from '../../domain/letters';
import { updNumber } from '../../lib/receipts';

// seed 003 (003_ac9166c2b11efdcf.txt, UWAGI, last paragraph): "Rozpakowanie paczki otrzymanej z urzędu
// również wymaga użycia podpisu elektronicznego, w ten sposób urząd otrzymuje elektroniczne poświadczenie
// odbioru pisma". Which mails are the office's letters, and whose opening confirms one.

test.each([
  ['registration-rejected', undefined, 'decision'],
  ['account-created', undefined, 'decision'],
  ['permission-granted', undefined, 'decision'],
  ['permission-rejected', undefined, 'decision'],
  ['csizs-package', undefined, 'csizs-package'],
  ['csizs-clarification', undefined, 'csizs-clarification'],
  ['report-data-request', 'request', 'data-request'],
  ['report-data-request', 'reminder', null],
  ['report-notice', 'returned', 'report-return'],
  ['report-notice', 'reminder', null],
  ['registration-reminder', undefined, null],
  ['registration-instructions', undefined, null],
  ['password-reminder', undefined, null],
])('%s (%s) is a letter of kind %s', (template, kind, expected) => {
  expect(letterKindOf(template, kind)).toBe(expected);
});

const TO = 'Anna.Nowak@mops.example';
test.each([
  ['the addressee signed in (address in another case)', { email: 'anna.nowak@mops.example', mayViewCase: false, linkKeyValid: false }, 'record'],
  ['the mail’s link without a session', { email: null, mayViewCase: false, linkKeyValid: true }, 'record'],
  ['the sender reading it', { email: 'adm@uw.example', mayViewCase: true, linkKeyValid: false }, 'view'],
  ['the sender holding the addressee’s link', { email: 'adm@uw.example', mayViewCase: true, linkKeyValid: true }, 'view'],
  ['somebody else signed in with the link', { email: 'kolega@mops.example', mayViewCase: false, linkKeyValid: true }, 'view'],
  ['a wrong key without a session', { email: null, mayViewCase: false, linkKeyValid: false }, 'refuse'],
  ['somebody else signed in without the link', { email: 'kolega@mops.example', mayViewCase: false, linkKeyValid: false }, 'refuse'],
] as const)('%s: %s', (_who, viewer, expected) => {
  expect(openingDecision(TO, viewer)).toBe(expected);
});

test('the confirmation number carries the Warsaw date of the opening, the same for the same letter', () => {
  // 23:30 UTC on 31 December 2026 is already 1 January 2027 in Warsaw.
  const at = new Date('2026-12-31T23:30:00Z');
  expect(updNumber('a'.repeat(32), at)).toMatch(/^UPD\/20270101\/[0-9A-F]{12}$/);
  expect(updNumber('a'.repeat(32), at)).toBe(updNumber('a'.repeat(32), new Date('2027-01-01T10:00:00Z')));
  expect(updNumber('b'.repeat(32), at)).not.toBe(updNumber('a'.repeat(32), at));
});
