import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeyRing } from './payload-codec';

// seed 004 Uwaga 2: secrets that must pass between the API and an activity without entering workflow
// history (certificates on their way into the package, the package password on its way to the phone
// call). Each is sealed with AES-256-GCM under a key derived from the active payload key (a key derived from
// any key of the ring opens it), lives a short time, and is read once: reading erases it.

const INFO = 'obieg-secret-store-v1';

export class SecretStore {
  /** The active key's derived key first (it seals), then the other keys' of the ring (they only open). */
  private readonly keys: Buffer[];

  /** One payload key (base64) or the key ring: a secret sealed before a key rotation still opens. */
  constructor(payloadKey: string | KeyRing) {
    const masters = typeof payloadKey === 'string' ? [payloadKey] : [payloadKey.keys[payloadKey.activeId], ...Object.entries(payloadKey.keys).filter(([id]) => id !== payloadKey.activeId).map(([, k]) => k)];
    this.keys = masters.map((b64) => {
      const master = Buffer.from(b64 ?? '', 'base64');
      if (master.length !== 32) throw new Error('secret store key must be 32 bytes');
      return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), INFO, 32));
    });
  }

  seal(id: string, plain: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0], iv);
    cipher.setAAD(Buffer.from(id));
    return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  }

  open(id: string, sealed: Buffer): string {
    let failure: unknown;
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
        decipher.setAAD(Buffer.from(id));
        decipher.setAuthTag(sealed.subarray(sealed.length - 16));
        return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]).toString('utf8');
      } catch (err) {
        failure = err; // not this key
      }
    }
    throw failure;
  }

  /** Stores a secret for `ttlMs`; returns its id (a reference safe to put in history). */
  async put(em: EntityManager, input: { purpose: string; owner: string; value: string; ttlMs: number; id?: string }): Promise<string> {
    const id = input.id ?? `${input.purpose}:${randomUUID()}`;
    await em.execute(
      `insert into secrets (id, purpose, owner, sealed, expires_at, created_at) values (?, ?, ?, ?, ?, now())
       on conflict (id) do update set sealed = excluded.sealed, expires_at = excluded.expires_at, read_at = null`,
      [id, input.purpose, input.owner, this.seal(id, input.value), new Date(Date.now() + input.ttlMs)],
    );
    return id;
  }

  /** Reads a secret without erasing it (an activity retrying must find it again), or null when gone or expired. */
  async peek(em: EntityManager, id: string): Promise<string | null> {
    const [row] = await em.getConnection().execute<{ sealed: Buffer }[]>(
      'select sealed from secrets where id = ? and read_at is null and expires_at > now()',
      [id],
    );
    return row ? this.open(id, row.sealed) : null;
  }

  /** Reads a secret once: the row is erased in the same statement, so a second read finds nothing. */
  async take(em: EntityManager, id: string): Promise<string | null> {
    const rows = await em.getConnection().execute<{ sealed: Buffer }[]>(
      `update secrets s set read_at = now(), sealed = '\\x'::bytea from (select sealed from secrets where id = ? for update) old
       where s.id = ? and s.read_at is null and s.expires_at > now() returning old.sealed`,
      [id, id],
    );
    return rows[0] ? this.open(id, rows[0].sealed) : null;
  }

  async erase(em: EntityManager, ids: string[]): Promise<void> {
    if (ids.length) await em.getConnection().execute(`update secrets set sealed = '\\x'::bytea, read_at = coalesce(read_at, now()) where id in (${ids.map(() => '?').join(', ')})`, ids);
  }
}
