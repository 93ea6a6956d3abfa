import {
  alreadyHolds,
  decisionRefusal,
  PERMISSION_STATUS_LABELS,
  permissionCaseTitle,
  permissionTaskTitle,
  permissionWaitingFor,
  permissionWaitPlan,
  type DecisionState,
  type HeldAssignment,
} from '../../workflows/rules/permission';
import {
  ErrorTypes,
  PERMISSION_CLOSED,
  permissionRequestWorkflowId,
  type PermissionDecision,
  type PermissionPolicy,
  type PermissionStatus,
} from '../../workflows/messages';

const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 2, 9, 30); // 2026-03-02 09:30 UTC

// Every status, checked at compile time both ways: a new status in the union breaks this line.
const ALL_STATUSES = ['awaiting_decision', 'granted', 'rejected', 'expired'] as const;
type Unlisted = Exclude<PermissionStatus, (typeof ALL_STATUSES)[number]>;
const everyStatusListed: [Unlisted] extends [never] ? true : false = true;

describe('permissionWaitPlan', () => {
  const cases: { title: string; policy: PermissionPolicy; reminderDays: number[] }[] = [
    { title: 'default policy 3,7 / 14', policy: { reminderAfterDays: [3, 7], expireAfterDays: 14 }, reminderDays: [3, 7] },
    { title: 'unsorted days are sorted', policy: { reminderAfterDays: [10, 1, 5], expireAfterDays: 14 }, reminderDays: [1, 5, 10] },
    { title: 'duplicates are sent once', policy: { reminderAfterDays: [7, 3, 3, 7], expireAfterDays: 14 }, reminderDays: [3, 7] },
    { title: 'zero and negative days are dropped', policy: { reminderAfterDays: [0, -2, 4], expireAfterDays: 14 }, reminderDays: [4] },
    { title: 'a reminder on the expiry day is dropped', policy: { reminderAfterDays: [3, 14], expireAfterDays: 14 }, reminderDays: [3] },
    { title: 'a reminder after expiry is dropped', policy: { reminderAfterDays: [20, 3], expireAfterDays: 14 }, reminderDays: [3] },
    { title: 'the day before expiry is kept', policy: { reminderAfterDays: [13], expireAfterDays: 14 }, reminderDays: [13] },
    { title: 'no reminders configured', policy: { reminderAfterDays: [], expireAfterDays: 14 }, reminderDays: [] },
  ];

  it.each(cases)('$title', ({ policy, reminderDays }) => {
    const plan = permissionWaitPlan(START, policy);
    expect(plan.reminders).toEqual(reminderDays.map((d, i) => ({ n: i + 1, at: START + d * DAY })));
    expect(plan.expiresAt).toBe(START + policy.expireAfterDays * DAY);
  });

  it('counts from the moment the request was filed', () => {
    const later = START + 2 * DAY + 999;
    expect(permissionWaitPlan(later, { reminderAfterDays: [3], expireAfterDays: 14 })).toEqual({ reminders: [{ n: 1, at: later + 3 * DAY }], expiresAt: later + 14 * DAY });
  });

  it('leaves the policy it was given untouched', () => {
    const policy = { reminderAfterDays: [7, 3, 3, 0], expireAfterDays: 14 };
    permissionWaitPlan(START, policy);
    expect(policy.reminderAfterDays).toEqual([7, 3, 3, 0]);
  });
});

describe('alreadyHolds', () => {
  const staff = (unitCode: string | null, area: string | null): HeldAssignment => ({ role: 'staff', unitCode, area });
  const target = { unitCode: '2661011', area: 'SR' as const };
  const table: [string, HeldAssignment[], boolean][] = [
    ['staff of the unit in that area', [staff('2661011', 'SR')], true],
    ['staff of the unit in another area', [staff('2661011', 'PS')], false],
    ['staff in that area of another gmina', [staff('2604011', 'SR')], false],
    ['staff of the powiat is another unit', [staff('2661', 'SR')], false],
    ['staff with no area', [staff('2661011', null)], false],
    ['another role in the unit and area', [{ role: 'local_admin', unitCode: '2661011', area: 'SR' }], false],
    ['the voivodeship administrator', [{ role: 'voivodeship_admin', unitCode: null, area: null }], false],
    ['one of several assignments matches', [staff('2661011', 'PS'), staff('2661011', 'SR')], true],
    ['no assignments', [], false],
  ];

  it.each(table)('%s → %s', (_title, assignments, held) => {
    expect(alreadyHolds(assignments, target)).toBe(held);
  });
});

