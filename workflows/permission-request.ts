import { allHandlersFinished, condition, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { activities, DOCUMENT, STEP } from './activity-options';
import { caseStatusSetter } from './case-status';
import {
  PERMISSION_CLOSED,
  PERMISSION_DECISION_TASK_KIND,
  decidePermissionRequest,
  getPermissionRequestStatus,
  type PermissionRequestInput,
  type PermissionRequestView,
  type PermissionStatus,
} from './messages';
import {
  decisionRefusal,
  permissionCaseTitle,
  permissionTaskTitle,
  permissionWaitPlan,
  permissionWaitingFor,
} from './rules/permission';
import { decisionKernel } from './decision';

const acts = activities(STEP);
const documents = activities(DOCUMENT);

/**
 * seed 000 "Wnioskuj o rozszerzenie uprawnień": a registered user asks for another reporting area of a
 * unit, or for another unit; the voivodeship administrator of that unit decides; on acceptance the role
 * is granted at once. Undecided requests remind the administrators, then expire.
 */
export async function permissionRequestWorkflow(input: PermissionRequestInput): Promise<PermissionRequestView> {
  const { caseId, target } = input;
  const runId = workflowInfo().runId;
  const key = (s: string) => `${caseId}:${runId}:${s}`;
  const plan = permissionWaitPlan(Date.now(), input.policy);

  const state = {
    status: 'awaiting_decision' as PermissionStatus,
    deadline: plan.expiresAt as number | null,
    remindersSent: 0,
    openTaskId: null as string | null,
  };
  const view = (): PermissionRequestView => ({
    status: state.status,
    deadline: state.deadline === null ? null : new Date(state.deadline).toISOString(),
    remindersSent: state.remindersSent,
    openTaskId: state.openTaskId,
    target,
  });

  const setStatus = caseStatusSetter<PermissionStatus>({ caseId, state, updateCase: acts.updateCase, waitingFor: permissionWaitingFor, closed: (s) => PERMISSION_CLOSED.includes(s) });

  setHandler(getPermissionRequestStatus, view);

  // The kernel's handler only records the decision; the main flow applies it in order. The caller gets
  // its answer once the role is granted (or the rejection recorded), so a 200 means the change is in place.
  // Same commands as the handler this replaced (recorded histories replay), so no patch.
  const decisions = decisionKernel(decidePermissionRequest, {
    refusal: (decision, decided) => decisionRefusal({ status: state.status, openTaskId: state.openTaskId, decided }, decision),
    view,
    completeTask: acts.completeTask,
  });

  await acts.openCase({
    caseId,
    runId,
    type: 'permission',
    unitCode: target.unitCode,
    voivodeship: input.voivodeship,
    accountId: input.accountId,
    title: permissionCaseTitle(target, input.unitName, input.requesterLogin),
    status: 'awaiting_decision',
    waitingFor: permissionWaitingFor('awaiting_decision'),
    data: { target, justification: input.justification },
    event: {
      key: key('opened'),
      type: 'case_opened',
      actor: input.requesterLogin,
      message:
        `Złożono wniosek o rozszerzenie uprawnień: obszar ${target.area} w jednostce ${input.unitName} (${target.unitCode})` +
        (input.justification ? `. Uzasadnienie: ${input.justification}` : ''),
    },
  });
  // seed 003: the request's receipt, with the instant the API received it (issue 16).
  if (patched('permission-receipt')) {
    await documents.issueReceipt({
      key: key('receipt'),
      caseId,
      kind: 'permission-request',
      subject: `Wniosek o rozszerzenie uprawnień: obszar ${target.area} w jednostce ${input.unitName} (${target.unitCode})`,
      receivedAt: workflowInfo().runStartTime.toISOString(),
      submittedBy: input.requesterLogin,
      unitCode: target.unitCode,
      voivodeship: input.voivodeship,
    });
  }
  const taskId = key(PERMISSION_DECISION_TASK_KIND);
  await acts.openTask({
    taskId,
    caseId,
    kind: PERMISSION_DECISION_TASK_KIND,
    title: permissionTaskTitle(target, input.unitName, input.requesterLogin),
    role: 'voivodeship_admin',
    voivodeship: input.voivodeship,
    unitCode: target.unitCode,
    dueAt: new Date(plan.expiresAt).toISOString(),
    event: {
      key: key('task-opened'),
      type: 'task_opened',
      actor: 'system',
      message: `Przekazano wniosek do decyzji administratora wojewódzkiego (województwo ${input.voivodeship})`,
    },
  });
  state.openTaskId = taskId;
  await setStatus('awaiting_decision', plan.expiresAt);

  let arrived = false;
  for (const reminder of plan.reminders) {
    if ((arrived = await decisions.wait(Math.max(0, reminder.at - Date.now())))) break;
    const admins = await acts.voivodeshipAdminRecipients({ voivodeship: input.voivodeship });
    let sent = 0;
    for (const accountId of admins) {
      const delivered = await acts.sendPermissionMail({
        key: key(`reminder-${reminder.n}:${accountId}`),
        caseId,
        accountId,
        template: 'permission-reminder',
        vars: { reminderNumber: reminder.n, expiresAt: new Date(plan.expiresAt).toISOString() },
      });
      if (delivered) sent++;
    }
    state.remindersSent++;
    await acts.updateCase({
      caseId,
      event: {
        key: key(`reminder-${reminder.n}`),
        type: 'reminder_sent',
        actor: 'system',
        message:
          sent > 0
            ? `Wysłano przypomnienie nr ${reminder.n} o oczekującym wniosku do administratorów wojewódzkich (${sent})`
            : `Przypomnienie nr ${reminder.n} nie zostało wysłane: województwo ${input.voivodeship} nie ma aktywnego administratora wojewódzkiego`,
        data: { recipients: sent },
      },
    });
  }
  if (!arrived) await decisions.wait(Math.max(0, plan.expiresAt - Date.now()));

  // Checked again, not taken from the timer: a decision accepted in the same activation still counts.
  if (!decisions.pending()) {
    // Refuse any decision from here on; the task can no longer be completed.
    state.status = 'expired';
    state.openTaskId = null;
    await acts.cancelOpenTasks({ caseId });
    await acts.sendPermissionMail({
      key: key('expired'),
      caseId,
      accountId: input.accountId,
      template: 'permission-expired',
      vars: { expireAfterDays: input.policy.expireAfterDays },
      event: { type: 'mail_sent', message: 'Wysłano wnioskodawcy zawiadomienie o wygaśnięciu wniosku' },
    });
    await setStatus('expired', null, {
      key: key('status:expired'),
      type: 'request_expired',
      actor: 'system',
      message: `Wniosek wygasł: brak decyzji administratora wojewódzkiego w ciągu ${input.policy.expireAfterDays} dni`,
    });
    await condition(allHandlersFinished);
    return view();
  }

  const decision = decisions.take();
  state.openTaskId = null;
  const accepted = decision.decision === 'accept';
  const event = {
    key: key('decision'),
    type: accepted ? 'request_accepted' : 'request_rejected',
    actor: decision.decidedBy,
    message: accepted
      ? 'Administrator wojewódzki zaakceptował wniosek o rozszerzenie uprawnień'
      : `Administrator wojewódzki odrzucił wniosek o rozszerzenie uprawnień. Powód: ${decision.reason}`,
  };
  await decisions.apply(decision, { taskId, event }, async () => {
    if (accepted) {
      await acts.grantPermission({
        caseId,
        accountId: input.accountId,
        voivodeship: input.voivodeship,
        target,
        event: {
          key: key('granted'),
          type: 'permission_granted',
          actor: 'system',
          message: `Nadano uprawnienie pracownika: obszar ${target.area} w jednostce ${input.unitName} (${target.unitCode})`,
          data: { accountId: input.accountId, unitCode: target.unitCode, area: target.area },
        },
      });
      await setStatus('granted', null, { key: key('status:granted'), type: 'case_closed', actor: 'system', message: 'Uprawnienia nadane; sprawa zakończona' });
    } else {
      await setStatus('rejected', null, { key: key('status:rejected'), type: 'case_closed', actor: 'system', message: 'Wniosek odrzucony; sprawa zakończona' });
    }
  });

  await acts.sendPermissionMail({
    key: key(accepted ? 'granted-mail' : 'rejected-mail'),
    caseId,
    accountId: input.accountId,
    template: accepted ? 'permission-granted' : 'permission-rejected',
    vars: { reason: decision.reason },
    event: {
      type: 'mail_sent',
      message: accepted ? 'Wysłano wnioskodawcy zawiadomienie o nadaniu uprawnień' : 'Wysłano wnioskodawcy powód odrzucenia wniosku',
    },
  });
  await condition(allHandlersFinished);
  return view();
}
