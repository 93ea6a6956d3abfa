import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const acts = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '5 minutes', maximumAttempts: 10 } });

/** Dashboards: an operator resends a mail from the outbox; retried like any other mail. */
export async function mailResendWorkflow(input: { mailId: string }): Promise<void> {
  await acts.resendOutboxMail(input);
}
