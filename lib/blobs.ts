import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** Content-addressed: storing the same bytes twice writes one row. Returns the SHA-256. */
export async function putBlob(em: EntityManager, content: Buffer): Promise<string> {
  const hash = sha256(content);
  await em.execute(
    'insert into blobs (sha256, content, size, created_at) values (?, ?, ?, now()) on conflict (sha256) do nothing',
    [hash, content, content.length],
  );
  return hash;
}

export async function getBlob(em: EntityManager, hash: string): Promise<Buffer | null> {
  const rows = await em.getConnection().execute<{ content: Buffer }[]>('select content from blobs where sha256 = ?', [hash]);
  return rows[0]?.content ?? null;
}
