import type { EntityManager } from '@mikro-orm/postgresql';

interface PgConnection {
  query(q: string | { text: string; values?: unknown[]; name?: string }): Promise<{ rows: unknown[] }>;
  connection: { parsedStatements: Record<string, string> };
}
interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(c: PgConnection): Promise<void>;
}

/** Prepared statements kept per connection; the least recently used is deallocated past this. */
export const PREPARED_PER_CONNECTION = 100;
const prepared = new WeakMap<PgConnection, Map<string, true>>();
/**
 * A name for each statement text this process has run lately; the same text has the same name on every
 * connection. Names are never reused: after the map is emptied (past NAMES_MAX texts, say a crawler
 * paging through every page) a text gets a new name, and its old statement ages out of the LRUs.
 */
const statementNames = new Map<string, string>();
const NAMES_MAX = 5000;
let lastName = 0;

/** The statement prepared on this connection, the oldest one deallocated if there are too many. */
async function prepare(conn: PgConnection, text: string): Promise<string> {
  let name = statementNames.get(text);
  if (!name) {
    if (statementNames.size >= NAMES_MAX) statementNames.clear();
    statementNames.set(text, (name = `obieg_${++lastName}`));
  }
  let names = prepared.get(conn);
  if (!names) prepared.set(conn, (names = new Map()));
  if (names.delete(name)) {
    names.set(name, true);
    return name;
  }
  if (names.size >= PREPARED_PER_CONNECTION) {
    const oldest = names.keys().next().value!;
    names.delete(oldest);
    if (conn.connection.parsedStatements[oldest] !== undefined) {
      await conn.query(`deallocate "${oldest}"`);
      delete conn.connection.parsedStatements[oldest];
    }
  }
  names.set(name, true);
  return name;
}

/**
 * One read-only statement straight on a connection of the ORM's pool, as a prepared statement with
 * its `?` placeholders sent as bind parameters: for the reads behind every page (the session, the case
 * list). The ORM would build the text with the values in it, and PostgreSQL would plan it again on
 * every request, which on this machine took longer than running it. Not within a transaction of `em`;
 * the SQL must have no `?` other than placeholders.
 */
export async function readRows<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  let i = 0;
  const text = sql.replace(/\?/g, () => `$${++i}`);
  if (i !== params.length) throw new Error(`readRows: ${i} placeholders, ${params.length} values`);
  const client = (em.getConnection().getKnex() as unknown as { client: KnexClient }).client;
  const conn = await client.acquireConnection();
  try {
    const name = await prepare(conn, text);
    return (await conn.query({ name, text, values: params as unknown[] })).rows as T[];
  } finally {
    await client.releaseConnection(conn);
  }
}
