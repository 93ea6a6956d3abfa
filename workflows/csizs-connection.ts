import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { activities, DOCUMENT, STEP } from './activity-options';
import {
  SA,
  answerCsizsClarification,
  completeCsizsStep,
  csizsPasswordChanged,
  decideCsizsNotification,
  getCsizsStatus,
  prepareCsizsPackage,
  recordCsizsCall,
  recordCsizsEscalation,
  recordCsizsPasswordHandover,
  submitCsizsNotification,
  submitCsizsNotificationScan,
  type CsizsCheckpointStatus,
  type CsizsConnectionInput,
  type CsizsConnectionView,
  type CsizsNotificationStatus,
  type CsizsNotificationView,
  type CsizsPackageRequest,
  type CsizsPackageView,
} from './messages';
import {
  CSIZS_NOTIFICATION_STATUS_LABELS,
  CSIZS_STEP_TITLES,
  CsizsErrorTypes,
  callRefusal,
  lateStepAt,
  nextStep as nextStepIn,
  notificationStep,
  ownPathOf,
  piuRolesRefusal,
  registrationRefusal,
  stepDeadline,
  stepOrder,
  stepRefusal,
  unitTimeline,
  type CsizsCheckpoint,
  type CsizsStep,
  type DomainRegistration,
  type StepCompletion,
} from './rules/csizs-campaign';

const acts = activities(STEP);
const receipts = activities(DOCUMENT);

/**
 * seed 004: one unit's connection of its domain system to CSIZS, step by step in the seed's order, each
 * step against the campaign's dated deadline (vendor exceptions included); two phone checkpoints of the
 * ministry; on 30 March a unit not connected is escalated to its mayor. The history holds steps, times
 * and certificate fingerprints, never a password or a certificate.
 */
