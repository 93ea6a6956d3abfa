import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { openOrm, type MikroORM } from '../../db/orm';

export const TEMPLATE_DB = process.env.OBIEG_TEST_TEMPLATE_DB ?? 'obieg_test_template';

export function adminUrl(base: string): string {
  const u = new URL(base);
  u.pathname = '/postgres';
  return u.toString();
}

export interface TestDb {
  url: string;
  orm: MikroORM;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: PgClient) => Promise<T>): Promise<T> {
  const c = new PgClient({ connectionString: adminUrl(process.env.TEST_DATABASE_URL!) });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh database per test file, cloned from the migrated template (milliseconds, not seconds). */
export async function createTestDb(opts: { empty?: boolean } = {}): Promise<TestDb> {
  const name = `obieg_t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(opts.empty ? `create database ${name}` : `create database ${name} template ${TEMPLATE_DB}`));
  const u = new URL(process.env.TEST_DATABASE_URL!);
  u.pathname = `/${name}`;
  const url = u.toString();
  const orm = await openOrm(url, 5);
  return {
    url,
    orm,
    async drop() {
      await orm.close();
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
