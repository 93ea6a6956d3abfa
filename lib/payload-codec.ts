import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

// Workflow inputs carry applicants' personal data: every payload (and, through the failure converter in
// lib/failure-converter.ts, every failure message and stack trace) is sealed with AES-256-GCM before it
// reaches Temporal, so history never holds it in plain text.
//
// A key ring: every sealed payload names its key id in its metadata; every key of the ring decrypts, the
// active one encrypts. Rotation is adding a key to the ring and making it the active one; the old key
// stays in the ring for as long as histories sealed with it may be read (cases in flight, replay).
const ENCODING = 'binary/encrypted';
const KEY_ID_META = 'encryption-key-id';

/** Key ids: short, safe in metadata and in the PAYLOAD_KEYS list (no ',' or ':'). */
export const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export interface KeyRing {
  /** The id of the key that seals new payloads. */
  activeId: string;
  /** Every key that may open payloads, by id (base64 of 32 bytes). */
  keys: Record<string, string>;
}

/**
 * The id a single key has always been labelled with (before key rings): derived from the key, not the key.
 * A key configured the old way (PAYLOAD_KEY) keeps this id, so histories it sealed still open.
 */
export function legacyKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * Parses `PAYLOAD_KEYS` ("id:base64,id:base64"), `PAYLOAD_KEY_ID` (the active id) and the old single
 * `PAYLOAD_KEY` (joins the ring under its legacy id; the active key when no PAYLOAD_KEY_ID is set).
 * Throws an Error naming the variable at fault.
 */
export function parseKeyRing(env: { PAYLOAD_KEYS?: string; PAYLOAD_KEY_ID?: string; PAYLOAD_KEY?: string }): KeyRing {
  const keys: Record<string, string> = {};
  let legacyId: string | undefined;
  if (env.PAYLOAD_KEY) {
    const key = Buffer.from(env.PAYLOAD_KEY, 'base64');
    if (key.length !== 32) throw new KeyRingError('PAYLOAD_KEY', 'expected 32 bytes, base64-encoded (openssl rand -base64 32)');
    legacyId = legacyKeyId(key);
    keys[legacyId] = env.PAYLOAD_KEY;
  }
  for (const entry of (env.PAYLOAD_KEYS ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = entry.indexOf(':');
    const id = at > 0 ? entry.slice(0, at) : '';
    const b64 = entry.slice(at + 1);
    if (!KEY_ID_PATTERN.test(id)) throw new KeyRingError('PAYLOAD_KEYS', 'expected "id:base64key" entries separated by commas; ids of letters, digits, ".", "_", "-"');
    if (Buffer.from(b64, 'base64').length !== 32) throw new KeyRingError('PAYLOAD_KEYS', `key "${id}": expected 32 bytes, base64-encoded`);
    if (keys[id] !== undefined) throw new KeyRingError('PAYLOAD_KEYS', `key id "${id}" appears twice`);
    keys[id] = b64;
  }
  if (Object.keys(keys).length === 0) throw new KeyRingError('PAYLOAD_KEY', 'set PAYLOAD_KEY (one key) or PAYLOAD_KEYS with PAYLOAD_KEY_ID (a key ring)');
  const activeId = env.PAYLOAD_KEY_ID || legacyId;
  if (!activeId) throw new KeyRingError('PAYLOAD_KEY_ID', 'name the active key of PAYLOAD_KEYS');
  if (keys[activeId] === undefined) throw new KeyRingError('PAYLOAD_KEY_ID', `no key "${activeId}" in the ring`);
  return { activeId, keys };
}

export class KeyRingError extends Error {
  constructor(
    readonly variable: string,
    readonly detail: string,
  ) {
    super(`${variable}: ${detail}`);
  }
}

export class EncryptionCodec implements PayloadCodec {
  private readonly activeId: string;
  private readonly keys: Map<string, Buffer>;

  /** One key (its id derived from it, as before key rings) or a ring. */
  constructor(keyOrRing: Buffer | KeyRing) {
    if (Buffer.isBuffer(keyOrRing)) {
      if (keyOrRing.length !== 32) throw new Error('payload key must be 32 bytes');
      this.activeId = legacyKeyId(keyOrRing);
      this.keys = new Map([[this.activeId, keyOrRing]]);
    } else {
      this.keys = new Map(
        Object.entries(keyOrRing.keys).map(([id, b64]) => {
          const key = Buffer.from(b64, 'base64');
          if (key.length !== 32) throw new Error('payload key must be 32 bytes');
          return [id, key];
        }),
      );
      if (!this.keys.has(keyOrRing.activeId)) throw new Error(`no active payload key ${keyOrRing.activeId}`);
      this.activeId = keyOrRing.activeId;
    }
  }

  static fromBase64(b64: string): EncryptionCodec {
    return new EncryptionCodec(Buffer.from(b64, 'base64'));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.activeId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: Buffer.from(ENCODING),
          [KEY_ID_META]: Buffer.from(this.activeId),
        },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || Buffer.from(encoding).toString() !== ENCODING) return payload;
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const idBytes = payload.metadata?.[KEY_ID_META];
      if (!idBytes || idBytes.length === 0) {
        // Sealed before payloads named their key: whichever key of the ring authenticates it.
        for (const key of this.keys.values()) {
          try {
            return open(key, data);
          } catch {
            // not this key
          }
        }
        throw new Error('payload sealed with no key id opens with no key of the ring');
      }
      const keyId = Buffer.from(idBytes).toString();
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`payload sealed with unknown key ${keyId}`);
      return open(key, data);
    });
  }
}

function open(key: Buffer, data: Buffer): Payload {
  const iv = data.subarray(0, 12);
  const tag = data.subarray(data.length - 16);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
  return temporal.api.common.v1.Payload.decode(plain);
}
