import { condition, continueAsNew, setHandler } from '@temporalio/workflow';
import { activities, STEP } from './activity-options';
import { getPasswordExpiry, passwordChanged, type PasswordExpiryInput, type PasswordExpiryView } from './messages';
import { passwordExpiryPlan } from './rules/accounts';

const acts = activities({ ...STEP, retry: { ...STEP.retry, maximumInterval: '10 minutes' } });

/**
 * seeds 001/004: a password is changed every 30 days. Lives as long as the account; each cycle ends in
 * continue-as-new, so its history stays a handful of events.
 */
export async function passwordExpiryWorkflow(input: PasswordExpiryInput): Promise<void> {
  const changedAt = Date.parse(input.changedAt);
  const plan = passwordExpiryPlan(changedAt, input.policy.maxAgeDays, input.policy.reminderDaysBefore);
  const state: PasswordExpiryView = { changedAt: input.changedAt, expiresAt: new Date(plan.expiresAt).toISOString(), remindersSent: 0, forced: false };
  let next: string | null = null;
  setHandler(passwordChanged, ({ changedAt: at }) => {
    if (Date.parse(at) > changedAt) next = at;
  });
  setHandler(getPasswordExpiry, () => state);

  const cycle = `password-expiry-${input.accountId}-${changedAt}`;
  for (const r of plan.reminders) {
    if (r.at <= Date.now()) continue;
    if (await condition(() => next !== null, r.at - Date.now())) break;
    await acts.sendAccountMail({
      accountId: input.accountId,
      key: `${cycle}:reminder-${r.daysLeft}`,
      template: 'password-expiry-reminder',
      vars: { daysLeft: r.daysLeft, expiresAt: state.expiresAt },
    });
    state.remindersSent++;
  }
  if (next === null && !(await condition(() => next !== null, Math.max(0, plan.expiresAt - Date.now())))) {
    state.forced = await acts.forcePasswordChange({ accountId: input.accountId, changedAt: input.changedAt });
    if (state.forced) await acts.sendAccountMail({ accountId: input.accountId, key: `${cycle}:expired`, template: 'password-expired' });
    await condition(() => next !== null);
  }
  await continueAsNew<typeof passwordExpiryWorkflow>({ ...input, changedAt: next! });
}
