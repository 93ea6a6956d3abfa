import { z } from 'zod';
import { formToBody } from '../../api/http';
import { HttpError } from '../../api/errors';
import { text } from '../../api/text';

// A page form's fields become the twin's JSON body (`a.b` names a nested field). Names a browser never
// sends must be refused as bad input, not crash the page (500) or write onto Object.prototype.

const schema = z.object({ a: text(10), nested: z.object({ b: text(10) }).optional() });

function refusal(raw: Record<string, unknown>) {
  try {
    formToBody(schema, raw);
  } catch (err) {
    if (err instanceof HttpError) return { status: err.status, code: err.code, details: err.details };
    throw err;
  }
  return null;
}

test('dotted names become nested fields; empty fields are absent', () => {
  expect(formToBody(schema, { a: 'x', 'nested.b': 'y', _csrf: 't', c: '' })).toEqual({ a: 'x', nested: { b: 'y' } });
});

test('a prototype key anywhere in a name is refused and pollutes nothing', () => {
  for (const name of ['__proto__.isAdmin', 'constructor.prototype.isAdmin', 'nested.__proto__.isAdmin', '__proto__']) {
    expect(refusal({ a: 'x', [name]: 'true' })).toEqual({ status: 400, code: 'VALIDATION_FAILED', details: [{ path: `body.${name}`, message: 'Niedozwolona nazwa pola' }] });
  }
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('isAdmin');
});

test('a name that is both a value and a group of fields is refused, not a crash', () => {
  expect(refusal({ a: 'x', 'a.b': 'y' })).toEqual({ status: 400, code: 'VALIDATION_FAILED', details: [{ path: 'body.a.b', message: 'Pole podane jednocześnie jako wartość i jako grupa pól' }] });
});
