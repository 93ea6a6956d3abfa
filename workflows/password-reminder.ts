import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const acts = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute', maximumAttempts: 20 } });

/** seed 000: a forgotten password is replaced by a generated one, mailed to the registered address. */
export async function passwordReminderWorkflow(input: { accountId: string; requestId: string }): Promise<void> {
  await acts.issueTemporaryPassword({ accountId: input.accountId, key: `password-reminder:${input.requestId}` });
}
