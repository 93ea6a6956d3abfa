import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client as PgClient } from 'pg';
import { migrate, openOrm } from '../../../db/orm';
import { importTerc } from '../../../db/reference';
import type { TestDb } from '../../support/db';
import { freePort } from './processes';

// A PostgreSQL cluster of one fault test's own (initdb in a temporary directory, on a free port): stopping it
// hurts no other test of the run, which share the run's cluster. As root, it runs as the postgres user (initdb
// refuses root), as scripts/lib.sh does.

const run = promisify(execFile);

function pgBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(a) - Number(b));
  if (versions.length === 0) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[versions.length - 1]}/bin`;
}

export interface OwnPostgres {
  port: number;
  /** A migrated database with TERC on this cluster, for startSystem({ db }); its drop() removes the whole cluster. */
  db: TestDb;
  /** Stops the server as an operator would (pg_ctl stop -m fast: sessions are ended). */
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = pgBin();
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'obieg-fault-pg-'));
  const data = join(dir, 'data');
  if (root) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) => (root ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args));
  const port = await freePort();
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  const start = async () => {
    await pg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`, 'start']);
  };
  const stop = async () => {
    await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  };
  const destroy = async () => {
    await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await start();
    const admin = new PgClient({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query('create database obieg');
    await admin.end();
    const url = `postgres://postgres@127.0.0.1:${port}/obieg`;
    const orm = await openOrm(url, 5);
    await migrate(orm);
    await importTerc(orm);
    const db: TestDb = {
      url,
      orm,
      async drop() {
        await orm.close();
        await destroy();
      },
    };
    return { port, db, stop, start };
  } catch (err) {
    await destroy();
    throw err;
  }
}
