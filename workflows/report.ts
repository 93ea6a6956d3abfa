import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { activities, DOCUMENT, STEP } from './activity-options';
import {
  REPORT_CORRECTION_TASK_KIND,
  REPORT_EDITABLE,
  REPORT_PREPARATION_TASK_KIND,
  REPORT_VERIFICATION_TASK_KIND,
  SA,
  changeReportDeadline,
  decideReport,
  dataRequestWorkflowId,
  designateReportPeople,
  getReportStatus,
  requestReportData,
  setReportAbsence,
  saveReportDraft,
  submitReport,
  type RegistrationDecision,
  type ReportDeadlineChange,
  type ReportInput,
  type ReportReceipt,
  type ReportStatus,
  type ReportView,
} from './messages';
import { reportDataRequestWorkflow } from './report-data-request';
import {
  absenceRefusal,
  dataRequestRefusal,
  statusWithRequests,
  designationRefusal,
  editRefusal,
  nextMilestone,
  taskHolder,
  overdueAtOpening,
  verificationRefusal,
  type Milestone,
  type ReportPeople,
} from './rules/report';
import { decisionKernel } from './decision';

const acts = activities(STEP);
const pdfActs = activities(DOCUMENT);

/**
 * Process 3 (seeds 001, 002, 003): one unit's report of one form and period. The unit saves drafts any
 * number of times and submits; each submission gets a receipt (UPO); the voivodeship administrator
 * accepts or returns it for correction, and a correction is a new version. Until it is submitted the
 * unit is reminded before the due date; on the due date the head is told, three working days later the
 * voivodeship. The ministry may move the due date: the timetable follows and the history records it.
 */
