import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  setHandler,
  ParentClosePolicy,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { passwordExpiryWorkflow } from './password-expiry';
import { activities, DOCUMENT, STEP } from './activity-options';
import { caseStatusSetter } from './case-status';
import {
  DECISION_TASK_KIND,
  ErrorTypes,
  SA,
  decideApplication,
  extendDeadline,
  getRegistrationStatus,
  remindNow,
  passwordExpiryWorkflowId,
  submitScan,
  type RegistrationDecision,
  type RegistrationInput,
  type RegistrationStatus,
  type RegistrationView,
  type ScanSubmission,
} from './messages';
import { REGISTRATION_STATUS_LABELS, registrationDecisionRefusal, registrationWaitingFor, scanWaitPlan } from './rules/registration';
import { decisionCompletion, decisionKernel } from './decision';

const acts = activities(STEP);
const documents = activities(DOCUMENT);

/** seed 000: registration of a new unit and/or user, from application to account. */
export async function registrationWorkflow(input: RegistrationInput): Promise<RegistrationView> {
  const { caseId, application } = input;
  const runId = workflowInfo().runId;
  const key = (s: string) => `${caseId}:${runId}:${s}`;
  // Issue 12: the decision goes through the decision kernel, so completing the task is no longer done by
  // the update handler but by the main flow, before the account or the rejection mail (a different
  // command sequence). Read once, here, before any decision can arrive: the handler and the main flow
  // take the same path for the whole run. Runs that started without the marker keep the handler path.
  const useDecisionKernel = patched('registration-decision-kernel');

  const state = {
    status: 'submitted' as RegistrationStatus,
    deadline: null as number | null,
    remindersSent: 0,
    scans: [] as ScanSubmission[],
    scansSeen: 0,
    openTaskId: null as string | null,
    round: 0,
    decision: null as RegistrationDecision | null,
    accountId: null as string | null,
    manualReminders: 0,
    manualRemindersSent: 0,
    manualReminderBy: '',
  };
  const view = (): RegistrationView => ({
    status: state.status,
    deadline: state.deadline === null ? null : new Date(state.deadline).toISOString(),
    remindersSent: state.remindersSent,
    scans: state.scans.length,
    openTaskId: state.openTaskId,
    accountId: state.accountId,
  });

  const refuse = (r: { type: string; message: string } | null) => {
    if (r) throw ApplicationFailure.nonRetryable(r.message, r.type);
  };
  /** The history entry of the decision, written with the task's completion. */
  const decisionEvent = (decision: RegistrationDecision) => ({
    key: key(`decision-${state.round}`),
    type: decision.decision === 'accept' ? 'application_accepted' : 'application_rejected',
    actor: decision.decidedBy,
    message:
      decision.decision === 'accept'
        ? 'Administrator wojewódzki zaakceptował wniosek'
        : `Administrator wojewódzki odrzucił wniosek. Powód: ${decision.reason}`,
  });

  const setStatus = caseStatusSetter<RegistrationStatus>({ caseId, state, updateCase: acts.updateCase, waitingFor: registrationWaitingFor, closed: (s) => s === 'accepted' || s === 'expired' });

  setHandler(getRegistrationStatus, view);

  setHandler(
    submitScan,
    async (scan) => {
      state.scans.push(scan);
      const n = state.scans.length;
      await acts.recordDocument({
        documentId: scan.documentId,
        caseId,
        kind: 'signed-scan',
        title: `Skan podpisanego formularza (${scan.channel === 'epuap' ? 'ePUAP' : 'e-mail'})`,
        mediaType: scan.mediaType,
        size: scan.size,
        sha256: scan.sha256,
        filename: scan.filename,
        source: scan.channel,
        createdBy: scan.receivedBy,
        event: {
          key: key(`scan-${n}`),
          type: 'scan_received',
          actor: scan.receivedBy,
          message: `Wpłynął skan formularza podpisanego przez kierownika jednostki (${scan.channel === 'epuap' ? 'przez ePUAP' : 'pocztą e-mail'})`,
          data: { documentId: scan.documentId, sha256: scan.sha256 },
        },
      });
      // seed 003: the filed scan gets its receipt with the time it was received (issue 16).
      if (patched('registration-scan-receipt')) {
        await documents.issueReceipt({
          key: key(`scan-${n}:receipt`),
          caseId,
          kind: 'registration-scan',
          subject: `Skan formularza rejestracyjnego podpisanego przez kierownika jednostki (${scan.channel === 'epuap' ? 'przez ePUAP' : 'pocztą e-mail'}), plik ${scan.filename}`,
          receivedAt: new Date(Date.now()).toISOString(),
          submittedBy: `${application.applicant.firstName} ${application.applicant.lastName}; przyjął(-ęła) ${scan.receivedBy}`,
          unitCode: application.unit.terytCode,
          voivodeship: input.voivodeship,
          sha256: scan.sha256,
        });
      }
      return view();
    },
    {
      validator: (_scan: ScanSubmission) => {
        if (!['awaiting_scan', 'correction_requested', 'awaiting_decision'].includes(state.status)) {
          throw ApplicationFailure.nonRetryable(`Wniosek nie oczekuje na skan (status: ${state.status})`, ErrorTypes.notAwaitingScan);
        }
      },
    },
  );

  const decisionRefusal = (decision: RegistrationDecision, decided: boolean) =>
    registrationDecisionRefusal({ status: state.status, openTaskId: state.openTaskId, decided }, decision);
  const decisions = useDecisionKernel
    ? decisionKernel(decideApplication, { refusal: decisionRefusal, view, completeTask: acts.completeTask })
    : null;
  // Before 'registration-decision-kernel': the handler completes the task itself and the main flow, woken
  // in the same workflow task, creates the account or mails the rejection. Kept for runs without the
  // marker; deprecatePatch and then removal as in docs/evolving-workflows.md ("Applied once").
  if (!decisions) {
    setHandler(
      decideApplication,
      async (decision) => {
        state.decision = decision;
        const taskId = state.openTaskId as string;
        state.openTaskId = null;
        await acts.completeTask({
          ...decisionCompletion(taskId, decision),
          event: decisionEvent(decision),
        });
        state.status = decision.decision === 'accept' ? 'accepted' : 'correction_requested';
        return view();
      },
      { validator: (decision) => refuse(decisionRefusal(decision, state.decision !== null)) },
    );
  }

  const awaitingScan = () => {
    if (state.status !== 'awaiting_scan' && state.status !== 'correction_requested') {
      throw ApplicationFailure.nonRetryable(`Sprawa nie czeka na skan, więc nie ma terminu do przedłużenia ani przypomnienia (${REGISTRATION_STATUS_LABELS[state.status].toLowerCase()})`, ErrorTypes.noOpenDeadline);
    }
  };

  setHandler(
    extendDeadline,
    async ({ days, reason, by }) => {
      state.deadline = state.deadline! + days * 24 * 60 * 60 * 1000;
      upsertSearchAttributes([{ key: SA.deadline, value: new Date(state.deadline) }]);
      await acts.updateCase({
        caseId,
        deadline: new Date(state.deadline).toISOString(),
        event: {
          key: key(`deadline-extended-${state.deadline}`),
          type: 'deadline_extended',
          actor: by,
          message: `Przedłużono termin o ${days} dni. Powód: ${reason}`,
          data: { days },
        },
      });
      return view();
    },
    { validator: ({ days, reason }) => {
      awaitingScan();
      if (!(Number.isInteger(days) && days >= 1 && days <= 180)) throw ApplicationFailure.nonRetryable('Termin można przedłużyć o 1 do 180 dni', ErrorTypes.invalidExtension);
      if (!reason || reason.trim().length < 3) throw ApplicationFailure.nonRetryable('Przedłużenie terminu wymaga podania powodu', ErrorTypes.reasonRequired);
    } },
  );

  setHandler(
    remindNow,
    ({ by }) => {
      state.manualReminders++;
      state.manualReminderBy = by;
      return view();
    },
    { validator: (_req: { by: string }) => awaitingScan() },
  );

  await acts.openCase({
    caseId,
    runId,
    type: 'registration',
    unitCode: application.unit.terytCode,
    voivodeship: input.voivodeship,
    title: `Rejestracja ${application.registerUnit ? 'jednostki i użytkownika' : 'użytkownika'}: ${application.unit.name}`,
    status: 'submitted',
    waitingFor: registrationWaitingFor('submitted'),
    data: { application },
    event: { key: key('opened'), type: 'case_opened', actor: 'applicant', message: 'Złożono wniosek rejestracyjny' },
  });
  // seed 003: the application's receipt, with the instant the API received it (issue 16).
  const receipt = patched('registration-receipt')
    ? await documents.issueReceipt({
        key: key('receipt'),
        caseId,
        kind: 'registration',
        subject: `Wniosek rejestracyjny (${application.registerUnit ? 'jednostka i użytkownik' : 'użytkownik'}): ${application.unit.name}`,
        receivedAt: workflowInfo().runStartTime.toISOString(),
        submittedBy: `${application.applicant.firstName} ${application.applicant.lastName}`,
        unitCode: application.unit.terytCode,
        voivodeship: input.voivodeship,
      })
    : null;
  const form = await documents.renderRegistrationForm({ caseId, runId });
  await acts.sendCaseMail({
    key: key('instructions'),
    caseId,
    template: 'registration-instructions',
    recipient: 'applicant',
    attachDocumentIds: receipt ? [form.pdfDocumentId, receipt.documentId] : [form.pdfDocumentId],
    vars: receipt ? { receipt } : undefined,
    event: { type: 'mail_sent', message: 'Wysłano wnioskodawcy formularz i instrukcję przesłania podpisanego skanu' },
  });

  for (;;) {
    // Wait for a signed scan: remind, then expire (seed 000). A rejection restarts the wait.
    const waitingStatus: RegistrationStatus = state.round === 0 ? 'awaiting_scan' : 'correction_requested';
    const plan = scanWaitPlan(Date.now(), input.policy);
    if (state.scans.length === state.scansSeen) {
      await setStatus(waitingStatus, plan.expiresAt);
      const hasNewScan = () => state.scans.length > state.scansSeen;
      let arrived = false;
      let nextReminder = 0;
      // Woken by a scan, a reminder or the expiry, and by an administrator extending the deadline or
      // asking for a reminder now (bulk actions on the dashboard).
      for (;;) {
        if ((arrived = hasNewScan())) break;
        if (state.manualReminders > state.manualRemindersSent) {
          const n = ++state.manualRemindersSent;
          state.remindersSent++;
          await acts.sendCaseMail({
            key: key(`round-${state.round}:manual-reminder-${n}`),
            caseId,
            template: 'registration-reminder',
            recipient: 'applicant',
            vars: { reminderNumber: state.remindersSent, expiresAt: new Date(state.deadline!).toISOString() },
            event: { type: 'reminder_sent', message: `Wysłano przypomnienie o przesłaniu podpisanego skanu (na prośbę: ${state.manualReminderBy})` },
          });
          continue;
        }
        const reminderAt = nextReminder < plan.reminders.length ? plan.reminders[nextReminder].at : Number.POSITIVE_INFINITY;
        const deadline = state.deadline!;
        const requests = state.manualReminders;
        await condition(
          () => hasNewScan() || state.deadline !== deadline || state.manualReminders !== requests,
          Math.max(0, Math.min(reminderAt, deadline) - Date.now()),
        );
        if (hasNewScan() || state.deadline !== deadline || state.manualReminders !== requests) continue;
        if (Date.now() >= deadline) break;
        const reminder = plan.reminders[nextReminder++];
        state.remindersSent++;
        await acts.sendCaseMail({
          key: key(`round-${state.round}:reminder-${reminder.n}`),
          caseId,
          template: 'registration-reminder',
          recipient: 'applicant',
          vars: { reminderNumber: reminder.n, expiresAt: new Date(state.deadline!).toISOString() },
          event: { type: 'reminder_sent', message: `Wysłano przypomnienie nr ${reminder.n} o przesłaniu podpisanego skanu` },
        });
      }
      if (!arrived) {
        await acts.sendCaseMail({
          key: key('expired'),
          caseId,
          template: 'registration-expired',
          recipient: 'applicant',
          event: { type: 'mail_sent', message: 'Wysłano wnioskodawcy zawiadomienie o wygaśnięciu wniosku' },
        });
        await setStatus('expired', null, {
          key: key('status:expired'),
          type: 'application_expired',
          actor: 'system',
          message: 'Wniosek wygasł: podpisany skan nie wpłynął w wyznaczonym terminie',
        });
        await condition(allHandlersFinished);
        return view();
      }
    }

    // With the scan in: a decision task for the voivodeship administrators of the unit's voivodeship.
    state.scansSeen = state.scans.length;
    state.decision = null;
    state.openTaskId = key(`${DECISION_TASK_KIND}-${state.round}`);
    await acts.openTask({
      taskId: state.openTaskId,
      caseId,
      kind: DECISION_TASK_KIND,
      title: `Zweryfikuj skan i zdecyduj o wniosku: ${application.unit.name}`,
      role: 'voivodeship_admin',
      voivodeship: input.voivodeship,
      unitCode: application.unit.terytCode,
    });
    await setStatus('awaiting_decision', null);

    if (decisions) {
      // The kernel: the task is completed first, then the account is created (or the rejection mailed);
      // the administrator's answer waits for both.
      await decisions.wait();
      const decision = decisions.take();
      const taskId = state.openTaskId as string;
      state.openTaskId = null;
      state.scansSeen = state.scans.length;
      if (decision.decision === 'accept') {
        await decisions.apply(decision, { taskId, event: decisionEvent(decision) }, createAccount);
        await condition(allHandlersFinished);
        return view();
      }
      await decisions.apply(decision, { taskId, event: decisionEvent(decision) }, async () => {
        await mailRejection(decision);
        // Written to the case with the new deadline as the next wait begins, in this workflow task.
        state.status = 'correction_requested';
      });
      state.round++;
      continue;
    }

    // Before 'registration-decision-kernel' (see the handler above).
    await condition(() => state.decision !== null);
    const decision = state.decision as RegistrationDecision | null;
    state.scansSeen = state.scans.length;

    if (decision?.decision === 'accept') {
      await createAccount();
      await condition(allHandlersFinished);
      return view();
    }

    await mailRejection(decision);
    state.round++;
  }

  async function createAccount(): Promise<void> {
    const { accountId, passwordSetAt } = await acts.createApplicantAccount({ caseId, runId });
    state.accountId = accountId;
    // The account's 30-day password cycle outlives this case.
    await startChild(passwordExpiryWorkflow, {
      workflowId: passwordExpiryWorkflowId(accountId),
      args: [{ accountId, changedAt: passwordSetAt, policy: input.passwordPolicy }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    }).catch((err) => {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    });
    await setStatus('accepted', null, {
      key: key('status:accepted'),
      type: 'case_closed',
      actor: 'system',
      message: 'Użytkownik zarejestrowany; sprawa zakończona',
    });
  }

  async function mailRejection(decision: RegistrationDecision | null): Promise<void> {
    await acts.sendCaseMail({
      key: key(`round-${state.round}:rejected`),
      caseId,
      template: 'registration-rejected',
      recipient: 'applicant',
      vars: { reason: decision?.reason },
      event: { type: 'mail_sent', message: 'Wysłano wnioskodawcy powód odrzucenia i prośbę o poprawiony skan' },
    });
  }
}
