import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities';
import { migrationsList } from './migrations';
import { attachReadPool, closeReadPool } from './sql';

// One ORM configuration for the API, the worker, the CLI and the tests.
export function ormOptions(databaseUrl: string, poolMax = 10): Options {
  return defineConfig({
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    pool: { min: 0, max: poolMax },
    discovery: { warnWhenNoEntities: true },
    allowGlobalContext: false,
    debug: false,
    migrations: {
      tableName: 'mikro_orm_migrations',
      migrationsList,
      path: 'db/migrations',
      pathTs: 'db/migrations',
      transactional: true,
      allOrNothing: true,
      silent: true,
      // No schema snapshot: new migrations are diffed against a database migrated to the latest one,
      // so parallel branches never conflict over a snapshot file.
      snapshot: false,
      emit: 'ts',
    },
  });
}

/**
 * The ORM with its read pool for prepared reads (db/sql.ts), of the same size; `orm.close()` closes
 * both, so every place that closes the ORM on shutdown closes the pool too.
 */
export async function openOrm(databaseUrl: string, poolMax = 10): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(databaseUrl, poolMax));
  attachReadPool(orm, poolMax);
  const closeOrm = orm.close.bind(orm);
  orm.close = async (force?: boolean) => {
    try {
      await closeOrm(force);
    } finally {
      await closeReadPool(orm);
    }
  };
  return orm;
}

export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  const pending = await orm.getMigrator().getPendingMigrations();
  return pending.map((m) => m.name);
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const done = await orm.getMigrator().up();
  return done.map((m) => m.name);
}

export type { MikroORM };
