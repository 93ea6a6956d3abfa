import { Client as PgClient } from 'pg';
import { adminUrl, TEMPLATE_DB } from './db';

// Drops this run's template database and any per-file database a crashed test left behind.
export default async function globalTeardown(): Promise<void> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return;
  const admin = new PgClient({ connectionString: adminUrl(base) });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
  } finally {
    await admin.end();
  }
}
