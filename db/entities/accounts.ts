import { EntitySchema } from '@mikro-orm/core';
import type { Role } from '../../domain/roles';
import { TimestampedSchema, type Timestamped, createdAt } from './base';

export type { Role };

// Accounts and how they act: role assignments (domain/roles.ts), browser sessions, personal API tokens.

export interface Account extends Timestamped {
  id: string;
  login: string;
  email: string;
  firstName: string;
  lastName: string;
  passwordHash?: string | null;
  mustChangePassword: boolean;
  passwordChangedAt?: Date | null;
  status: 'active' | 'disabled' | 'merged';
  failedLogins: number;
  lockedUntil?: Date | null;
  /** Set when this account was merged into another (identity merge); it can no longer sign in. */
  mergedInto?: string | null;
}

export const AccountSchema = new EntitySchema<Account, Timestamped>({
  name: 'Account',
  extends: TimestampedSchema,
  tableName: 'accounts',
  properties: {
    id: { type: 'uuid', primary: true },
    login: { type: 'string', length: 100, unique: true },
    email: { type: 'string', length: 254 },
    firstName: { type: 'string', length: 100 },
    lastName: { type: 'string', length: 100 },
    passwordHash: { type: 'text', nullable: true, lazy: true },
    mustChangePassword: { type: 'boolean', default: true },
    passwordChangedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    status: { type: 'string', length: 16, default: 'active' },
    failedLogins: { type: 'integer', default: 0 },
    lockedUntil: { type: 'Date', columnType: 'timestamptz', nullable: true },
    mergedInto: { type: 'uuid', nullable: true },
  },
});

/** A signed-in browser session; only a SHA-256 of the cookie value is kept. */
export interface Session {
  id: string;
  accountId: string;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  endedAt?: Date | null;
  endReason?: string | null;
}

export const SessionSchema = new EntitySchema<Session>({
  name: 'Session',
  tableName: 'sessions',
  indexes: [{ properties: ['endedAt', 'lastSeenAt'] }],
  properties: {
    id: { type: 'string', length: 64, primary: true },
    accountId: { type: 'uuid', index: true },
    csrfToken: { type: 'string', length: 64 },
    createdAt: createdAt(),
    lastSeenAt: { type: 'Date', columnType: 'timestamptz' },
    endedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    endReason: { type: 'string', length: 32, nullable: true },
  },
});

/** One role held by one account in one scope: a voivodeship, a unit (and for staff, a reporting area). */
export interface RoleAssignment {
  id: string;
  accountId: string;
  role: Role;
  voivodeship?: string | null;
  unitCode?: string | null;
  area?: string | null;
  createdAt: Date;
}

export const RoleAssignmentSchema = new EntitySchema<RoleAssignment>({
  name: 'RoleAssignment',
  tableName: 'role_assignments',
  uniques: [{ properties: ['accountId', 'role', 'voivodeship', 'unitCode', 'area'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    accountId: { type: 'uuid', index: true },
    role: { type: 'string', length: 32 },
    voivodeship: { type: 'string', length: 2, nullable: true },
    unitCode: { type: 'string', length: 7, nullable: true },
    area: { type: 'string', length: 16, nullable: true },
    createdAt: createdAt(),
  },
});

/** Personal API tokens for programs; only a SHA-256 of the token is kept. */
export interface ApiToken {
  id: string;
  accountId: string;
  name: string;
  tokenHash: string;
  createdAt: Date;
  revokedAt?: Date | null;
  lastUsedAt?: Date | null;
}

export const ApiTokenSchema = new EntitySchema<ApiToken>({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: {
    id: { type: 'uuid', primary: true },
    accountId: { type: 'uuid', index: true },
    name: { type: 'string', length: 100 },
    tokenHash: { type: 'string', length: 64, unique: true },
    createdAt: createdAt(),
    revokedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    lastUsedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});
