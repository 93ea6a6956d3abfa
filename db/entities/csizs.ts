import { EntitySchema } from '@mikro-orm/core';
import { createdAt } from './base';

// The CSIZS connection campaign (seed 004): the campaign, each unit's connection state, phone checkpoints.

export interface CsizsCampaign {
  id: string;
  name: string;
  area: string;
  /** The calendar as written (local Warsaw dates) and resolved to instants. */
  calendar: Record<string, unknown>;
  plan: Record<string, unknown>;
  status: 'created' | 'starting' | 'started';
  totalUnits: number;
  startedUnits: number;
  /** Started units per voivodeship shard. */
  shardProgress: Record<string, number>;
  createdAt: Date;
  startedAt?: Date | null;
}

export const CsizsCampaignSchema = new EntitySchema<CsizsCampaign>({
  name: 'CsizsCampaign',
  tableName: 'csizs_campaigns',
  properties: {
    id: { type: 'string', length: 80, primary: true },
    name: { type: 'string', length: 200 },
    area: { type: 'string', length: 16 },
    calendar: { type: 'json' },
    plan: { type: 'json' },
    status: { type: 'string', length: 16 },
    totalUnits: { type: 'integer', default: 0 },
    startedUnits: { type: 'integer', default: 0 },
    shardProgress: { type: 'json' },
    createdAt: createdAt(),
    startedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});

/** One unit's connection state, projected by its workflow: never a password or certificate. */
export interface CsizsUnit {
  campaignId: string;
  unitCode: string;
  voivodeship: string;
  workflowId: string;
  vendor?: string | null;
  currentStep?: string | null;
  lateStep?: string | null;
  completed: Record<string, { at: string; by: string }>;
  connected: boolean;
  escalatedAt?: Date | null;
  escalationReason?: string | null;
  escalationBy?: string | null;
  packagePasswordHandedOverAt?: Date | null;
  notificationStatus?: string | null;
  notificationDocumentId?: string | null;
  notificationScanId?: string | null;
  notificationReason?: string | null;
  localAdminAccountId?: string | null;
  packageDocumentId?: string | null;
  packageSentAt?: Date | null;
  passwordChangedAt?: Date | null;
  updatedAt: Date;
}

export const CsizsUnitSchema = new EntitySchema<CsizsUnit>({
  name: 'CsizsUnit',
  tableName: 'csizs_units',
  properties: {
    campaignId: { type: 'string', length: 80, primary: true },
    unitCode: { type: 'string', length: 7, primary: true },
    voivodeship: { type: 'string', length: 2, index: true },
    workflowId: { type: 'string', length: 200 },
    vendor: { type: 'string', length: 100, nullable: true },
    currentStep: { type: 'string', length: 40, nullable: true },
    lateStep: { type: 'string', length: 40, nullable: true },
    completed: { type: 'json' },
    connected: { type: 'boolean', default: false },
    escalatedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    escalationReason: { type: 'text', nullable: true },
    escalationBy: { type: 'string', length: 120, nullable: true },
    packagePasswordHandedOverAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    notificationStatus: { type: 'string', length: 20, nullable: true },
    notificationDocumentId: { type: 'string', length: 250, nullable: true },
    notificationScanId: { type: 'string', length: 250, nullable: true },
    notificationReason: { type: 'text', nullable: true },
    localAdminAccountId: { type: 'string', length: 36, nullable: true, index: true },
    packageDocumentId: { type: 'string', length: 250, nullable: true },
    packageSentAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    passwordChangedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});

/** A unit on a checkpoint's call list; status is the checkpoint's result so far. */
export interface CsizsCheckpointEntry {
  campaignId: string;
  unitCode: string;
  checkpoint: string;
  status: 'open' | 'confirmed' | 'not_confirmed' | 'unreachable';
  openedAt: Date;
  resolvedAt?: Date | null;
}

export const CsizsCheckpointSchema = new EntitySchema<CsizsCheckpointEntry>({
  name: 'CsizsCheckpoint',
  tableName: 'csizs_checkpoints',
  properties: {
    campaignId: { type: 'string', length: 80, primary: true },
    unitCode: { type: 'string', length: 7, primary: true },
    checkpoint: { type: 'string', length: 20, primary: true },
    status: { type: 'string', length: 16 },
    openedAt: { type: 'Date', columnType: 'timestamptz' },
    resolvedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});

/** Every phone call of a checkpoint: outcome, reason, who called and when. */
export interface CsizsCall {
  id: string;
  campaignId: string;
  unitCode: string;
  checkpoint: string;
  outcome: 'confirmed' | 'not_confirmed' | 'no_answer';
  reason?: string | null;
  calledBy: string;
  calledAt: Date;
}

export const CsizsCallSchema = new EntitySchema<CsizsCall>({
  name: 'CsizsCall',
  tableName: 'csizs_calls',
  properties: {
    id: { type: 'string', length: 200, primary: true },
    campaignId: { type: 'string', length: 80 },
    unitCode: { type: 'string', length: 7 },
    checkpoint: { type: 'string', length: 20 },
    outcome: { type: 'string', length: 16 },
    reason: { type: 'text', nullable: true },
    calledBy: { type: 'string', length: 120 },
    calledAt: { type: 'Date', columnType: 'timestamptz' },
  },
});
