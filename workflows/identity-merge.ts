import { ApplicationFailure, allHandlersFinished, condition, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { activities, STEP } from './activity-options';
import { caseStatusSetter } from './case-status';
import {
  IDENTITY_MERGE_APPROVAL_TASK_KIND,
  IDENTITY_MERGE_CLOSED,
  confirmIdentityMerge,
  decideIdentityMerge,
  getIdentityMergeStatus,
  type IdentityMergeConfirmation,
  type IdentityMergeDecision,
  type IdentityMergeInput,
  type IdentityMergeStatus,
  type IdentityMergeView,
} from './messages';
import { confirmationDeadline, confirmationRefusal, identityMergeWaitingFor, mergeDecisionRefusal, type MergeState } from './rules/identity-merge';
import { decisionCompletion, decisionKernel } from './decision';

const acts = activities(STEP);

/**
 * Identity merge (scalanie tożsamości kont): the requester's account survives; the other account
 * confirms by signing in as itself, an administrator approves, then one transaction moves the other's
 * roles and history to the survivor and closes the other account for good.
 */
export async function identityMergeWorkflow(input: IdentityMergeInput): Promise<IdentityMergeView> {
  const { caseId } = input;
  const runId = workflowInfo().runId;
  const key = (s: string) => `${caseId}:${runId}:${s}`;
  // Issue 12: the decision goes through the decision kernel, so the task is completed by the main flow
  // and the administrator's answer waits for the merge (before, the handler completed the task and
  // answered at once: a different place for the update's completion, which the replay of the recorded
  // histories refuses). Read once, here, before any decision can arrive; runs without the marker keep the
  // handler path.
  const useDecisionKernel = patched('identity-merge-decision-kernel');

  const state: MergeState & { deadline: number | null; confirmation: IdentityMergeConfirmation | null; decision: IdentityMergeDecision | null } = {
    status: 'awaiting_confirmation',
    otherAccountId: input.otherId,
    confirmed: false,
    openTaskId: null,
    decided: false,
    deadline: null,
    confirmation: null,
    decision: null,
  };
  let decisionRecorded = false;
  const view = (): IdentityMergeView => ({
    status: state.status,
    deadline: state.deadline === null ? null : new Date(state.deadline).toISOString(),
    confirmedBy: state.confirmation?.confirmedBy ?? null,
    openTaskId: state.openTaskId,
  });

  const setStatus = caseStatusSetter<IdentityMergeStatus>({ caseId, state, updateCase: acts.updateCase, waitingFor: identityMergeWaitingFor, closed: (s) => IDENTITY_MERGE_CLOSED.includes(s) });

  const mailBoth = async (name: string, template: string, message: string, vars?: Record<string, unknown>) => {
    for (const [who, accountId] of [['survivor', input.survivorId], ['other', input.otherId]] as const) {
      await acts.sendIdentityMergeMail({ key: key(`${name}:${who}`), caseId, accountId, template, vars, event: { type: 'mail_sent', message: `${message} (konto ${who === 'survivor' ? input.survivorLogin : input.otherLogin})` } });
    }
  };

  setHandler(getIdentityMergeStatus, view);

  // The handler only records the fact; the main flow writes it and opens the task, and the answer waits
  // for that, so the confirming account sees the case already waiting for approval.
  setHandler(
    confirmIdentityMerge,
    async (c) => {
      state.confirmation = c;
      state.confirmed = true;
      await condition(() => state.status !== 'awaiting_confirmation');
      return view();
    },
    {
      validator: (c) => {
        const refusal = confirmationRefusal(state, c);
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.type);
      },
    },
  );

  const decisionEvent = (decision: IdentityMergeDecision) => ({
    key: key('decision'),
    type: decision.decision === 'accept' ? 'merge_approved' : 'merge_rejected',
    actor: decision.decidedBy,
    message:
      decision.decision === 'accept'
        ? 'Administrator zatwierdził scalenie kont'
        : `Administrator odrzucił wniosek o scalenie kont. Powód: ${decision.reason}`,
  });
  const decisions = useDecisionKernel
    ? decisionKernel(decideIdentityMerge, {
        refusal: (d, decided) => mergeDecisionRefusal({ ...state, decided }, d),
        view,
        completeTask: acts.completeTask,
      })
    : null;
  // Before 'identity-merge-decision-kernel': the handler completes the task and answers with the decided
  // outcome; the merge follows in the main flow. Kept for runs without the marker; deprecatePatch and
  // then removal as in docs/evolving-workflows.md ("Applied once").
  if (!decisions) {
    setHandler(
      decideIdentityMerge,
      async (decision) => {
        state.decision = decision;
        state.decided = true;
        const taskId = state.openTaskId as string;
        state.openTaskId = null;
        await acts.completeTask({ ...decisionCompletion(taskId, decision), event: decisionEvent(decision) });
        decisionRecorded = true;
        // The answer gives the decided outcome; the merge itself follows at once.
        state.status = decision.decision === 'accept' ? 'merged' : 'rejected';
        return view();
      },
      {
        validator: (d) => {
          const refusal = mergeDecisionRefusal(state, d);
          if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.type);
        },
      },
    );
  }

  const deadline = confirmationDeadline(Date.now(), input.policy.confirmationDays);
  await acts.openCase({
    caseId,
    runId,
    type: 'identity-merge',
    accountId: input.survivorId,
    unitCode: input.unitCode,
    voivodeship: input.voivodeship,
    title: `Scalenie kont: ${input.otherLogin} → ${input.survivorLogin}`,
    status: 'awaiting_confirmation',
    waitingFor: identityMergeWaitingFor('awaiting_confirmation'),
    data: { survivorAccountId: input.survivorId, survivorLogin: input.survivorLogin, otherAccountId: input.otherId, otherLogin: input.otherLogin },
    event: {
      key: key('opened'),
      type: 'case_opened',
      actor: input.survivorLogin,
      message: `Złożono wniosek o scalenie konta ${input.otherLogin} z kontem ${input.survivorLogin}; wniosek konta zachowywanego jest jego potwierdzeniem`,
    },
  });
  await setStatus('awaiting_confirmation', deadline);
  await acts.sendIdentityMergeMail({
    key: key('confirm-request'),
    caseId,
    accountId: input.otherId,
    template: 'identity-merge-confirm',
    vars: { expiresAt: new Date(deadline).toISOString() },
    event: { type: 'mail_sent', message: `Wysłano do konta ${input.otherLogin} prośbę o potwierdzenie scalenia` },
  });

  // A confirmation let in by the validator in the same activation as the timer still counts.
  const confirmedInTime = (await condition(() => state.confirmed, Math.max(0, deadline - Date.now()))) || state.confirmed;
  if (!confirmedInTime) {
    // From here on a late confirmation is refused by the validator.
    state.status = 'expired';
    await mailBoth('expired', 'identity-merge-expired', 'Wysłano zawiadomienie o wygaśnięciu wniosku');
    await setStatus('expired', null, {
      key: key('status:expired'),
      type: 'merge_expired',
      actor: 'system',
      message: `Wniosek wygasł: konto ${input.otherLogin} nie potwierdziło scalenia w ciągu ${input.policy.confirmationDays} dni`,
    });
    await condition(allHandlersFinished);
    return view();
  }

  const confirmation = state.confirmation as IdentityMergeConfirmation;
  await acts.updateCase({
    caseId,
    event: { key: key('confirmed'), type: 'merge_confirmed', actor: confirmation.confirmedBy, message: `Konto ${input.otherLogin} potwierdziło scalenie` },
  });
  state.openTaskId = key(IDENTITY_MERGE_APPROVAL_TASK_KIND);
  await acts.openTask({
    taskId: state.openTaskId,
    caseId,
    kind: IDENTITY_MERGE_APPROVAL_TASK_KIND,
    title: `Zatwierdź scalenie kont: ${input.otherLogin} → ${input.survivorLogin}`,
    role: input.approver.role,
    voivodeship: input.approver.voivodeship,
    unitCode: input.approver.role === 'ministry' || !input.unitCode ? null : input.unitCode,
  });
  await setStatus('awaiting_approval', null);

  if (decisions) {
    await decisions.wait();
    const decision = decisions.take();
    const taskId = state.openTaskId as string;
    state.openTaskId = null;
    await decisions.apply(decision, { taskId, event: decisionEvent(decision) }, applyDecision);
    await condition(allHandlersFinished);
    return view();
  }

  // Before 'identity-merge-decision-kernel': the decision is in the history before anything it causes.
  await condition(() => decisionRecorded);
  await applyDecision(state.decision as IdentityMergeDecision | null);
  await condition(allHandlersFinished);
  return view();

  /** The decision's effects once its task is completed: the merge (or the refusal), the mail, the case closed. */
  async function applyDecision(decision: IdentityMergeDecision | null): Promise<void> {
    if (decision?.decision === 'accept') {
      const result = await acts.mergeAccounts({ caseId, runId, survivorId: input.survivorId, otherId: input.otherId });
      if (result.merged) {
        await mailBoth('merged', 'identity-merge-completed', 'Wysłano zawiadomienie o scaleniu kont');
        await setStatus('merged', null, { key: key('status:merged'), type: 'case_closed', actor: 'system', message: 'Konta scalone; sprawa zakończona' });
        return;
      }
      // One of the accounts stopped being active between request and approval (disabled, or merged by
      // another case): nothing was changed, and the case ends as refused.
      await mailBoth('refused', 'identity-merge-rejected', 'Wysłano zawiadomienie, że scalenie nie jest możliwe', { reason: result.reason });
      await setStatus('rejected', null, { key: key('status:refused'), type: 'merge_refused', actor: 'system', message: `Scalenie niemożliwe: ${result.reason}` });
      return;
    }
    await mailBoth('rejected', 'identity-merge-rejected', 'Wysłano powód odrzucenia wniosku o scalenie', { reason: decision?.reason });
    await setStatus('rejected', null, { key: key('status:rejected'), type: 'case_closed', actor: 'system', message: 'Wniosek o scalenie odrzucony; sprawa zakończona' });
  }
}
