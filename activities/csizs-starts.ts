import { heartbeat } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { campaignPlanAndCalendar, campaignUnitsSlice } from '../db/queries/csizs';
import { bounded } from '../lib/bounded';
import { startWorkflow } from '../lib/workflow-types';
import { caseSearchAttributes, csizsConnectionWorkflowId, type CsizsConnectionInput } from '../workflows/messages';

export interface CsizsStartDeps {
  orm: MikroORM;
  temporal?: Client;
}

/**
 * seed 004: the campaign's connection workflows are started by the client from an activity, not as
 * children of the starter workflow: a parent's child starts are serialised on its own history, and client
 * starts measured several times faster (scripts/bench-csizs.ts, scripts/bench-survey.ts).
 */
export function createCsizsStartActivities({ orm, temporal }: CsizsStartDeps) {
  return {
    /**
     * Starts the next `limit` participants (of one voivodeship, or all: code order, from `offset`), at most
     * `concurrency` at once, and returns how many it took. A retry or a rerun repeats the same slice: a
     * connection already started is left as it is, so nothing doubles.
     */
    async startCsizsConnections(input: { campaignId: string; voivodeship: string | null; offset: number; limit: number; taskQueue: string; concurrency: number }): Promise<number> {
      if (!temporal) throw ApplicationFailure.nonRetryable('The worker was started without a Temporal client', 'NO_TEMPORAL_CLIENT');
      const conn = orm.em.fork().getConnection();
      const [campaign] = await campaignPlanAndCalendar(conn, input.campaignId);
      if (!campaign) throw ApplicationFailure.nonRetryable(`no campaign ${input.campaignId}`, 'CSIZS_CAMPAIGN_NOT_FOUND');
      const units = await campaignUnitsSlice(conn, { campaignId: input.campaignId, voivodeship: input.voivodeship, offset: input.offset, limit: input.limit });
      let done = 0;
      await bounded(units, input.concurrency, async (u) => {
        const args: CsizsConnectionInput = { campaignId: input.campaignId, unitCode: u.unit_code, voivodeship: u.voivodeship, vendors: campaign.calendar.vendors, plan: campaign.plan };
        try {
          await startWorkflow(temporal, 'csizsConnectionWorkflow', {
            workflowId: csizsConnectionWorkflowId(input.campaignId, u.unit_code),
            taskQueue: input.taskQueue,
            args: [args],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            typedSearchAttributes: caseSearchAttributes({ caseType: 'csizs', unitCode: u.unit_code, voivodeship: u.voivodeship }),
          });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
        if (++done % 25 === 0) heartbeat(done);
      });
      return units.length;
    },
  };
}
