import { continueAsNew, proxyActivities, startChild } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA, csizsConnectionWorkflowId, type CsizsCampaignInput } from './messages';
import { csizsConnectionWorkflow } from './csizs-connection';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Children started per run before continuing as new: keeps each history far below its limits. */
const PER_RUN = 500;

/**
 * seed 004: the ministry brings all units through the procedure at once. Starting 2,477 connections
 * takes longer than an HTTP request may, so starters (one per voivodeship: a parent's child starts are
 * serialised on its history, shards run in parallel) start them in batches and report progress in the
 * read model. A child already started (a rerun, a retry) is skipped: the start is idempotent.
 */
export async function csizsCampaignWorkflow(input: CsizsCampaignInput): Promise<{ started: number }> {
  const { plan, vendors } = await acts.loadCsizsCampaign({ campaignId: input.campaignId });
  let offset = input.offset;
  for (let inRun = 0; inRun < PER_RUN; ) {
    const batch = await acts.csizsCampaignBatch({ campaignId: input.campaignId, voivodeship: input.voivodeship, offset, limit: input.batchSize });
    if (batch.length === 0) {
      await acts.csizsCampaignProgress({ campaignId: input.campaignId, voivodeship: input.voivodeship, started: offset });
      return { started: offset };
    }
    await Promise.all(
      batch.map(async (u) => {
        try {
          await startChild(csizsConnectionWorkflow, {
            workflowId: csizsConnectionWorkflowId(input.campaignId, u.unitCode),
            args: [{ campaignId: input.campaignId, unitCode: u.unitCode, voivodeship: u.voivodeship, vendors, plan }],
            parentClosePolicy: 'ABANDON',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            typedSearchAttributes: [
              { key: SA.caseType, value: 'csizs' },
              { key: SA.unit, value: u.unitCode },
              { key: SA.voivodeship, value: u.voivodeship },
            ],
          });
        } catch (err) {
          if (!(err instanceof Error && err.name === 'WorkflowExecutionAlreadyStartedError')) throw err;
        }
      }),
    );
    offset += batch.length;
    inRun += batch.length;
    await acts.csizsCampaignProgress({ campaignId: input.campaignId, voivodeship: input.voivodeship, started: offset });
  }
  return continueAsNew<typeof csizsCampaignWorkflow>({ ...input, offset });
}