describe('decisionRefusal', () => {
  const open: DecisionState = { status: 'awaiting_decision', openTaskId: 'task-1', decided: false };
  const accept: PermissionDecision = { taskId: 'task-1', decision: 'accept', decidedBy: 'adm-woj-26' };
  const reject = (reason?: string): PermissionDecision => ({ taskId: 'task-1', decision: 'reject', reason, decidedBy: 'adm-woj-26' });

  const table: [string, DecisionState, PermissionDecision, string | null][] = [
    ['accept on the open task', open, accept, null],
    ['reject with a reason', open, reject('Brak uzasadnienia'), null],
    ['reject without a reason', open, reject(), ErrorTypes.reasonRequired],
    ['reject with a blank reason', open, reject('   '), ErrorTypes.reasonRequired],
    ['reject with a two-letter reason', open, reject('ok'), ErrorTypes.reasonRequired],
    ['another task id', open, { ...accept, taskId: 'task-0' }, ErrorTypes.taskMismatch],
    ['a second decision while the first is applied', { ...open, decided: true }, accept, ErrorTypes.notAwaitingDecision],
    ['before the task is open', { ...open, openTaskId: null }, accept, ErrorTypes.notAwaitingDecision],
    ['after acceptance', { ...open, status: 'granted' }, accept, ErrorTypes.notAwaitingDecision],
    ['after rejection', { ...open, status: 'rejected' }, accept, ErrorTypes.notAwaitingDecision],
    ['after expiry', { ...open, status: 'expired', openTaskId: null }, accept, ErrorTypes.notAwaitingDecision],
  ];

  it.each(table)('%s → %s', (_title, state, decision, type) => {
    const refusal = decisionRefusal(state, decision);
    if (type === null) expect(refusal).toBeNull();
    else {
      expect(refusal?.type).toBe(type);
      expect(refusal?.message).toMatch(/^(Wniosek|To zadanie|Odrzucenie)/);
    }
  });

  it('names the status when the request no longer awaits a decision', () => {
    expect(decisionRefusal({ ...open, status: 'expired' }, accept)?.message).toContain('expired');
  });
});

describe('permissionWaitingFor', () => {
  it('has a row for every status', () => {
    expect(everyStatusListed).toBe(true);
  });

  it('waits on the voivodeship administrator while open', () => {
    expect(permissionWaitingFor('awaiting_decision')).toMatch(/decyzję administratora wojewódzkiego/);
  });

  it('is null exactly for the closed statuses', () => {
    for (const status of ALL_STATUSES) expect(permissionWaitingFor(status) === null).toBe(PERMISSION_CLOSED.includes(status));
  });
});

describe('PERMISSION_STATUS_LABELS', () => {
  it('labels every status and nothing else', () => {
    expect(Object.keys(PERMISSION_STATUS_LABELS).sort()).toEqual([...ALL_STATUSES].sort());
  });

  it('gives each status a different, non-empty label that is not the raw code', () => {
    const labels = Object.values(PERMISSION_STATUS_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
    for (const l of labels) {
      expect(l.trim()).not.toBe('');
      expect(l).not.toContain('_');
    }
  });

  it.each([
    ['awaiting_decision', /decyzj/],
    ['granted', /nadane/],
    ['rejected', /Odrzucony/],
    ['expired', /Wygasł/],
  ] as const)('%s says what it means', (status, pattern) => {
    expect(PERMISSION_STATUS_LABELS[status]).toMatch(pattern);
  });
});

describe('business key and titles', () => {
  it('one workflow id per account, unit and area', () => {
    const id = permissionRequestWorkflowId('8c0f0d7e-1111-4222-8333-444455556666', { unitCode: '2661011', area: 'OP-3' });
    expect(id).toBe('permission-8c0f0d7e-1111-4222-8333-444455556666-2661011-OP-3');
    expect(permissionRequestWorkflowId('a', { unitCode: '2661011', area: 'SR' })).not.toBe(permissionRequestWorkflowId('a', { unitCode: '2661011', area: 'FA' }));
    expect(permissionRequestWorkflowId('a', { unitCode: '2661', area: 'SR' })).not.toBe(permissionRequestWorkflowId('b', { unitCode: '2661', area: 'SR' }));
  });

  it('titles name the login, area and unit, and fit the 300-character column', () => {
    const target = { unitCode: '2661011', area: 'WRiSPZ' as const };
    const unit = 'Kielce (gmina miejska)';
    const login = 'x'.repeat(100);
    for (const title of [permissionCaseTitle(target, unit, login), permissionTaskTitle(target, unit, login)]) {
      expect(title).toContain('WRiSPZ');
      expect(title).toContain('Kielce (gmina miejska) (2661011)');
      expect(title.length).toBeLessThanOrEqual(300);
    }
  });
});
