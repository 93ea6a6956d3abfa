import { canActOnTask, canOnCase, isCaseParty, type Assignment, type CaseScope, type Principal } from '../../api/access';
import { statusLabel } from '../../api/case-view';
import {
  ErrorTypes,
  IDENTITY_MERGE_CLOSED,
  IdentityMergeErrorTypes,
  identityMergeWorkflowId,
  type IdentityMergeDecision,
  type IdentityMergeStatus,
} from '../../workflows/messages';
import {
  IDENTITY_MERGE_STATUS_LABELS,
  confirmationDeadline,
  confirmationRefusal,
  identityMergeWaitingFor,
  mergeDecisionRefusal,
  mergeRequestRefusal,
  mergeScope,
  type MergeState,
  type ScopeAssignment,
} from '../../workflows/rules/identity-merge';

const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 2, 9, 30);

// Every status, checked at compile time both ways: a new status in the union breaks this line.
const ALL_STATUSES = ['awaiting_confirmation', 'awaiting_approval', 'merged', 'rejected', 'expired'] as const;
type Unlisted = Exclude<IdentityMergeStatus, (typeof ALL_STATUSES)[number]>;
const everyStatusListed: [Unlisted] extends [never] ? true : false = true;

const a = (role: string, voivodeship: string | null, unitCode: string | null): ScopeAssignment => ({ role, voivodeship, unitCode });

describe('mergeScope', () => {
  it.each([
    ['JOPS staff: the unit and voivodeship of the first assignment; the voivodeship administrator approves', [a('staff', '26', '2661011'), a('staff', '12', '1261011')], { unitCode: '2661011', voivodeship: '26', approver: { role: 'voivodeship_admin', voivodeship: '26' } }],
    ['an assignment without a voivodeship is skipped for the first one with one', [a('ministry', null, null), a('staff', '12', '1261011')], { unitCode: '1261011', voivodeship: '12', approver: { role: 'voivodeship_admin', voivodeship: '12' } }],
    ['a voivodeship administrator: no unit', [a('voivodeship_admin', '26', null)], { unitCode: '', voivodeship: '26', approver: { role: 'voivodeship_admin', voivodeship: '26' } }],
    ['ministry staff: no scope, the ministry approves', [a('ministry', null, null)], { unitCode: '', voivodeship: '00', approver: { role: 'ministry', voivodeship: null } }],
    ['no assignments at all: the ministry approves', [], { unitCode: '', voivodeship: '00', approver: { role: 'ministry', voivodeship: null } }],
  ] as [string, ScopeAssignment[], ReturnType<typeof mergeScope>][])('%s', (_t, assignments, scope) => {
    expect(mergeScope(assignments)).toEqual(scope);
  });
});

describe('confirmationDeadline', () => {
  it.each([[14], [1], [30]])('%i days after the request', (days) => {
    expect(confirmationDeadline(START, days)).toBe(START + days * DAY);
  });
});

describe('mergeRequestRefusal', () => {
  const me = { id: 'id-a', login: 'akowalska' };
  it.each([
    ['the same login', { id: 'id-a', status: 'active' }, 'akowalska', 400, 'SELF_MERGE'],
    ['the same account (self check comes before the lookup result)', null, 'akowalska', 400, 'SELF_MERGE'],
    ['an unknown login', null, 'nikt', 422, 'UNKNOWN_ACCOUNT'],
    ['a disabled account', { id: 'id-b', status: 'disabled' }, 'bkowalska', 422, 'UNKNOWN_ACCOUNT'],
    ['an account merged already', { id: 'id-b', status: 'merged' }, 'bkowalska', 422, 'UNKNOWN_ACCOUNT'],
  ] as const)('refuses %s', (_t, other, login, status, code) => {
    expect(mergeRequestRefusal(me, other, login)).toMatchObject({ status, code });
  });

  it('gives unknown, disabled and merged accounts one and the same answer', () => {
    const answers = [null, { id: 'b', status: 'disabled' }, { id: 'b', status: 'merged' }].map((o) => mergeRequestRefusal(me, o, 'x'));
    expect(new Set(answers.map((r) => JSON.stringify(r))).size).toBe(1);
  });

  it('accepts another active account', () => {
    expect(mergeRequestRefusal(me, { id: 'id-b', status: 'active' }, 'bkowalska')).toBeNull();
  });
});

const state = (over: Partial<MergeState> = {}): MergeState => ({
  status: 'awaiting_confirmation',
  otherAccountId: 'id-b',
  confirmed: false,
  openTaskId: null,
  decided: false,
  ...over,
});

describe('confirmationRefusal', () => {
  it.each([
    ['the other account, while awaiting confirmation', state(), 'id-b', null],
    ['the survivor: its request already counts as its confirmation', state(), 'id-a', IdentityMergeErrorTypes.notConfirmer],
    ['a third account', state(), 'id-c', IdentityMergeErrorTypes.notConfirmer],
    ['a second confirmation', state({ confirmed: true }), 'id-b', IdentityMergeErrorTypes.notAwaitingConfirmation],
    ['after confirmation, awaiting approval', state({ status: 'awaiting_approval', confirmed: true }), 'id-b', IdentityMergeErrorTypes.notAwaitingConfirmation],
    ['an expired request', state({ status: 'expired' }), 'id-b', IdentityMergeErrorTypes.notAwaitingConfirmation],
  ] as [string, MergeState, string, string | null][])('%s', (_t, s, accountId, type) => {
    expect(confirmationRefusal(s, { accountId, confirmedBy: 'x' })?.type ?? null).toBe(type);
  });
});

