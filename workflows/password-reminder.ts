import { condition, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { PASSWORD_REMINDER_LINK_MINUTES, passwordReminderLinkOpened } from './messages';
import { activities, STEP } from './activity-options';

const acts = activities({ ...STEP, retry: { ...STEP.retry, maximumInterval: '1 minute', maximumAttempts: 20 } });

/**
 * seed 000 "Przypomnienie hasła". The reminder changes nothing by itself: it mails a single-use link,
 * valid for an hour; only when the owner opens it is a new temporary password generated and mailed, so
 * a stranger asking for reminders cannot lock anyone out or stop their API tokens.
 */
export async function passwordReminderWorkflow(input: { accountId: string; requestId: string }): Promise<void> {
  // Reminders recorded before the link (issue 14) replaced the password at once.
  if (!patched('password-reminder-link')) {
    await acts.issueTemporaryPassword({ accountId: input.accountId, key: `password-reminder:${input.requestId}` });
    return;
  }
  let opened = false;
  setHandler(passwordReminderLinkOpened, () => {
    opened = true;
  });
  await acts.mailPasswordReminderLink({ accountId: input.accountId, workflowId: workflowInfo().workflowId, key: `password-reminder-link:${input.requestId}` });
  // The link's validity is counted by the database from the mail; the workflow waits a little longer.
  if (await condition(() => opened, `${PASSWORD_REMINDER_LINK_MINUTES + 5} minutes`)) {
    await acts.issueTemporaryPassword({ accountId: input.accountId, key: `password-reminder:${input.requestId}` });
  }
}
