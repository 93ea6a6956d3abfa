import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';

// Prepared reads on the project's own pg pool, through pg's public API only (`query({ name, text,
// values })`): the ORM's knex pool is not reached into. db/orm.ts opens one per ORM and closes it with
// the ORM.

/** Prepared statements kept per connection; the least recently used is deallocated past this. */
export const PREPARED_PER_CONNECTION = 100;

/** Per connection: statement text → its name there, least recently used first. */
const prepared = new WeakMap<PoolClient, Map<string, string>>();
/**
 * Names are never reused. pg remembers, per connection and privately, which names it has parsed; after
 * we deallocate one it would still skip parsing that name, so an evicted text comes back under a new
 * name. What pg remembers of old names is a few strings per eviction, gone with the connection (the pool
 * closes connections idle for 10 s).
 */
let lastName = 0;

/** The statement's name on this connection, the least recently used one deallocated if there are too many. */
async function statementName(client: PoolClient, text: string): Promise<string> {
  let byText = prepared.get(client);
  if (!byText) prepared.set(client, (byText = new Map()));
  const known = byText.get(text);
  if (known) {
    byText.delete(text);
    byText.set(text, known);
    return known;
  }
  if (byText.size >= PREPARED_PER_CONNECTION) {
    const [oldestText, oldest] = byText.entries().next().value!;
    byText.delete(oldestText);
    try {
      await client.query(`deallocate "${oldest}"`);
    } catch (e) {
      // 26000: never prepared (its first run failed to parse); nothing to free.
      if ((e as { code?: string }).code !== '26000') throw e;
    }
  }
  const name = `obieg_${++lastName}`;
  byText.set(text, name);
  return name;
}

/** The read pool of each ORM opened by db/orm.ts, created on the first read. */
interface ReadPool {
  options: PoolConfig;
  pool?: Pool;
}
const readPools = new WeakMap<object, ReadPool>();

/**
 * Registers the read pool of an ORM: the ORM's own connection settings (the same URL, and its type
 * parsers, so a timestamp reads as the same string as through the ORM), at most `max` connections.
 */
export function attachReadPool(orm: MikroORM, max: number): void {
  // The ORM's options are pg's client options (a password is a string here: it comes from the URL).
  const options: PoolConfig = { ...(orm.em.getConnection().getConnectionOptions() as PoolConfig), max };
  readPools.set(orm.em.getDriver(), { options });
}

/** Closes the ORM's read pool if it was opened; db/orm.ts calls it from `orm.close()`. */
export async function closeReadPool(orm: MikroORM): Promise<void> {
  const entry = readPools.get(orm.em.getDriver());
  const pool = entry?.pool;
  if (entry) entry.pool = undefined;
  if (pool) await pool.end();
}

function readPoolOf(em: EntityManager): Pool {
  const entry = readPools.get(em.getDriver());
  if (!entry) throw new Error('readRows: the ORM was not opened by openOrm (db/orm.ts), so it has no read pool');
  if (!entry.pool) {
    const pool = new Pool(entry.options);
    // An idle connection ended by the server (PostgreSQL restarting, a database dropped) is only removed:
    // without a listener pg-pool's 'error' would end the process. The next read opens a new connection.
    pool.on('error', () => undefined);
    entry.pool = pool;
  }
  return entry.pool;
}

/**
 * One read-only statement on the read pool, as a prepared statement with its `?` placeholders sent as
 * bind parameters: for the reads behind every page (the session, the case list). The ORM would build
 * the text with the values in it, and PostgreSQL would plan it again on every request, which on this
 * machine took longer than running it. Not within a transaction of `em`; the SQL must have no `?` other
 * than placeholders.
 */
export async function readRows<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  let i = 0;
  const text = sql.replace(/\?/g, () => `$${++i}`);
  if (i !== params.length) throw new Error(`readRows: ${i} placeholders, ${params.length} values`);
  const client = await readPoolOf(em).connect();
  let broken: Error | undefined;
  try {
    const name = await statementName(client, text);
    return (await client.query({ name, text, values: params as unknown[] })).rows as T[];
  } catch (e) {
    // An error from the server leaves the connection usable; anything else (a lost socket) discards it.
    if (!(e as { code?: string }).code) broken = e as Error;
    throw e;
  } finally {
    client.release(broken);
  }
}
