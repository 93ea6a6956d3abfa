import { activities, STEP } from './activity-options';

const acts = activities({ ...STEP, retry: { ...STEP.retry, maximumAttempts: 10 } });

/** Dashboards: an operator resends a mail from the outbox; retried like any other mail. */
export async function mailResendWorkflow(input: { mailId: string }): Promise<void> {
  await acts.resendOutboxMail(input);
}