export async function csizsConnectionWorkflow(input: CsizsConnectionInput): Promise<CsizsConnectionView> {
  const { campaignId, unitCode, plan } = input;
  // The plan carries its procedure's order: version 2 (issue 16) notifies after the installation;
  // plans of cases started before it keep the notification in `local_admin`, before the infrastructure.
  const order = stepOrder(plan);
  const noticeStep = notificationStep(plan);
  const nextStep = (completed: readonly CsizsStep[]) => nextStepIn(order, completed);
  const state = {
    vendor: null as string | null,
    completed: [] as CsizsStep[],
    completedAt: {} as Record<string, { at: string; by: string; registration?: DomainRegistration; piuRoles?: string[] }>,
    lateAt: [] as CsizsStep[],
    checkpoints: { checkpoint_1: 'pending', checkpoint_2: 'pending' } as Record<CsizsCheckpoint, CsizsCheckpointStatus>,
    calls: 0,
    escalation: null as { status: 'open' | 'recorded'; reason: string | null } | null,
    connectedByCall: false,
    passwordHandedOverAt: null as string | null,
    notification: null as CsizsNotificationView | null,
    notificationRound: 0,
    pkg: null as CsizsPackageView | null,
    packageBuilding: false,
    localAdminAccountId: null as string | null,
    passwordChangedAt: null as string | null,
    /** Version 2: when the notification's scan first reached the voivodeship (the unit's deadline is met). */
    notificationSentAt: null as string | null,
  };
  const workflowId = workflowInfo().workflowId;
  const refuse = (type: string, message: string): never => {
    throw ApplicationFailure.nonRetryable(message, type);
  };
  const connected = () => state.connectedByCall || state.completed.includes('domain_registration');
  // Steps whose deadline the unit met: those done and, under version 2, the notification once sent.
  const met = (): CsizsStep[] => (plan.version === 2 && state.notificationSentAt && !state.completed.includes('notification') ? [...state.completed, 'notification'] : state.completed);
  const lateStep = () => lateStepAt(plan, state.vendor, met(), Date.now());
  const view = (): CsizsConnectionView => ({
    campaignId,
    unitCode,
    vendor: state.vendor,
    completed: [...state.completed],
    currentStep: nextStep(state.completed),
    lateStep: lateStep(),
    lateAt: [...state.lateAt],
    deadlines: Object.fromEntries(order.map((s) => [s, new Date(stepDeadline(plan, s, state.vendor)).toISOString()])),
    checkpoints: { ...state.checkpoints },
    escalation: state.escalation ? { ...state.escalation } : null,
    connected: connected(),
    notification: state.notification ? { ...state.notification } : null,
    package: state.pkg ? { ...state.pkg } : null,
    passwordChangedAt: state.passwordChangedAt,
    registration: state.completedAt.domain_registration?.registration ?? null,
    piuRoles: state.completedAt.staff_accounts?.piuRoles ?? null,
  });

  // Read model and search attributes move together, so the Temporal UI and the monitoring agree.
  const project = async () => {
    const current = nextStep(state.completed);
    upsertSearchAttributes([
      { key: SA.lateStep, value: lateStep() },
      { key: SA.status, value: current ?? 'connected' },
    ]);
    await acts.projectCsizsUnit({
      campaignId,
      unitCode,
      vendor: state.vendor,
      currentStep: current,
      lateStep: lateStep(),
      completed: state.completedAt,
      connected: connected(),
      packagePasswordHandedOverAt: state.passwordHandedOverAt,
      notificationStatus: state.notification?.status ?? null,
      notificationDocumentId: state.notification?.documentId ?? null,
      notificationScanId: state.notification?.scanDocumentId ?? null,
      notificationReason: state.notification?.rejectionReason ?? state.notification?.question ?? null,
      localAdminAccountId: state.localAdminAccountId,
      packageDocumentId: state.pkg?.documentId ?? null,
      packageSentAt: state.pkg?.sentAt ?? null,
      passwordChangedAt: state.passwordChangedAt,
    });
  };

  const markDone = (step: CsizsStep, by: string) => {
    state.completed.push(step);
    state.completedAt[step] = { at: new Date(Date.now()).toISOString(), by };
  };

  // pkt 6b: the step is done once the package was checked and the local administrator changed the
  // temporary password, whichever came first.
  const passwordStepDue = () => nextStep(state.completed) === 'password_changed' && !!state.passwordChangedAt;

  setHandler(getCsizsStatus, view);

  setHandler(
    completeCsizsStep,
    async (c) => {
      markDone(c.step, c.by);
      // seed 004 pkt 7 and 9: what was configured and granted is recorded with the step (the certificate as its SHA-256).
      if (c.step === 'domain_registration' && c.registration) state.completedAt[c.step].registration = { ...c.registration };
      if (c.step === 'staff_accounts' && c.piuRoles) state.completedAt[c.step].piuRoles = [...c.piuRoles];
      if (c.step === 'cas_report' && c.vendor) state.vendor = input.vendors.find((v) => v.toLowerCase() === c.vendor!.toLowerCase()) ?? c.vendor;
      if (passwordStepDue()) markDone('password_changed', state.pkg?.localAdminLogin ?? 'administrator lokalny');
      await project();
      return view();
    },
    {
      validator: (c: StepCompletion) => {
        const own = ownPathOf(plan, c.step);
        if (own && !state.completed.includes(c.step)) refuse(CsizsErrorTypes.ownPath, own);
        const refusal = stepRefusal({ order, completed: state.completed }, c, input.vendors);
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.type);
        // Version 2 requires the step's data (pkt 7a–c, pkt 9); earlier plans check it only when given.
        const detail =
          c.step === 'domain_registration' && (plan.version === 2 || c.registration)
            ? registrationRefusal(c.registration, state.pkg?.certificateSha256 ?? [])
            : c.step === 'staff_accounts' && (plan.version === 2 || c.piuRoles)
              ? piuRolesRefusal(c.piuRoles)
              : null;
        if (detail) throw ApplicationFailure.nonRetryable(detail.message, detail.type);
      },
    },
  );

  const openCheckpoints = () => (Object.keys(state.checkpoints) as CsizsCheckpoint[]).filter((k) => state.checkpoints[k] === 'open');
  setHandler(
    recordCsizsCall,
    async (call) => {
      // State first: a window closing during the activity must see the call's result.
      if (call.outcome === 'confirmed') state.checkpoints[call.checkpoint] = 'confirmed';
      if (call.outcome === 'not_confirmed') state.checkpoints[call.checkpoint] = 'not_confirmed';
      if (call.checkpoint === 'checkpoint_2' && call.outcome === 'confirmed') state.connectedByCall = true;
      const n = ++state.calls;
      const at = new Date(Date.now()).toISOString();
      await acts.recordCsizsCallOutcome({
        id: `${campaignId}:${unitCode}:${call.checkpoint}:${n}`,
        campaignId,
        unitCode,
        checkpoint: call.checkpoint,
        outcome: call.outcome,
        reason: call.reason ?? null,
        calledBy: call.calledBy,
        calledAt: at,
      });
      // No answer: the unit stays on the list, to be called again later.
      if (call.outcome !== 'no_answer') {
        await acts.recordCsizsCheckpoint({ campaignId, unitCode, checkpoint: call.checkpoint, status: state.checkpoints[call.checkpoint], at });
      }
      if (call.outcome === 'confirmed') await project();
      return view();
    },
    {
      validator: (call) => {
        const refusal = callRefusal(openCheckpoints(), call);
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.type);
      },
    },
  );

  setHandler(
    recordCsizsEscalation,
    async (e) => {
      state.escalation = { status: 'recorded', reason: e.reason };
      await acts.recordCsizsEscalationState({ campaignId, unitCode, reason: e.reason, by: e.by, at: new Date(Date.now()).toISOString() });
      return view();
    },
    {
      validator: (e) => {
        if (state.escalation?.status !== 'open') {
          throw ApplicationFailure.nonRetryable('Jednostka nie ma otwartej eskalacji do wójta/burmistrza/prezydenta miasta', CsizsErrorTypes.noEscalation);
        }
        if (!(e.reason && e.reason.trim().length >= 3)) {
          throw ApplicationFailure.nonRetryable('Podaj przyczynę braku podłączenia uzyskaną od wójta/burmistrza/prezydenta miasta', CsizsErrorTypes.reasonRequired);
        }
      },
    },
  );

  // ---- seed 004 pkt 2, Załącznik 2: the connection notification, signed by the head and checked by the voivodeship ----
  const notificationIs = (...allowed: CsizsNotificationStatus[]) => !!state.notification && allowed.includes(state.notification.status);
  const notificationRefusal = (what: string) =>
    refuse(CsizsErrorTypes.notificationState, `${what}: zgłoszenie podłączenia ${state.notification ? CSIZS_NOTIFICATION_STATUS_LABELS[state.notification.status] : 'nie zostało złożone'}`);

  setHandler(
    submitCsizsNotification,
    async ({ by, ...data }) => {
      const round = ++state.notificationRound;
      const documentId = `${workflowId}:zgloszenie-${round}.pdf`;
      state.notification = { status: 'awaiting_scan', data, documentId, scanDocumentId: null, rejectionReason: null, question: null, answer: null };
      await acts.renderCsizsNotification({ workflowId, documentId, campaignId, unitCode, data, by });
      await project();
      return view();
    },
    {
      validator: (_data) => {
        if (state.completed.includes(noticeStep)) refuse(CsizsErrorTypes.alreadyDone, `Krok „${CSIZS_STEP_TITLES[noticeStep]}” jest już zakończony`);
        if (nextStep(state.completed) !== noticeStep) {
          // seed 004 pkt 2: "Niezwłocznie po dokonaniu instalacji" (version 2); before it, after the CAS report.
          const before = order[order.indexOf(noticeStep) - 1];
          refuse(CsizsErrorTypes.outOfOrder, `Zgłoszenie podłączenia składa się po kroku „${CSIZS_STEP_TITLES[before]}”`);
        }
        if (state.notification && !notificationIs('awaiting_scan', 'rejected')) notificationRefusal('Zgłoszenie jest już u administratora wojewódzkiego');
      },
    },
  );

  setHandler(
    submitCsizsNotificationScan,
    async (scan) => {
      state.notification = { ...state.notification!, status: 'awaiting_review', scanDocumentId: scan.documentId };
      if (plan.version === 2) state.notificationSentAt ??= new Date(Date.now()).toISOString();
      await acts.recordCsizsDocument({ workflowId, id: scan.documentId, kind: 'csizs-notification-scan', title: 'Skan podpisanego zgłoszenia podłączenia (Załącznik 2)', mediaType: scan.mediaType, size: scan.size, sha256: scan.sha256, filename: scan.filename, source: 'upload', by: scan.by });
      // seed 003: the notification's receipt, with the time the scan was received (issue 16).
      if (patched('csizs-notification-receipt')) {
        await receipts.issueReceipt({ key: `${workflowId}:${scan.documentId}:receipt`, caseId: workflowId, kind: 'csizs-notification-scan', subject: 'Skan podpisanego zgłoszenia gotowości do podłączenia JT do CSIZS (Załącznik 2)', receivedAt: new Date(Date.now()).toISOString(), submittedBy: scan.by, unitCode, voivodeship: input.voivodeship, sha256: scan.sha256 });
      }
      await project();
      return view();
    },
    {
      validator: (_scan) => {
        if (!notificationIs('awaiting_scan', 'rejected')) notificationRefusal('Skan nie jest oczekiwany');
      },
    },
  );

  setHandler(
    decideCsizsNotification,
    async (d) => {
      const n = state.notification!;
      if (d.decision === 'accept') {
        state.notification = { ...n, status: 'accepted' };
        markDone(noticeStep, d.by);
      } else if (d.decision === 'reject') {
        state.notification = { ...n, status: 'rejected', rejectionReason: d.reason! };
      } else {
        // "zwróci się do Kierownika JT celem ich wyjaśnienia": a task and a mail to the head.
        state.notification = { ...n, status: 'clarification', question: d.reason!, answer: null };
        await acts.openCsizsTask({
          taskId: `${workflowId}:wyjasnienie-${state.notificationRound}`,
          workflowId,
          kind: 'csizs-clarification',
          title: `Wyjaśnienie danych zgłoszenia podłączenia do CSIZS: ${n.data.unitName}`,
          role: 'unit_head',
          voivodeship: input.voivodeship,
          unitCode,
          mail: { to: n.data.head.email, template: 'csizs-clarification', vars: { unitName: n.data.unitName, head: n.data.head, question: d.reason, by: d.by } },
        });
      }
      await project();
      return view();
    },
    {
      validator: (d) => {
        if (!notificationIs('awaiting_review')) notificationRefusal('Zgłoszenie nie czeka na decyzję');
        if (d.decision !== 'accept' && !(d.reason && d.reason.trim().length >= 3)) {
          refuse(CsizsErrorTypes.reasonRequired, d.decision === 'reject' ? 'Odrzucenie zgłoszenia wymaga podania powodu' : 'Podaj, czego dotyczą wątpliwości do wyjaśnienia przez kierownika jednostki');
        }
      },
    },
  );

  setHandler(
    answerCsizsClarification,
    async (a) => {
      state.notification = { ...state.notification!, status: 'awaiting_review', answer: a.answer };
      await acts.closeCsizsTask({ taskId: `${workflowId}:wyjasnienie-${state.notificationRound}`, outcome: 'answered', comment: a.answer, by: a.by });
      await project();
      return view();
    },
    {
      validator: (a) => {
        if (!notificationIs('clarification')) notificationRefusal('Administrator wojewódzki nie prosił o wyjaśnienia');
        if (!(a.answer && a.answer.trim().length >= 3)) refuse(CsizsErrorTypes.reasonRequired, 'Podaj odpowiedź na pytanie administratora wojewódzkiego');
      },
    },
  );

  // ---- seed 004 pkt 5, Uwaga 2: the information package (Załącznik 3), encrypted, its password by phone ----
  setHandler(
    prepareCsizsPackage,
    async (p) => {
      state.packageBuilding = true;
      try {
        const n = state.notification!;
        const built = await acts
          .buildCsizsPackage({
            workflowId,
            campaignId,
            unitCode,
            voivodeship: input.voivodeship,
            notification: n.data,
            domainSystems: p.domainSystems.map((d) => ({ name: d.name, certificateSecretId: d.certificateSecretId })),
            by: p.by,
          })
          .catch((err: unknown) => {
            // A refusal of the activity (a certificate expired in the store) reaches the caller as a 4xx.
            if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type) throw ApplicationFailure.nonRetryable(err.cause.message, err.cause.type);
            throw err;
          });
        state.localAdminAccountId = built.accountId;
        state.pkg = {
          status: 'sent',
          documentId: built.documentId,
          domainSystems: p.domainSystems.map((d) => d.name),
          certificateSha256: p.domainSystems.map((d) => d.certificateSha256),
          localAdminLogin: built.login,
          sentAt: new Date(Date.now()).toISOString(),
          passwordHandedOverAt: null,
          passwordHandedOverBy: null,
        };
      } finally {
        state.packageBuilding = false;
      }
      await project();
      return view();
    },
    {
      validator: (p: CsizsPackageRequest) => {
        if (state.pkg || state.packageBuilding) refuse(CsizsErrorTypes.packageState, 'Pakiet informacji dla tej jednostki został już przygotowany i wysłany');
        const next = nextStep(state.completed);
        if (next !== 'package_sent') {
          refuse(CsizsErrorTypes.outOfOrder, `Pakiet informacji przygotowuje się po kroku „${CSIZS_STEP_TITLES[order[order.indexOf('package_sent') - 1]]}” (teraz: „${next ? CSIZS_STEP_TITLES[next] : '—'}”)`);
        }
        const refusal = stepRefusal(
          { order, completed: state.completed },
          { step: 'package_sent', by: p.by, domainSystems: p.domainSystems.map((d) => d.name), certificateSha256: p.domainSystems.map((d) => d.certificateSha256), passwordHandedOverAt: 'pending' },
          input.vendors,
        );
        if (refusal) refuse(refusal.type, refusal.message);
      },
    },
  );

  setHandler(
    recordCsizsPasswordHandover,
    async (h) => {
      // The phone task records that and when the password was handed over, never the password.
      state.pkg = { ...state.pkg!, status: 'handed_over', passwordHandedOverAt: h.handedOverAt, passwordHandedOverBy: h.by };
      state.passwordHandedOverAt = h.handedOverAt;
      markDone('package_sent', h.by);
      await acts.closeCsizsTask({ taskId: `${workflowId}:przekazanie-hasla`, outcome: 'handed_over', comment: `Hasło przekazane telefonicznie ${h.handedOverAt}`, by: h.by });
      await acts.eraseCsizsPackagePassword({ workflowId });
      await project();
      return view();
    },
    {
      validator: (h) => {
        if (state.pkg?.status !== 'sent') {
          refuse(CsizsErrorTypes.packageState, state.pkg ? 'Hasło do pakietu już przekazano' : 'Najpierw przygotuj i wyślij pakiet informacji');
        }
        if (Number.isNaN(Date.parse(h.handedOverAt)) || Date.parse(h.handedOverAt) < Date.parse(state.pkg!.sentAt) - 60_000) {
          refuse(CsizsErrorTypes.reasonRequired, 'Czas przekazania hasła nie może być wcześniejszy niż wysłanie pakietu');
        }
        // Judged by the case's own clock (a validator runs only when an update arrives, never in replay).
        if (Date.parse(h.handedOverAt) > Date.now() + 60_000) {
          refuse(CsizsErrorTypes.reasonRequired, 'Godzina przekazania hasła nie może być w przyszłości');
        }
      },
    },
  );

  // pkt 6b: the password-change path reports the local administrator's change (the time, never the password).
  setHandler(csizsPasswordChanged, ({ accountId, changedAt }) => {
    if (!state.localAdminAccountId || accountId !== state.localAdminAccountId || state.passwordChangedAt) return;
    state.passwordChangedAt = changedAt;
  });
  const watchPasswordChange = async () => {
    await condition(() => passwordStepDue() || state.completed.includes('password_changed'));
    if (!state.completed.includes('password_changed')) {
      markDone('password_changed', state.pkg?.localAdminLogin ?? 'administrator lokalny');
      await project();
    }
  };

  upsertSearchAttributes([{ key: SA.status, value: nextStep(state.completed) ?? 'connected' }]);

  // Deadlines: the next undone step's timer; a vendor chosen meanwhile may move it (Otago).
  const watchDeadlines = async () => {
    for (;;) {
      const pending = unitTimeline(plan, state.vendor).filter((t) => !met().includes(t.step) && !state.lateAt.includes(t.step));
      if (pending.length === 0) return;
      const { step, deadline } = pending[0];
      const vendor = state.vendor;
      await condition(() => met().includes(step) || state.vendor !== vendor, Math.max(0, deadline - Date.now()));
      if (!met().includes(step) && Date.now() >= stepDeadline(plan, step, state.vendor)) {
        state.lateAt.push(step);
        await project();
      }
    }
  };

  // seed 004 Uwaga 1 and 5: the ministry phones every unit within the window.
  const runCheckpoint = async (k: (typeof plan.checkpoints)[number]) => {
    await sleep(Math.max(0, k.opensAt - Date.now()));
    state.checkpoints[k.id] = 'open';
    await acts.recordCsizsCheckpoint({ campaignId, unitCode, checkpoint: k.id, status: 'open', at: new Date(Date.now()).toISOString() });
    await condition(() => state.checkpoints[k.id] !== 'open', Math.max(0, k.closesAt - Date.now()));
    if (state.checkpoints[k.id] === 'open') {
      state.checkpoints[k.id] = 'unreachable';
      await acts.recordCsizsCheckpoint({ campaignId, unitCode, checkpoint: k.id, status: 'unreachable', at: new Date(Date.now()).toISOString() });
    }
    if (k.id === 'checkpoint_2' && !connected()) {
      state.escalation = { status: 'open', reason: null };
      await acts.recordCsizsEscalationState({ campaignId, unitCode, reason: null, by: null, at: new Date(Date.now()).toISOString() });
      upsertSearchAttributes([{ key: SA.status, value: 'escalated' }]);
      await condition(() => state.escalation?.status === 'recorded');
    }
  };

  void watchPasswordChange();
  await Promise.all([watchDeadlines(), ...plan.checkpoints.map(runCheckpoint)]);
  await condition(() => nextStep(state.completed) === null);
  await condition(allHandlersFinished);
  return view();
}
