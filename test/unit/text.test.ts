import fc from 'fast-check';
import { z } from 'zod';
import { multilineText, secretText, text, unguardedStrings, unsafeInput } from '../../api/text';

// The shared text type: what a field holds once accepted can be stored in PostgreSQL and shown as typed.

const ok = (s: z.ZodType, v: unknown) => s.safeParse(v);

describe('text', () => {
  test('is trimmed and NFC-normalised', () => {
    // "Łódź" typed with combining marks (NFD) is the same name as the composed one.
    const nfd = '  Ło\u0301dz\u0301 ';
    expect(ok(text(100), nfd).data).toBe('Łódź');
  });

  test.each([
    ['NUL', 'Kowal\u0000ska'],
    ['a newline in a one-line field', 'Kowal\nska'],
    ['a tab in a one-line field', 'Kowal\tska'],
    ['escape', 'a\u001b[31m'],
    ['DEL', 'a\u007f'],
    ['a C1 control', 'a\u0085'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', '\udc00'],
    ['a bidi override', 'a\u202eb'],
    ['a line separator', 'a\u2028b'],
  ])('refuses %s, in Polish', (_name, v) => {
    const r = ok(text(100), v);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toMatch(/Niedozwolone|Niepoprawny tekst/);
  });

  test('a blank required field is refused; lengths are counted after trimming', () => {
    expect(ok(text(5), '   ').error!.issues[0].message).toBe('Pole jest wymagane');
    expect(ok(text(5), '  abcde  ').data).toBe('abcde');
    expect(ok(text(5), 'abcdef').error!.issues[0].message).toBe('Za długi tekst: najwyżej 5 znaków');
    expect(ok(text(5, { min: 0 }), '').success).toBe(true);
  });

  test('multi-line text keeps newlines and tabs, CRLF becomes LF', () => {
    expect(ok(multilineText(100), ' a\r\n\tb \r\n').data).toBe('a\n\tb');
    expect(ok(multilineText(100), 'a\u0000b').success).toBe(false);
    expect(ok(multilineText(100), 'a\u000bb').success).toBe(false);
  });

  test('a password is kept as typed, but without control characters', () => {
    expect(ok(secretText(50), ' Hasło1! ').data).toBe(' Hasło1! ');
    expect(ok(secretText(50), 'Hasło1!\u0000').success).toBe(false);
  });

  test('whatever is accepted is well-formed NFC with no control characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const r = ok(text(100, { min: 0 }), s);
        if (!r.success) return;
        const v = r.data as string;
        expect((v as string & { isWellFormed(): boolean }).isWellFormed()).toBe(true);
        expect(v).toBe(v.normalize('NFC'));
        expect(v).toBe(v.trim());
        // eslint-disable-next-line no-control-regex -- looking for control characters
        expect(/[\u0000-\u001f\u007f-\u009f]/.test(v)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the guard before every schema', () => {
  test('names each field holding what cannot be stored, however deep', () => {
    expect(unsafeInput({ a: { b: ['x', 'y\u0000'] }, c: 'ok', d: '\ud83d' }, 'body').map((d) => d.path)).toEqual(['body.a.b.1', 'body.d']);
  });

  test('refuses prototype keys', () => {
    const body = JSON.parse('{"__proto__": {"admin": true}, "constructor": {"prototype": {}}, "x": 1}');
    expect(unsafeInput(body, 'body').map((d) => d.message)).toEqual(['Niedozwolona nazwa pola', 'Niedozwolona nazwa pola']);
  });

  test('lets multi-line text and ordinary values through', () => {
    expect(unsafeInput({ reason: 'a\r\n\tb', n: 1, ok: true, none: null }, 'body')).toEqual([]);
  });
});

describe('a route schema with a plain string field', () => {
  test('is found, so the route kit refuses to register it', () => {
    const schema = z.object({ good: text(10), mail: z.email(), code: z.string().regex(/^\d{2}$/), bad: z.string().max(10), list: z.array(z.string()), loose: z.string().regex(/^.+$/) });
    expect(unguardedStrings(schema)).toEqual(['bad', 'list[]', 'loose']);
  });
});
