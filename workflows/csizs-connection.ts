import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  SA,
  completeCsizsStep,
  getCsizsStatus,
  recordCsizsCall,
  recordCsizsEscalation,
  type CsizsCheckpointStatus,
  type CsizsConnectionInput,
  type CsizsConnectionView,
} from './messages';
import {
  CSIZS_STEPS,
  CsizsErrorTypes,
  callRefusal,
  lateStepAt,
  nextStep,
  stepDeadline,
  stepRefusal,
  unitTimeline,
  type CsizsCheckpoint,
  type CsizsStep,
} from './rules/csizs-campaign';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * seed 004: one unit's connection of its domain system to CSIZS, step by step in the seed's order, each
 * step against the campaign's dated deadline (vendor exceptions included); two phone checkpoints of the
 * ministry; on 30 March a unit not connected is escalated to its mayor. The history holds steps, times
 * and certificate fingerprints, never a password or a certificate.
 */
export async function csizsConnectionWorkflow(input: CsizsConnectionInput): Promise<CsizsConnectionView> {
  const { campaignId, unitCode, plan } = input;
  const state = {
    vendor: null as string | null,
    completed: [] as CsizsStep[],
    completedAt: {} as Record<string, { at: string; by: string }>,
    lateAt: [] as CsizsStep[],
    checkpoints: { checkpoint_1: 'pending', checkpoint_2: 'pending' } as Record<CsizsCheckpoint, CsizsCheckpointStatus>,
    calls: 0,
    escalation: null as { status: 'open' | 'recorded'; reason: string | null } | null,
    connectedByCall: false,
    passwordHandedOverAt: null as string | null,
  };
  const connected = () => state.connectedByCall || state.completed.includes('domain_registration');
  const lateStep = () => lateStepAt(plan, state.vendor, state.completed, Date.now());
  const view = (): CsizsConnectionView => ({
    campaignId,
    unitCode,
    vendor: state.vendor,
    completed: [...state.completed],
    currentStep: nextStep(state.completed),
    lateStep: lateStep(),
    lateAt: [...state.lateAt],
    deadlines: Object.fromEntries(CSIZS_STEPS.map((s) => [s, new Date(stepDeadline(plan, s, state.vendor)).toISOString()])),
    checkpoints: { ...state.checkpoints },
    escalation: state.escalation ? { ...state.escalation } : null,
    connected: connected(),
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
    });
  };

  setHandler(getCsizsStatus, view);

  setHandler(
    completeCsizsStep,
    async (c) => {
      state.completed.push(c.step);
      state.completedAt[c.step] = { at: new Date(Date.now()).toISOString(), by: c.by };
      if (c.step === 'cas_report' && c.vendor) state.vendor = input.vendors.find((v) => v.toLowerCase() === c.vendor!.toLowerCase()) ?? c.vendor;
      // Uwaga 2: the task records that and when the file's password was handed over, not the password.
      if (c.step === 'package_sent' && c.passwordHandedOverAt) state.passwordHandedOverAt = c.passwordHandedOverAt;
      await project();
      return view();
    },
    {
      validator: (c) => {
        const refusal = stepRefusal({ completed: state.completed }, c, input.vendors);
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.type);
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

  upsertSearchAttributes([{ key: SA.status, value: nextStep(state.completed) ?? 'connected' }]);

  // Deadlines: the next undone step's timer; a vendor chosen meanwhile may move it (Otago).
  const watchDeadlines = async () => {
    for (;;) {
      const pending = unitTimeline(plan, state.vendor).filter((t) => !state.completed.includes(t.step) && !state.lateAt.includes(t.step));
      if (pending.length === 0) return;
      const { step, deadline } = pending[0];
      const vendor = state.vendor;
      await condition(() => state.completed.includes(step) || state.vendor !== vendor, Math.max(0, deadline - Date.now()));
      if (!state.completed.includes(step) && Date.now() >= stepDeadline(plan, step, state.vendor)) {
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

  await Promise.all([watchDeadlines(), ...plan.checkpoints.map(runCheckpoint)]);
  await condition(() => nextStep(state.completed) === null);
  await condition(allHandlersFinished);
  return view();
}
