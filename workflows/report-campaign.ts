import {
  ParentClosePolicy,
  setHandler,
  startChild,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, defineSearchAttributeKey } from '@temporalio/common';
import { activities, STARTER } from './activity-options';
import {
  getReportCampaignProgress,
  reportCampaignWorkflowId,
  reportWorkflowId,
  type ReportCampaignInput,
  type ReportCampaignView,
  type ScheduledReportCampaignInput,
} from './messages';
import { lastEndedPeriod } from './rules/reporting-calendar';

const starter = activities(STARTER);

/** Set by the server on a workflow started by a schedule: the time the action was due. */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', 'DATETIME');

/**
 * Opens a campaign: one report workflow per unit (all 2,477 gminas must work). The API only starts this
 * workflow, so the HTTP call returns at once; here an activity starts the reports with the client, a
 * chunk at a time with bounded concurrency. Measured (scripts/bench-survey.ts) child workflows started
 * from this workflow were 13× slower than client starts, so the reports are independent workflows.
 *
 * Started by a form's Temporal Schedule (report-form-<code>), it first works out the period that has
 * just ended from the scheduled time, opens the campaign in the read model and hands it to a campaign
 * workflow of the campaign's own id, which is never started twice: a second run for the same period
 * (a retry, a manual trigger) opens nothing.
 */
export async function reportCampaignWorkflow(input: ReportCampaignInput | ScheduledReportCampaignInput): Promise<ReportCampaignView> {
  if ('scheduledForm' in input) return openScheduled(input);
  const progress: ReportCampaignView = { total: input.units.length, started: 0, alreadyRunning: 0 };
  setHandler(getReportCampaignProgress, () => ({ ...progress }));
  const taskQueue = input.caseTaskQueue ?? workflowInfo().taskQueue;
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

async function openScheduled({ scheduledForm }: ScheduledReportCampaignInput): Promise<ReportCampaignView> {
  const info = workflowInfo();
  const at = info.typedSearchAttributes.get(SCHEDULED_START)?.getTime() ?? Date.now();
  const period = lastEndedPeriod(scheduledForm.period, at);
  const view: ReportCampaignView = { total: 0, started: 0, alreadyRunning: 0, period, alreadyOpened: false };
  setHandler(getReportCampaignProgress, () => ({ ...view }));
  const campaign = await starter.prepareScheduledCampaign({ formCode: scheduledForm.formCode, period, policy: scheduledForm.policy, openedBy: `schedule:${info.workflowId}` });
  if (!campaign) return { ...view, alreadyOpened: true };
  view.total = campaign.units.length;
  try {
    await startChild(reportCampaignWorkflow, {
      workflowId: reportCampaignWorkflowId(campaign.campaignId),
      args: [campaign],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { ...view, alreadyOpened: true };
  }
  return view;
}
