import { proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { getReportCampaignProgress, reportWorkflowId, type ReportCampaignInput, type ReportCampaignView } from './messages';

const starter = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/**
 * Opens a campaign: one report workflow per unit (all 2,477 gminas must work). The API only starts this
 * workflow, so the HTTP call returns at once; here an activity starts the reports with the client, a
 * chunk at a time with bounded concurrency. Measured (scripts/bench-survey.ts) child workflows started
 * from this workflow were 13× slower than client starts, so the reports are independent workflows.
 */
export async function reportCampaignWorkflow(input: ReportCampaignInput): Promise<ReportCampaignView> {
  const progress: ReportCampaignView = { total: input.units.length, started: 0, alreadyRunning: 0 };
  setHandler(getReportCampaignProgress, () => ({ ...progress }));
  const { taskQueue } = workflowInfo();
  const chunk = Math.max(1, input.batchSize) * 5;
  for (let i = 0; i < input.units.length; i += chunk) {
    const reports = input.units.slice(i, i + chunk).map((u) => ({
      ...input.base,
      reportId: reportWorkflowId(input.base.formCode, input.base.period, u.unitCode),
      unitCode: u.unitCode,
      unitName: u.unitName,
      voivodeship: u.voivodeship,
    }));
    progress.started += await starter.startReportWorkflows({ reports, taskQueue, concurrency: input.batchSize });
  }
  return progress;
}
