import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { answerCsizsClarification, csizsConnectionWorkflowId, recordCsizsCall, recordCsizsPasswordHandover } from '../../workflows/messages';
import type { CsizsCheckpoint } from '../../workflows/rules/csizs-campaign';
import { canOnCsizs, forbid, type Principal } from '../access';
import { HttpError } from '../errors';
import { mapWorkflowError } from '../temporal-errors';

// Steps of a unit's CSIZS connection that a person records, for the API and the pages alike: the same
// access rule, the same workflow update, the same refusals.

interface Deps {
  orm: MikroORM;
  temporal: Client;
}

export interface CsizsUnitRef {
  campaignId: string;
  unitCode: string;
  voivodeship: string;
}

/** A unit taking part in a campaign, or 404. */
export async function csizsUnit(orm: MikroORM, campaignId: string, unitCode: string): Promise<CsizsUnitRef> {
  const [row] = await orm.em.fork().getConnection().execute<{ voivodeship: string }[]>('select voivodeship from csizs_units where campaign_id = ? and unit_code = ?', [campaignId, unitCode]);
  if (!row) throw new HttpError(404, 'CSIZS_UNIT_NOT_IN_CAMPAIGN', `Jednostka ${unitCode} nie uczestniczy w kampanii ${campaignId}`);
  return { campaignId, unitCode, voivodeship: row.voivodeship };
}

/** The unit whose connection workflow a task belongs to (a CSIZS task's case is that workflow). */
export async function csizsUnitOfWorkflow(orm: MikroORM, workflowId: string): Promise<CsizsUnitRef | null> {
  const [row] = await orm.em
    .fork()
    .getConnection()
    .execute<{ campaign_id: string; unit_code: string; voivodeship: string }[]>('select campaign_id, unit_code, voivodeship from csizs_units where workflow_id = ?', [workflowId]);
  return row ? { campaignId: row.campaign_id, unitCode: row.unit_code, voivodeship: row.voivodeship } : null;
}

/** Sends one unit's connection workflow an update; its validator's refusals become 4xx answers. */
export function updateCsizsUnit<R, A>(temporal: Client, unit: { campaignId: string; unitCode: string }, update: UpdateDefinition<R, [A], string>, arg: A): Promise<R> {
  return temporal.workflow.getHandle(csizsConnectionWorkflowId(unit.campaignId, unit.unitCode)).executeUpdate(update, { args: [arg] }).catch(mapWorkflowError);
}

export interface CsizsCallInput {
  checkpoint: CsizsCheckpoint;
  outcome: 'confirmed' | 'not_confirmed' | 'no_answer';
  reason?: string;
}

/**
 * seed 004: ministry staff record a checkpoint call's outcome (who called is the signed-in person); the
 * unit's workflow refuses a call outside its checkpoint window.
 */
export async function recordCall(deps: Deps, p: Principal, campaignId: string, unitCode: string, call: CsizsCallInput) {
  if (!canOnCsizs(p, 'phone')) forbid();
  const unit = await csizsUnit(deps.orm, campaignId, unitCode);
  return updateCsizsUnit(deps.temporal, unit, recordCsizsCall, { ...call, calledBy: p.login });
}

/** seed 004 pkt 2: the unit's head answers the voivodeship's question; the notification goes back for a decision. */
export async function answerClarification(deps: Deps, p: Principal, unit: CsizsUnitRef, answer: string) {
  if (!canOnCsizs(p, 'unit-head', unit)) forbid();
  return updateCsizsUnit(deps.temporal, unit, answerCsizsClarification, { answer, by: p.login });
}

/** seed 004 Uwaga 2: the voivodeship administrator read the package password out over the phone, at this time. */
export async function recordPasswordHandover(deps: Deps, p: Principal, unit: CsizsUnitRef, handedOverAt: Date) {
  if (!canOnCsizs(p, 'voivodeship-step', unit)) forbid();
  return updateCsizsUnit(deps.temporal, unit, recordCsizsPasswordHandover, { handedOverAt: handedOverAt.toISOString(), by: p.login });
}