export async function reportWorkflow(input: ReportInput): Promise<ReportView> {
  const { reportId } = input;
  const runId = workflowInfo().runId;
  const key = (s: string) => `${reportId}:${runId}:${s}`;

  const state = {
    status: 'not_started' as ReportStatus,
    overdue: false,
    plan: input.plan,
    remindersSent: 0,
    escalations: [] as ReportView['escalations'],
    versions: 0,
    drafts: 0,
    lastReceipt: null as ReportReceipt | null,
    openTaskId: null as string | null,
    submitting: false,
    deadlineChanges: [] as ReportDeadlineChange[],
    recordedChanges: 0,
    people: { responsible: null, substitute: null, absent: false } as ReportPeople,
    /** Designations and absences asked for, and how many of them the read model has caught up with. */
    peopleChanges: [] as { type: string; actor: string; message: string }[],
    peopleSynced: 0,
    /** The unit's open task and who holds it. */
    unitTask: null as { id: string; holder: string } | null,
    unitTasks: 0,
    unitTaskMoves: 0,
    dataRequests: 0,
    openRequests: [] as string[],
    /** The status the report returns to when its last data request closes. */
    statusBeforeData: 'draft' as ReportStatus,
  };
  const view = (): ReportView => ({
    status: state.status,
    overdue: state.overdue,
    plan: state.plan,
    remindersSent: state.remindersSent,
    escalations: [...state.escalations],
    versions: state.versions,
    drafts: state.drafts,
    lastReceipt: state.lastReceipt,
    openTaskId: state.openTaskId,
    deadlineChanges: state.deadlineChanges.length,
    responsible: state.people.responsible?.login ?? null,
    substitute: state.people.substitute?.login ?? null,
    responsibleAbsent: state.people.absent,
    secondLevel: state.people.secondLevel?.login ?? null,
    substituteAbsent: !!state.people.substituteAbsent,
    unitTaskId: state.unitTask?.id ?? null,
    assignee: state.unitTask?.holder ?? null,
    dataRequests: state.dataRequests,
    openDataRequests: [...state.openRequests],
  });
  const refuse = (r: { type: string; message: string } | null) => {
    if (r) throw ApplicationFailure.nonRetryable(r.message, r.type);
  };

  setHandler(getReportStatus, view);

  // seed 001: drafts are stored by an activity before the caller hears "saved".
  setHandler(
    saveReportDraft,
    async (draft) => {
      const first = state.status === 'not_started';
      if (first) state.status = 'draft';
      state.drafts++;
      await acts.saveReportDraft({ reportId, key: key(`draft-${state.drafts}`), content: draft.content, savedBy: draft.savedBy, firstDraft: first });
      return view();
    },
    { validator: (draft) => refuse(editRefusal(state, draft.content)) },
  );

  setHandler(
    submitReport,
    async (submission) => {
      // Set before the first await: a second submission in the same activation is refused by the validator.
      state.submitting = true;
      try {
        const version = state.versions + 1;
        const receipt = await acts.recordReportSubmission({ reportId, version, content: submission.content, submittedBy: submission.submittedBy });
        state.versions = version;
        state.lastReceipt = receipt;
        state.status = 'submitted';
        return receipt;
      } finally {
        state.submitting = false;
      }
    },
    { validator: (submission) => refuse(editRefusal(state, submission.content)) },
  );

  // The kernel's handler records the decision; the main loop applies it, and the caller hears once it has.
  // Same commands as the handler this replaced (recorded histories replay), so no patch.
  const decisions = decisionKernel(decideReport, {
    refusal: (decision, decided) => verificationRefusal({ status: state.status, openTaskId: state.openTaskId, decided }, decision),
    view,
    completeTask: acts.completeTask,
  });

  // seed 002: the head designates the responsible person and a substitute; an absence moves the tasks.
  // Both return once the tasks read model and the history have caught up.
  const peopleChanged = async (change: { type: string; actor: string; message: string }) => {
    state.peopleChanges.push(change);
    const n = state.peopleChanges.length;
    await condition(() => state.peopleSynced >= n);
    return view();
  };
  setHandler(
    designateReportPeople,
    async (d) => {
      state.people = { responsible: d.responsible, substitute: d.substitute, absent: false, ...(d.secondLevel ? { secondLevel: d.secondLevel } : {}) };
      return peopleChanged({
        type: 'people_designated',
        actor: d.designatedBy,
        message:
          `Wyznaczono osobę odpowiedzialną za sprawozdanie: ${d.responsible.login}; zastępca: ${d.substitute?.login ?? 'brak'}` +
          (d.secondLevel ? `; na wypadek nieobecności obojga: ${d.secondLevel.login}` : ''),
      });
    },
    { validator: (d) => refuse(designationRefusal(state.status, d)) },
  );
  setHandler(
    setReportAbsence,
    async (a) => {
      // seed 002 §I.4-5: the substitute's absence too; with both away the second level holds the tasks.
      if (a.person === 'substitute') {
        state.people = { ...state.people, substituteAbsent: a.absent };
        const sub = state.people.substitute!.login;
        return peopleChanged({
          type: a.absent ? 'absence_marked' : 'absence_ended',
          actor: a.by,
          message: `Zastępca ${sub} jest ${a.absent ? 'nieobecny' : 'znów obecny'}: zadania prowadzi ${taskHolder(state.people)}`,
        });
      }
      state.people = { ...state.people, absent: a.absent };
      const who = state.people.responsible!.login;
      if (state.people.substituteAbsent) {
        return peopleChanged({ type: a.absent ? 'absence_marked' : 'absence_ended', actor: a.by, message: `Osoba odpowiedzialna ${who} jest ${a.absent ? 'nieobecna' : 'znów obecna'}: zadania prowadzi ${taskHolder(state.people)}` });
      }
      return peopleChanged({
        type: a.absent ? 'absence_marked' : 'absence_ended',
        actor: a.by,
        message: a.absent
          ? `Osoba odpowiedzialna ${who} jest nieobecna: zadania przejmuje zastępca ${state.people.substitute!.login}`
          : `Osoba odpowiedzialna ${who} jest znów obecna: zadania wracają do niej`,
      });
    },
    { validator: (a) => refuse(absenceRefusal(state.people, a)) },
  );

  // Data requests: a child workflow each; while any is open the report awaits data.
  setHandler(
    requestReportData,
    async (ask) => {
      const requestId = dataRequestWorkflowId(reportId, ++state.dataRequests);
      const child = await startChild(reportDataRequestWorkflow, {
        workflowId: requestId,
        args: [{ ...ask, requestId, reportId, formCode: input.formCode, formName: input.formName, period: input.period, unitName: input.unitName }],
      });
      state.openRequests.push(requestId);
      const closed = () => {
        state.openRequests = state.openRequests.filter((r) => r !== requestId);
      };
      child.result().then(closed, closed);
      await condition(() => !dataStatusOutOfStep());
      return { requestId, status: state.status };
    },
    { validator: (ask) => refuse(dataRequestRefusal(state, ask.plan.deadlineAt, Date.now())) },
  );

  setHandler(changeReportDeadline, (change) => {
    if (state.deadlineChanges.some((c) => c.changeId === change.changeId)) return;
    state.deadlineChanges.push(change);
    state.plan = change.plan;
  });

  await acts.openReport({
    ...input,
    runId,
    event: {
      key: key('opened'),
      type: 'case_opened',
      actor: 'system',
      message: `Otwarto sprawozdanie ${input.formCode} (${input.formName}) za okres ${input.period}; termin: ${input.plan.dueDate}`,
      data: { campaignId: input.campaignId, dueDate: input.plan.dueDate },
    },
  });
  upsertSearchAttributes([
    { key: SA.status, value: 'not_started' },
    { key: SA.deadline, value: new Date(state.plan.deadlineAt) },
  ]);

  // seed 002 §I.4-5, §II.5: the head's standing designation for the area applies to a new report (issue
  // 16); a designation for this report made meanwhile wins. Runs started before it go without.
  if (patched('report-standing-designation')) {
    const standing = await acts.standingReportPeople({ unitCode: input.unitCode, area: input.area });
    if (standing && !state.people.responsible) {
      state.people = { responsible: standing.responsible, substitute: standing.substitute, absent: false, secondLevel: standing.secondLevel };
      state.peopleChanges.push({
        type: 'people_designated',
        actor: standing.designatedBy,
        message:
          `Przyjęto stałe wyznaczenie dla obszaru ${input.area}: osoba odpowiedzialna ${standing.responsible.login}; zastępca: ${standing.substitute?.login ?? 'brak'}` +
          `; na wypadek nieobecności obojga: ${standing.secondLevel?.login ?? 'brak (wyznacza kierownik)'}`,
      });
    }
  }

  let cursor = Date.now();
  // A campaign opened after the due date: overdue at once (issue 16, optional point). Runs before it never were.
  if (patched('report-overdue-at-opening')) {
    const missed = overdueAtOpening(state.plan, cursor);
    if (missed) await fire(missed);
  }
  const editable = () => REPORT_EDITABLE.includes(state.status);
  const submittedUnverified = () => state.status === 'submitted' && state.openTaskId === null;

  while (state.status !== 'accepted') {
    if (state.peopleSynced < state.peopleChanges.length) {
      const change = state.peopleChanges[state.peopleSynced];
      await acts.setReportState({ reportId, event: { key: key(`people-${state.peopleSynced + 1}`), ...change } });
      await syncUnitTask(change.message);
      state.peopleSynced++;
      continue;
    }
    if (dataStatusOutOfStep()) {
      await syncDataStatus();
      continue;
    }
    if (unitTaskOutOfStep()) {
      await syncUnitTask(null);
      continue;
    }
    if (state.recordedChanges < state.deadlineChanges.length) {
      await recordDeadlineChange(state.deadlineChanges[state.recordedChanges]);
      state.recordedChanges++;
      continue;
    }
    if (submittedUnverified()) {
      await openVerification();
      continue;
    }
    if (decisions.pending()) {
      await applyDecision(decisions.take());
      continue;
    }
    const pendingChanges = state.deadlineChanges.length;
    const wake = () =>
      state.deadlineChanges.length !== pendingChanges ||
      submittedUnverified() ||
      decisions.pending() ||
      state.peopleSynced < state.peopleChanges.length ||
      dataStatusOutOfStep() ||
      unitTaskOutOfStep();
    const next = editable() ? nextMilestone(state.plan, cursor) : null;
    if (!next) {
      await condition(() => wake() || (editable() && nextMilestone(state.plan, cursor) !== null));
      continue;
    }
    if (await condition(wake, Math.max(0, next.at - Date.now()))) continue;
    cursor = next.at;
    if (editable()) await fire(next);
  }

  await condition(allHandlersFinished);
  return view();

  function dataStatusOutOfStep(): boolean {
    return statusWithRequests(state.status, state.statusBeforeData, state.openRequests.length).status !== state.status;
  }

  /** Into awaiting_data when a request opens, back (to draft, or returned) when the last one closes. */
  async function syncDataStatus(): Promise<void> {
    const next = statusWithRequests(state.status, state.statusBeforeData, state.openRequests.length);
    upsertSearchAttributes([{ key: SA.status, value: next.status }]);
    await acts.setReportState({
      reportId,
      status: next.status,
      waitingFor:
        next.status === 'awaiting_data'
          ? 'Czeka na dane od innych komórek lub jednostek'
          : next.status === 'returned'
            ? 'Czeka na korektę i ponowne przekazanie sprawozdania przez jednostkę'
            : 'Czeka na sporządzenie i przekazanie sprawozdania przez jednostkę',
    });
    // Changed once the read model has it, so the update that opened a request answers with both in step.
    // A submission meanwhile keeps its status.
    if (REPORT_EDITABLE.includes(state.status)) state.status = next.status;
    state.statusBeforeData = next.before;
  }

  /** The unit's task should be opened, handed to someone else, or closed by a submission. */
  function unitTaskOutOfStep(): boolean {
    const holder = editable() ? taskHolder(state.people) : null;
    return (state.unitTask?.holder ?? null) !== holder;
  }

  /** Brings the unit's task in line with the status and the people: open, move or complete it. */
  async function syncUnitTask(reason: string | null): Promise<void> {
    const holder = editable() ? taskHolder(state.people) : null;
    const task = state.unitTask;
    if (task && holder === null) {
      // Submitted: the task is done (the history already records the submission).
      await acts.completeTask({ taskId: task.id, outcome: 'submitted', completedBy: state.lastReceipt?.submittedBy ?? 'system' });
      state.unitTask = null;
      return;
    }
    if (!holder || task?.holder === holder) return;
    const correction = state.status === 'returned';
    const id = task?.id ?? key(`${correction ? 'correction' : 'preparation'}-${++state.unitTasks}`);
    const what = correction
      ? `Popraw i przekaż ponownie sprawozdanie ${input.formCode} za ${input.period}`
      : `Sporządź i przekaż sprawozdanie ${input.formCode} za ${input.period}`;
    await acts.assignReportTask({
      task: {
        taskId: id,
        caseId: reportId,
        kind: correction ? REPORT_CORRECTION_TASK_KIND : REPORT_PREPARATION_TASK_KIND,
        title: `${what}: ${input.unitName} (${input.unitCode})`.slice(0, 300),
        role: 'staff',
        voivodeship: input.voivodeship,
        unitCode: input.unitCode,
        dueAt: state.plan.deadlineAt,
      },
      assignee: holder,
      event: {
        key: key(`unit-task-${++state.unitTaskMoves}`),
        type: task ? 'task_reassigned' : 'task_opened',
        actor: 'system',
        message: task ? `Zadanie „${what}” przejmuje ${holder} (wcześniej ${task.holder})` : `Zadanie „${what}” przydzielono: ${holder}`,
        data: { taskId: id, assignee: holder, ...(task ? { previous: task.holder } : {}), ...(reason ? { reason } : {}) },
      },
    });
    state.unitTask = { id, holder };
  }

  async function fire(m: Milestone): Promise<void> {
    const dueDate = state.plan.dueDate;
    const vars = { formCode: input.formCode, formName: input.formName, period: input.period, dueDate };
    switch (m.kind) {
      case 'reminder':
        state.remindersSent++;
        await acts.sendReportNotice({
          key: key(`reminder-${dueDate}-${m.n}`),
          reportId,
          kind: 'reminder',
          audience: 'unit',
          to: state.unitTask?.holder ?? null,
          vars: { ...vars, workingDaysBefore: m.workingDaysBefore },
          event: { type: 'reminder_sent', actor: 'system', message: `Przypomnienie: termin złożenia sprawozdania mija ${dueDate} (za ${m.workingDaysBefore} dni robocze)` },
        });
        return;
      case 'head':
        state.escalations.push('unit_head');
        await acts.sendReportNotice({
          key: key(`escalation-head-${dueDate}`),
          reportId,
          kind: 'head',
          audience: 'unit_head',
          vars,
          event: { type: 'escalated', actor: 'system', message: `Sprawozdanie nie zostało złożone, a termin mija dziś (${dueDate}): powiadomiono kierownika jednostki` },
        });
        return;
      case 'overdue':
        state.overdue = true;
        upsertSearchAttributes([{ key: SA.lateStep, value: 'report' }]);
        await acts.setReportState({
          reportId,
          overdue: true,
          event: { key: key(`overdue-${dueDate}`), type: 'overdue', actor: 'system', message: `Minął termin złożenia sprawozdania (${dueDate})` },
        });
        return;
      case 'voivodeship':
        state.escalations.push('voivodeship_admin');
        await acts.sendReportNotice({
          key: key(`escalation-voivodeship-${dueDate}`),
          reportId,
          kind: 'voivodeship',
          audience: 'voivodeship_admin',
          vars,
          event: { type: 'escalated', actor: 'system', message: `Sprawozdanie zaległe od ${dueDate}: powiadomiono administratorów wojewódzkich (województwo ${input.voivodeship})` },
        });
        return;
    }
  }

  async function recordDeadlineChange(change: ReportDeadlineChange): Promise<void> {
    // Milestones already passed stay passed; those of the new date ahead of now will fire.
    cursor = Math.max(cursor, Date.now());
    const stillLate = Date.now() >= Date.parse(change.plan.deadlineAt);
    if (state.overdue && !stillLate) state.overdue = false;
    upsertSearchAttributes([{ key: SA.deadline, value: new Date(change.plan.deadlineAt) }]);
    await acts.setReportState({
      reportId,
      dueDate: change.plan.dueDate,
      deadline: change.plan.deadlineAt,
      overdue: state.overdue,
      event: {
        key: key(`deadline-${change.changeId}`),
        type: 'deadline_changed',
        actor: change.changedBy,
        message: `Zmieniono termin złożenia sprawozdania na ${change.plan.dueDate}. Powód: ${change.reason}`,
        data: { changeId: change.changeId, dueDate: change.plan.dueDate },
      },
    });
  }

  async function openVerification(): Promise<void> {
    const receipt = state.lastReceipt!;
    const taskId = key(`${REPORT_VERIFICATION_TASK_KIND}-v${receipt.version}`);
    upsertSearchAttributes([{ key: SA.status, value: 'submitted' }]);
    await acts.openTask({
      taskId,
      caseId: reportId,
      kind: REPORT_VERIFICATION_TASK_KIND,
      title: `Zweryfikuj sprawozdanie ${input.formCode} za ${input.period}: ${input.unitName} (${input.unitCode}), wersja ${receipt.version}`.slice(0, 300),
      role: 'voivodeship_admin',
      voivodeship: input.voivodeship,
      unitCode: input.unitCode,
      event: { key: key(`task-opened-v${receipt.version}`), type: 'task_opened', actor: 'system', message: `Przekazano sprawozdanie (wersja ${receipt.version}) do weryfikacji administratora wojewódzkiego` },
    });
    state.openTaskId = taskId;
    await pdfActs.renderReportReceipt({ reportId, receipt });
  }

  async function applyDecision(decision: RegistrationDecision): Promise<void> {
    const accepted = decision.decision === 'accept';
    const version = state.versions;
    const task = {
      taskId: state.openTaskId!,
      rejected: 'returned',
      event: {
        key: key(`decision-v${version}`),
        type: accepted ? 'report_accepted' : 'report_returned',
        actor: decision.decidedBy,
        message: accepted
          ? `Administrator wojewódzki zaakceptował sprawozdanie (wersja ${version})`
          : `Administrator wojewódzki zwrócił sprawozdanie (wersja ${version}) do korekty. Uwagi: ${decision.reason}`,
      },
    };
    await decisions.apply(decision, task, async () => {
      state.openTaskId = null;
      state.status = accepted ? 'accepted' : 'returned';
      upsertSearchAttributes([{ key: SA.status, value: state.status }]);
      await acts.setReportState({
        reportId,
        status: state.status,
        waitingFor: accepted ? null : 'Czeka na korektę i ponowne przekazanie sprawozdania przez jednostkę',
        closed: accepted,
      });
      if (!accepted) {
        await acts.sendReportNotice({
          key: key(`returned-v${version}`),
          reportId,
          kind: 'returned',
          audience: 'unit',
          to: taskHolder(state.people),
          vars: { formCode: input.formCode, formName: input.formName, period: input.period, dueDate: state.plan.dueDate, comment: decision.reason },
          event: { type: 'mail_sent', actor: 'system', message: 'Powiadomiono jednostkę o zwrocie sprawozdania do korekty' },
        });
      }
    });
  }
}
