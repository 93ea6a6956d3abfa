import { continueAsNew, workflowInfo } from '@temporalio/workflow';
import { activities, STARTER, STEP } from './activity-options';
import type { CsizsCampaignInput } from './messages';

const acts = activities({ ...STEP, retry: { ...STEP.retry, maximumInterval: '1 minute' } });
const starter = activities(STARTER);

/** Units per starter activity (progress is written after each), and activities per run before continuing as new. */
const CHUNK = 250;
const CHUNKS_PER_RUN = 20;

/**
 * seed 004: the ministry brings all units through the procedure at once. Starting 2,477 connections
 * takes longer than an HTTP request may, so this starter has an activity start them a chunk at a time
 * with the client (as many in flight as a direct client start would use), and reports progress in the
 * read model after each chunk. Measured: one starter for the campaign is faster than one per voivodeship,
 * whose small shards finish early and leave the large ones with few starts in flight.
 * A connection already started (a rerun, a retry) is skipped: the start is idempotent.
 */
export async function csizsCampaignWorkflow(input: CsizsCampaignInput): Promise<{ started: number }> {
  const taskQueue = input.caseTaskQueue ?? workflowInfo().taskQueue;
  let offset = input.offset;
  for (let chunk = 0; chunk < CHUNKS_PER_RUN; chunk++) {
    const taken = await starter.startCsizsConnections({ campaignId: input.campaignId, voivodeship: input.voivodeship, offset, limit: CHUNK, taskQueue, concurrency: input.batchSize });
    offset += taken;
    await acts.csizsCampaignProgress({ campaignId: input.campaignId, voivodeship: input.voivodeship, started: offset });
    if (taken < CHUNK) return { started: offset };
  }
  return continueAsNew<typeof csizsCampaignWorkflow>({ ...input, offset });
}
