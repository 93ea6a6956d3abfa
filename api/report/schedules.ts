import { MONTHS, ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleSpec } from '@temporalio/client';
import { SA, reportFormScheduleId, type ScheduledReportCampaignInput } from '../../workflows/messages';
import { scheduledStart } from '../../lib/workflow-types';
import { WARSAW, isScheduledPeriod, openingMonths, type ReportPolicy, type ScheduledPeriodKind } from '../../workflows/rules/reporting-calendar';

// One Temporal Schedule per periodic report form (not a cron in the API process): on the first day of
// each period, 06:00 in Warsaw, it starts the campaign workflow for the period that has just ended.

/** 06:00 Warsaw on the 1st of each opening month: the first working hours after the period ends. */
export const OPENING_HOUR = 6;

export function formScheduleSpec(code: string, kind: ScheduledPeriodKind): ScheduleSpec {
  return {
    calendars: [
      {
        comment: `Otwarcie sprawozdania ${code} (${kind})`,
        month: kind === 'monthly' ? '*' : openingMonths(kind).map((m) => MONTHS[m - 1]),
        dayOfMonth: 1,
        hour: OPENING_HOUR,
        minute: 0,
      },
    ],
    timezone: WARSAW,
  };
}

/**
 * Creates, updates, pauses or deletes the form's schedule to match the form. Returns the schedule id,
 * or null for a one-off form (which has none: its survey is opened by hand).
 */
export async function syncFormSchedule(
  temporal: Client,
  taskQueue: string,
  form: { code: string; period: string; active: boolean },
  policy: ReportPolicy,
): Promise<string | null> {
  const scheduleId = reportFormScheduleId(form.code);
  const handle = temporal.schedule.getHandle(scheduleId);
  if (!isScheduledPeriod(form.period)) {
    await handle.delete().catch((err) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
    return null;
  }
  const spec = formScheduleSpec(form.code, form.period);
  const args: [ScheduledReportCampaignInput] = [{ scheduledForm: { formCode: form.code, period: form.period, policy } }];
  const action = scheduledStart('reportCampaignWorkflow', {
    workflowId: `${scheduleId}-run`,
    taskQueue,
    args,
    typedSearchAttributes: [{ key: SA.caseType, value: 'report-campaign' }],
  });
  const note = form.active ? 'Formularz aktywny' : 'Formularz wyłączony: kampanie nie otwierają się same';
  try {
    await temporal.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: 'SKIP', catchupWindow: '1 day' },
      state: { paused: !form.active, note },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await handle.update((prev) => ({ spec, action, policies: prev.policies, state: { paused: !form.active, note } }));
  }
  return scheduleId;
}
