import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { EncryptionCodec, legacyKeyId, parseKeyRing } from '../../lib/payload-codec';

const KEY = Buffer.alloc(32, 1);
const OTHER_KEY = Buffer.alloc(32, 2);

const jsonPayload = (json: string): Payload =>
  ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(json) }) as Payload;

const PLAIN = jsonPayload('{"email":"a@b.pl"}');

const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('utf8');
const metaText = (p: Payload, key: string) => text(p.metadata?.[key]);

describe('EncryptionCodec', () => {
  const codec = new EncryptionCodec(KEY);

  it('round-trips a payload: data and metadata come back unchanged', async () => {
    const [encoded] = await codec.encode([PLAIN]);
    const [decoded] = await codec.decode([encoded]);
    expect(text(decoded.data)).toBe('{"email":"a@b.pl"}');
    expect(metaText(decoded, 'encoding')).toBe('json/plain');
    expect(Object.keys(decoded.metadata ?? {})).toEqual(['encoding']);
  });

  it.each([
    ['Polish personal data', '{"firstName":"Łucja","lastName":"Żółkiewska","pesel":"90010112345"}'],
    ['an empty object', '{}'],
    ['a large document', JSON.stringify({ blob: 'x'.repeat(200_000) })],
  ])('round-trips %s', async (_title, json) => {
    const [decoded] = await codec.decode(await codec.encode([jsonPayload(json)]));
    expect(text(decoded.data)).toBe(json);
  });

  it('keeps the order of several payloads', async () => {
    const inputs = ['1', '"dwa"', '{"trzy":3}'].map(jsonPayload);
    const decoded = await codec.decode(await codec.encode(inputs));
    expect(decoded.map((p) => text(p.data))).toEqual(['1', '"dwa"', '{"trzy":3}']);
  });

  it('hides the plaintext and its encoding in the encoded payload', async () => {
    const [encoded] = await codec.encode([PLAIN]);
    const sealed = Buffer.from(encoded.data!);
    expect(sealed.includes(Buffer.from('a@b.pl'))).toBe(false);
    expect(sealed.includes(Buffer.from('email'))).toBe(false);
    expect(sealed.includes(Buffer.from('json/plain'))).toBe(false);
    expect(metaText(encoded, 'encoding')).toBe('binary/encrypted');
    expect(Object.values(encoded.metadata ?? {}).some((v) => text(v).includes('json/plain'))).toBe(false);
    // iv (12) + at least the plaintext + tag (16)
    expect(sealed.length).toBeGreaterThanOrEqual(12 + '{"email":"a@b.pl"}'.length + 16);
  });

  it('does not mutate the payload it encodes', async () => {
    const input = jsonPayload('{"email":"a@b.pl"}');
    await codec.encode([input]);
    expect(text(input.data)).toBe('{"email":"a@b.pl"}');
    expect(metaText(input, 'encoding')).toBe('json/plain');
  });

  it('uses a fresh IV: the same payload encodes differently each time', async () => {
    const [a] = await codec.encode([PLAIN]);
    const [b] = await codec.encode([PLAIN]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
    expect(Buffer.from(a.data!).subarray(0, 12).equals(Buffer.from(b.data!).subarray(0, 12))).toBe(false);
  });

  it('labels payloads with a key id that is not the key', async () => {
    const [encoded] = await codec.encode([PLAIN]);
    const keyId = metaText(encoded, 'encryption-key-id');
    expect(keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(keyId).not.toBe(KEY.toString('hex').slice(0, 16));
    const [again] = await new EncryptionCodec(Buffer.from(KEY)).encode([PLAIN]);
    expect(metaText(again, 'encryption-key-id')).toBe(keyId);
    const [other] = await new EncryptionCodec(OTHER_KEY).encode([PLAIN]);
    expect(metaText(other, 'encryption-key-id')).not.toBe(keyId);
  });

  it('fails to decode with a different key, with an error', async () => {
    const encoded = await codec.encode([PLAIN]);
    await expect(new EncryptionCodec(OTHER_KEY).decode(encoded)).rejects.toThrow(/unknown key/);
  });

  it('fails to decode with a different key even when the key id is forged', async () => {
    const [encoded] = await codec.encode([PLAIN]);
    const [otherEncoded] = await new EncryptionCodec(OTHER_KEY).encode([PLAIN]);
    const forged: Payload = { ...encoded, metadata: { ...encoded.metadata, 'encryption-key-id': otherEncoded.metadata!['encryption-key-id'] } };
    await expect(new EncryptionCodec(OTHER_KEY).decode([forged])).rejects.toThrow();
  });

  it('rejects tampered ciphertext instead of returning garbage', async () => {
    const [encoded] = await codec.encode([PLAIN]);
    const data = Buffer.from(encoded.data!);
    data[20] ^= 0x01;
    await expect(codec.decode([{ ...encoded, data }])).rejects.toThrow();
  });

  it('rejects a truncated authentication tag', async () => {
    const [encoded] = await codec.encode([PLAIN]);
    const data = Buffer.from(encoded.data!).subarray(0, -1);
    await expect(codec.decode([{ ...encoded, data }])).rejects.toThrow();
  });

  it.each([
    ['a json/plain payload', PLAIN],
    ['a binary/null payload', { metadata: { encoding: Buffer.from('binary/null') } } as Payload],
    ['a payload without metadata', { data: Buffer.from('raw') } as Payload],
    ['a payload with random bytes', { metadata: { encoding: Buffer.from('binary/plain') }, data: randomBytes(64) } as Payload],
  ])('passes %s that was never encrypted through decode unchanged', async (_title, payload) => {
    const [decoded] = await codec.decode([payload]);
    expect(decoded).toBe(payload);
  });

  it('decodes a mix of encrypted and plain payloads', async () => {
    const [sealed] = await codec.encode([jsonPayload('"tajne"')]);
    const decoded = await codec.decode([PLAIN, sealed]);
    expect(decoded[0]).toBe(PLAIN);
    expect(text(decoded[1].data)).toBe('"tajne"');
  });

  it.each([0, 16, 31, 33, 64])('refuses a %i-byte key', (length) => {
    expect(() => new EncryptionCodec(Buffer.alloc(length, 1))).toThrow('payload key must be 32 bytes');
  });

  it('builds from the base64 PAYLOAD_KEY and interoperates with the Buffer form', async () => {
    const fromEnv = EncryptionCodec.fromBase64(KEY.toString('base64'));
    const [decoded] = await codec.decode(await fromEnv.encode([PLAIN]));
    expect(text(decoded.data)).toBe('{"email":"a@b.pl"}');
    expect(() => EncryptionCodec.fromBase64(Buffer.alloc(16).toString('base64'))).toThrow('payload key must be 32 bytes');
  });
});

describe('the payload key ring', () => {
  const OLD = Buffer.alloc(32, 1).toString('base64');
  const NEW = Buffer.alloc(32, 2).toString('base64');

  it('seals with the active key, naming its id, and opens with every key of the ring', async () => {
    const before = new EncryptionCodec(parseKeyRing({ PAYLOAD_KEYS: `k1:${OLD}`, PAYLOAD_KEY_ID: 'k1' }));
    const [sealedOld] = await before.encode([PLAIN]);
    expect(metaText(sealedOld, 'encryption-key-id')).toBe('k1');

    // Rotation: add a key, switch the active id.
    const after = new EncryptionCodec(parseKeyRing({ PAYLOAD_KEYS: `k1:${OLD},k2:${NEW}`, PAYLOAD_KEY_ID: 'k2' }));
    const [sealedNew] = await after.encode([PLAIN]);
    expect(metaText(sealedNew, 'encryption-key-id')).toBe('k2');
    const decoded = await after.decode([sealedOld, sealedNew]);
    expect(decoded.map((p) => text(p.data))).toEqual(['{"email":"a@b.pl"}', '{"email":"a@b.pl"}']);
    // A ring without the new key cannot open what it sealed, and says which key is missing.
    await expect(before.decode([sealedNew])).rejects.toThrow('unknown key k2');
  });

  it('keeps the old single PAYLOAD_KEY under its derived id, so payloads it sealed still open after rotation', async () => {
    const [legacy] = await EncryptionCodec.fromBase64(OLD).encode([PLAIN]);
    const ring = parseKeyRing({ PAYLOAD_KEY: OLD, PAYLOAD_KEYS: `2026-12:${NEW}`, PAYLOAD_KEY_ID: '2026-12' });
    expect(ring.activeId).toBe('2026-12');
    expect(ring.keys[legacyKeyId(Buffer.from(OLD, 'base64'))]).toBe(OLD);
    const [decoded] = await new EncryptionCodec(ring).decode([legacy]);
    expect(text(decoded.data)).toBe('{"email":"a@b.pl"}');
    // PAYLOAD_KEY alone is still one key that seals.
    expect(parseKeyRing({ PAYLOAD_KEY: OLD }).activeId).toBe(legacyKeyId(Buffer.from(OLD, 'base64')));
  });

  it('opens a payload that names no key id with whichever key of the ring authenticates it', async () => {
    const [sealed] = await EncryptionCodec.fromBase64(OLD).encode([PLAIN]);
    const anonymous: Payload = { ...sealed, metadata: { encoding: sealed.metadata!.encoding } };
    const ring = new EncryptionCodec(parseKeyRing({ PAYLOAD_KEYS: `new:${NEW},old:${OLD}`, PAYLOAD_KEY_ID: 'new' }));
    const [decoded] = await ring.decode([anonymous]);
    expect(text(decoded.data)).toBe('{"email":"a@b.pl"}');
    await expect(new EncryptionCodec(parseKeyRing({ PAYLOAD_KEYS: `new:${NEW}`, PAYLOAD_KEY_ID: 'new' })).decode([anonymous])).rejects.toThrow(/no key of the ring/);
  });

  it.each([
    [{}, 'PAYLOAD_KEY'],
    [{ PAYLOAD_KEYS: `k1:${OLD}` }, 'PAYLOAD_KEY_ID'],
    [{ PAYLOAD_KEYS: `k1:${OLD}`, PAYLOAD_KEY_ID: 'k2' }, 'PAYLOAD_KEY_ID'],
    [{ PAYLOAD_KEYS: `k1:${OLD},k1:${NEW}`, PAYLOAD_KEY_ID: 'k1' }, 'PAYLOAD_KEYS'],
    [{ PAYLOAD_KEYS: `k1:c2hvcnQ=`, PAYLOAD_KEY_ID: 'k1' }, 'PAYLOAD_KEYS'],
    [{ PAYLOAD_KEYS: OLD, PAYLOAD_KEY_ID: 'k1' }, 'PAYLOAD_KEYS'],
  ])('refuses the ring %j, naming %s', (env, variable) => {
    expect(() => parseKeyRing(env)).toThrow(new RegExp(`^${variable}: `));
  });
});
