import {
  REGISTRATION_STATUS_LABELS,
  registrationDecisionRefusal,
  registrationWaitingFor,
  scanWaitPlan,
  type RegistrationDecisionState,
} from '../../workflows/rules/registration';
import { ErrorTypes, REGISTRATION_CLOSED, type RegistrationDecision, type RegistrationPolicy, type RegistrationStatus } from '../../workflows/messages';

const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 2, 9, 30); // 2026-03-02 09:30 UTC

// Every status, checked at compile time both ways: a new status in the union breaks this line.
const ALL_STATUSES = ['submitted', 'awaiting_scan', 'awaiting_decision', 'correction_requested', 'accepted', 'expired'] as const;
type Unlisted = Exclude<RegistrationStatus, (typeof ALL_STATUSES)[number]>;
const everyStatusListed: [Unlisted] extends [never] ? true : false = true;

describe('scanWaitPlan', () => {
  const cases: { title: string; policy: RegistrationPolicy; reminderDays: number[] }[] = [
    { title: 'default policy 7,14 / 30', policy: { reminderAfterDays: [7, 14], expireAfterDays: 30 }, reminderDays: [7, 14] },
    { title: 'unsorted days are sorted', policy: { reminderAfterDays: [21, 3, 14], expireAfterDays: 30 }, reminderDays: [3, 14, 21] },
    { title: 'duplicates are sent once', policy: { reminderAfterDays: [14, 7, 7, 14], expireAfterDays: 30 }, reminderDays: [7, 14] },
    { title: 'zero and negative days are dropped', policy: { reminderAfterDays: [0, -3, 5], expireAfterDays: 30 }, reminderDays: [5] },
    { title: 'a reminder on the expiry day is dropped', policy: { reminderAfterDays: [7, 30], expireAfterDays: 30 }, reminderDays: [7] },
    { title: 'a reminder after expiry is dropped', policy: { reminderAfterDays: [45, 7], expireAfterDays: 30 }, reminderDays: [7] },
    { title: 'the day before expiry is kept', policy: { reminderAfterDays: [29], expireAfterDays: 30 }, reminderDays: [29] },
    { title: 'no reminders configured', policy: { reminderAfterDays: [], expireAfterDays: 10 }, reminderDays: [] },
    { title: 'every reminder filtered out', policy: { reminderAfterDays: [0, 10, 11], expireAfterDays: 10 }, reminderDays: [] },
  ];

  it.each(cases)('$title', ({ policy, reminderDays }) => {
    const plan = scanWaitPlan(START, policy);
    expect(plan.reminders).toEqual(reminderDays.map((d, i) => ({ n: i + 1, at: START + d * DAY })));
    expect(plan.expiresAt).toBe(START + policy.expireAfterDays * DAY);
  });

  it('counts from the moment the wait began, not from a fixed epoch', () => {
    const policy = { reminderAfterDays: [7], expireAfterDays: 30 };
    const later = START + 3 * DAY + 1234;
    expect(scanWaitPlan(later, policy)).toEqual({ reminders: [{ n: 1, at: later + 7 * DAY }], expiresAt: later + 30 * DAY });
  });

  it('reminders are strictly increasing and all fall before expiry', () => {
    const plan = scanWaitPlan(START, { reminderAfterDays: [20, 1, 20, 9, 40, 0, 2], expireAfterDays: 21 });
    const ats = plan.reminders.map((r) => r.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(new Set(ats).size).toBe(ats.length);
    for (const at of ats) {
      expect(at).toBeGreaterThan(START);
      expect(at).toBeLessThan(plan.expiresAt);
    }
    expect(plan.reminders.map((r) => r.n)).toEqual([1, 2, 3, 4]);
  });

  it('leaves the policy it was given untouched', () => {
    const policy = { reminderAfterDays: [14, 7, 7, 0], expireAfterDays: 30 };
    scanWaitPlan(START, policy);
    expect(policy.reminderAfterDays).toEqual([14, 7, 7, 0]);
  });
});

describe('registrationWaitingFor', () => {
  const cases: { status: RegistrationStatus; expected: RegExp | null }[] = [
    { status: 'submitted', expected: /formularza rejestracyjnego/ },
    { status: 'awaiting_scan', expected: /skan.*podpisanego przez kierownika jednostki.*wnioskodawca/ },
    { status: 'correction_requested', expected: /poprawiony skan.*od wnioskodawcy/ },
    { status: 'awaiting_decision', expected: /decyzję administratora wojewódzkiego/ },
    { status: 'accepted', expected: null },
    { status: 'expired', expected: null },
  ];

  it('has a row for every status', () => {
    expect(everyStatusListed).toBe(true);
    expect(cases.map((c) => c.status).sort()).toEqual([...ALL_STATUSES].sort());
  });

  it.each(cases)('$status → $expected', ({ status, expected }) => {
    const sentence = registrationWaitingFor(status);
    if (expected === null) expect(sentence).toBeNull();
    else expect(sentence).toMatch(expected);
  });

  it('is null exactly for the closed statuses', () => {
    for (const status of ALL_STATUSES) {
      expect(registrationWaitingFor(status) === null).toBe(REGISTRATION_CLOSED.includes(status));
    }
  });
});

describe('REGISTRATION_STATUS_LABELS', () => {
  it('labels every status and nothing else', () => {
    expect(Object.keys(REGISTRATION_STATUS_LABELS).sort()).toEqual([...ALL_STATUSES].sort());
  });

  it.each(ALL_STATUSES)('%s has a non-empty Polish label', (status) => {
    const label = REGISTRATION_STATUS_LABELS[status];
    expect(typeof label).toBe('string');
    expect(label.trim()).not.toBe('');
    expect(label).not.toContain('_'); // not the raw status code
  });

  it('gives each status a different label', () => {
    const labels = Object.values(REGISTRATION_STATUS_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it.each([
    ['awaiting_scan', /skan/],
    ['correction_requested', /poprawiony skan/],
    ['awaiting_decision', /decyzj/],
    ['accepted', /Zaakceptowany/],
    ['expired', /Wygasł/],
  ] as const)('%s says what it means', (status, pattern) => {
    expect(REGISTRATION_STATUS_LABELS[status]).toMatch(pattern);
  });
});

describe('registrationDecisionRefusal', () => {
  const open: RegistrationDecisionState = { status: 'awaiting_decision', openTaskId: 'task-1', decided: false };
  const accept: RegistrationDecision = { taskId: 'task-1', decision: 'accept', decidedBy: 'adm-woj-26' };
  const reject = (reason?: string): RegistrationDecision => ({ taskId: 'task-1', decision: 'reject', reason, decidedBy: 'adm-woj-26' });

  const table: [string, RegistrationDecisionState, RegistrationDecision, { type: string; message: string } | null][] = [
    ['accept on the open task', open, accept, null],
    ['reject with a reason', open, reject('Brak podpisu kierownika'), null],
    ['reject without a reason', open, reject(), { type: ErrorTypes.reasonRequired, message: 'Odrzucenie wymaga podania powodu' }],
    ['reject with a blank reason', open, reject('   '), { type: ErrorTypes.reasonRequired, message: 'Odrzucenie wymaga podania powodu' }],
    ['another task id', open, { ...accept, taskId: 'task-0' }, { type: ErrorTypes.taskMismatch, message: 'To zadanie nie jest już otwarte' }],
    ['a second decision while the first is applied', { ...open, decided: true }, accept, { type: ErrorTypes.notAwaitingDecision, message: 'Wniosek nie oczekuje na decyzję (status: awaiting_decision)' }],
    ['while waiting for the scan', { ...open, status: 'awaiting_scan', openTaskId: null }, accept, { type: ErrorTypes.notAwaitingDecision, message: 'Wniosek nie oczekuje na decyzję (status: awaiting_scan)' }],
    ['after acceptance', { ...open, status: 'accepted', openTaskId: null }, accept, { type: ErrorTypes.notAwaitingDecision, message: 'Wniosek nie oczekuje na decyzję (status: accepted)' }],
  ];
  it.each(table)('%s', (_title, state, decision, expected) => {
    expect(registrationDecisionRefusal(state, decision)).toEqual(expected);
  });

  // The validator inlined in registrationWorkflow before the decision kernel (issue 12), as it was: the
  // rule must refuse exactly what it refused, with the same type and message, in every state.
  function inlineValidatorBefore(state: RegistrationDecisionState, decision: RegistrationDecision): { type: string; message: string } | null {
    if (state.status !== 'awaiting_decision' || state.decided) return { type: ErrorTypes.notAwaitingDecision, message: `Wniosek nie oczekuje na decyzję (status: ${state.status})` };
    if (decision.taskId !== state.openTaskId) return { type: ErrorTypes.taskMismatch, message: 'To zadanie nie jest już otwarte' };
    if (decision.decision === 'reject' && !(decision.reason && decision.reason.trim().length >= 3)) return { type: ErrorTypes.reasonRequired, message: 'Odrzucenie wymaga podania powodu' };
    return null;
  }

  it('refuses exactly what the inline validator refused, in every state', () => {
    const decisions = [accept, reject('Brak podpisu'), reject(), reject(' ab '), { ...accept, taskId: 'task-0' }, { ...reject('Powód'), taskId: 'task-0' }];
    let compared = 0;
    for (const status of ALL_STATUSES) {
      for (const openTaskId of ['task-1', 'task-0', null]) {
        for (const decided of [false, true]) {
          for (const d of decisions) {
            const state = { status, openTaskId, decided };
            expect({ state, d, refusal: registrationDecisionRefusal(state, d) }).toEqual({ state, d, refusal: inlineValidatorBefore(state, d) });
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(ALL_STATUSES.length * 3 * 2 * decisions.length);
  });
});
