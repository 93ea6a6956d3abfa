import { activities, STEP } from './activity-options';

const acts = activities({ ...STEP, retry: { ...STEP.retry, maximumInterval: '1 minute', maximumAttempts: 20 } });

/** seed 000: a forgotten password is replaced by a generated one, mailed to the registered address. */
export async function passwordReminderWorkflow(input: { accountId: string; requestId: string }): Promise<void> {
  await acts.issueTemporaryPassword({ accountId: input.accountId, key: `password-reminder:${input.requestId}` });
}