describe('mergeDecisionRefusal', () => {
  const open = state({ status: 'awaiting_approval', confirmed: true, openTaskId: 'task-1' });
  const d = (over: Partial<IdentityMergeDecision> = {}): IdentityMergeDecision => ({ taskId: 'task-1', decision: 'accept', decidedBy: 'adm-woj-26', ...over });
  it.each([
    ['acceptance of the open task', open, d(), null],
    ['rejection with a reason', open, d({ decision: 'reject', reason: 'Różne osoby' }), null],
    ['rejection without a reason', open, d({ decision: 'reject' }), ErrorTypes.reasonRequired],
    ['rejection with a blank reason', open, d({ decision: 'reject', reason: '   ' }), ErrorTypes.reasonRequired],
    ['another task', open, d({ taskId: 'task-0' }), ErrorTypes.taskMismatch],
    ['before confirmation', state(), d(), ErrorTypes.notAwaitingDecision],
    ['a second decision', { ...open, decided: true }, d(), ErrorTypes.notAwaitingDecision],
    ['after the merge', { ...open, status: 'merged' as const }, d(), ErrorTypes.notAwaitingDecision],
  ] as [string, MergeState, IdentityMergeDecision, string | null][])('%s', (_t, s, decision, type) => {
    expect(mergeDecisionRefusal(s, decision)?.type ?? null).toBe(type);
  });
});

describe('statuses', () => {
  it('lists every status', () => {
    expect(everyStatusListed).toBe(true);
    expect(Object.keys(IDENTITY_MERGE_STATUS_LABELS).sort()).toEqual([...ALL_STATUSES].sort());
  });

  it.each(ALL_STATUSES)('%s: a Polish label, and a waiting sentence exactly while open', (status) => {
    expect(statusLabel({ type: 'identity-merge', status })).toBe(IDENTITY_MERGE_STATUS_LABELS[status]);
    expect(IDENTITY_MERGE_STATUS_LABELS[status]).not.toBe(status);
    const waiting = identityMergeWaitingFor(status);
    if (IDENTITY_MERGE_CLOSED.includes(status)) expect(waiting).toBeNull();
    else expect(waiting).toMatch(/^Czeka na /);
  });

  it('the business key puts the survivor first', () => {
    expect(identityMergeWorkflowId('id-a', 'id-b')).toBe('identity-merge-id-a-id-b');
  });
});

describe('access to a merge case', () => {
  const principal = (accountId: string, ...assignments: Assignment[]): Principal => ({ accountId, login: accountId, assignments, mustChangePassword: false, via: 'token' });
  const staff = (unitCode: string, area: string): Assignment => ({ role: 'staff', voivodeship: '26', unitCode, area });
  const survivor = principal('id-a', staff('2661011', 'PS'));
  const other = principal('id-b', staff('2661021', 'SR'));
  const colleague = principal('id-c', staff('2661011', 'PS'));
  const admin26 = principal('id-adm26', { role: 'voivodeship_admin', voivodeship: '26', unitCode: null, area: null });
  const admin12 = principal('id-adm12', { role: 'voivodeship_admin', voivodeship: '12', unitCode: null, area: null });
  const ministry = principal('id-min', { role: 'ministry', voivodeship: null, unitCode: null, area: null });
  const merge: CaseScope = { type: 'identity-merge', voivodeship: '26', unitCode: '2661011', accountId: 'id-a', data: { otherAccountId: 'id-b' } };

  it.each([
    ['survivor', survivor, true, false, true],
    ['other account', other, true, true, true],
    ['a colleague at the survivor\'s unit (a personal case)', colleague, false, false, false],
    ['voivodeship administrator of 26', admin26, true, false, false],
    ['voivodeship administrator of 12', admin12, false, false, false],
    ['ministry', ministry, true, false, false],
  ] as [string, Principal, boolean, boolean, boolean][])('%s: view %s, confirm %s, party %s', (_t, p, view, confirm, party) => {
    expect(canOnCase(p, 'view', merge)).toBe(view);
    expect(canOnCase(p, 'confirm-merge', merge)).toBe(confirm);
    expect(isCaseParty(p, merge)).toBe(party);
  });

  it('data naming an account means nothing on a case of another type', () => {
    const other2: CaseScope = { ...merge, type: 'permission', accountId: 'id-x' };
    expect(canOnCase(other, 'view', other2)).toBe(false);
    expect(canOnCase(other, 'confirm-merge', other2)).toBe(false);
  });

  it('the ministry approves a merge without a voivodeship; a voivodeship administrator does not', () => {
    const task = { role: 'ministry' as const, voivodeship: null, unitCode: null };
    expect(canActOnTask(ministry, task)).toBe(true);
    expect(canActOnTask(admin26, task)).toBe(false);
  });
});
