import { EntitySchema } from '@mikro-orm/core';

// What the entities share. Columns stay as the migrations in db/migrations created them: a table has
// `updated_at` only where it had one, so most tables take `createdAt()` alone.

/** Base of the entities a user edits in place (accounts, cases, report forms). */
export interface Timestamped {
  createdAt: Date;
  updatedAt: Date;
}

export const TimestampedSchema = new EntitySchema<Timestamped>({
  name: 'Timestamped',
  abstract: true,
  properties: {
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

/** The creation instant, set by the ORM on insert. A fresh object per entity: discovery writes into it. */
export const createdAt = () => ({ type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() }) as const;
