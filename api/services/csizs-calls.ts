import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import { csizsConnectionWorkflowId, recordCsizsCall } from '../../workflows/messages';
import type { CsizsCheckpoint } from '../../workflows/rules/csizs-campaign';
import { canOnCsizs, forbid, type Principal } from '../access';
import { HttpError } from '../errors';
import { mapWorkflowError } from '../temporal-errors';

export interface CsizsCallInput {
  checkpoint: CsizsCheckpoint;
  outcome: 'confirmed' | 'not_confirmed' | 'no_answer';
  reason?: string;
}

/**
 * seed 004: ministry staff record a checkpoint call's outcome (who called is the signed-in person); the
 * unit's workflow refuses a call outside its checkpoint window. For the API and the campaign page alike.
 */
export async function recordCall(deps: { orm: MikroORM; temporal: Client }, p: Principal, campaignId: string, unitCode: string, call: CsizsCallInput) {
  if (!canOnCsizs(p, 'phone')) forbid();
  const [row] = await deps.orm.em.fork().getConnection().execute<{ voivodeship: string }[]>('select voivodeship from csizs_units where campaign_id = ? and unit_code = ?', [campaignId, unitCode]);
  if (!row) throw new HttpError(404, 'CSIZS_UNIT_NOT_IN_CAMPAIGN', `Jednostka ${unitCode} nie uczestniczy w kampanii ${campaignId}`);
  return deps.temporal.workflow
    .getHandle(csizsConnectionWorkflowId(campaignId, unitCode))
    .executeUpdate(recordCsizsCall, { args: [{ ...call, calledBy: p.login }] })
    .catch(mapWorkflowError);
}
