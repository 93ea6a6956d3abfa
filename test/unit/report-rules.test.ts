import { isPolishHoliday } from '../../lib/holidays';
import { canonicalJson, receiptNumberFor } from '../../lib/receipts';
import { absenceRefusal, dataReplyRefusal, dataRequestRefusal, designationRefusal, editRefusal, statusWithRequests, nextMilestone, reportMilestones, taskHolder, verificationRefusal } from '../../workflows/rules/report';
import { DEFAULT_REPORT_POLICY, dataRequestPlan, reportPlan } from '../../workflows/rules/reporting-calendar';
import type { ReportStatus } from '../../workflows/messages';

const plan = reportPlan('2026-12-28', DEFAULT_REPORT_POLICY, isPolishHoliday);

test('milestones in order: three reminders, the head on the due day, overdue at its end, the voivodeship later', () => {
  expect(reportMilestones(plan).map((m) => [m.kind, new Date(m.at).toISOString()])).toEqual([
    ['reminder', '2026-12-15T07:00:00.000Z'],
    ['reminder', '2026-12-21T07:00:00.000Z'],
    ['reminder', '2026-12-23T07:00:00.000Z'],
    ['head', '2026-12-28T07:00:00.000Z'],
    ['overdue', '2026-12-28T23:00:00.000Z'],
    ['voivodeship', '2026-12-31T07:00:00.000Z'],
  ]);
  expect(nextMilestone(plan, Date.parse('2026-12-23T07:00:00Z'))?.kind).toBe('head');
  expect(nextMilestone(plan, Date.parse('2027-01-01T00:00:00Z'))).toBeNull();
});

describe('draft and submission refusals', () => {
  test.each<[ReportStatus, boolean, unknown, string | null]>([
    ['not_started', false, { a: 1 }, null],
    ['draft', false, { a: 1 }, null],
    ['returned', false, { a: 1 }, null],
    ['submitted', false, { a: 1 }, 'REPORT_NOT_EDITABLE'],
    ['accepted', false, { a: 1 }, 'REPORT_NOT_EDITABLE'],
    ['draft', true, { a: 1 }, 'REPORT_NOT_EDITABLE'],
    ['draft', false, {}, 'REPORT_CONTENT_INVALID'],
    ['draft', false, [1, 2], 'REPORT_CONTENT_INVALID'],
    ['draft', false, null, 'REPORT_CONTENT_INVALID'],
  ])('%s (submitting %s) with %j: %s', (status, submitting, content, type) => {
    expect(editRefusal({ status, submitting }, content)?.type ?? null).toBe(type);
  });
});

describe('verification refusals', () => {
  const open = { status: 'submitted' as ReportStatus, openTaskId: 't1', decided: false };
  test.each<[string, typeof open, { taskId: string; decision: 'accept' | 'reject'; reason?: string }, string | null]>([
    ['accept', open, { taskId: 't1', decision: 'accept' }, null],
    ['return with comments', open, { taskId: 't1', decision: 'reject', reason: 'Wiersz 2 błędny' }, null],
    ['return without comments', open, { taskId: 't1', decision: 'reject' }, 'REASON_REQUIRED'],
    ['an old task', open, { taskId: 't0', decision: 'accept' }, 'TASK_NOT_OPEN'],
    ['already decided', { ...open, decided: true }, { taskId: 't1', decision: 'accept' }, 'CASE_NOT_AWAITING_DECISION'],
    ['after acceptance', { ...open, status: 'accepted' }, { taskId: 't1', decision: 'accept' }, 'CASE_NOT_AWAITING_DECISION'],
  ])('%s', (_name, state, d, type) => {
    expect(verificationRefusal(state, { ...d, decidedBy: 'adm' })?.type ?? null).toBe(type);
  });
});

test('canonical JSON: key order does not change the hash input; receipt numbers are deterministic', () => {
  expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'ż' } })).toBe('{"a":{"c":"ż","d":[1,{"y":2,"z":1}]},"b":1}');
  const at = new Date('2026-12-20T10:00:00Z');
  expect(receiptNumberFor('report-X-2026-Q3-2661011', 1, at)).toBe(receiptNumberFor('report-X-2026-Q3-2661011', 1, at));
  expect(receiptNumberFor('report-X-2026-Q3-2661011', 1, at)).not.toBe(receiptNumberFor('report-X-2026-Q3-2661011', 2, at));
  expect(receiptNumberFor('report-X-2026-Q3-2661011', 1, at)).toMatch(/^UPO\/20261220\/[0-9A-F]{12}$/);
});

describe('responsible person and substitute', () => {
  const a = { accountId: 'a', login: 'anna' };
  const b = { accountId: 'b', login: 'bartek' };
  test('the task is held by the responsible person, by the substitute while they are away, by nobody before a designation', () => {
    expect(taskHolder({ responsible: null, substitute: null, absent: false })).toBeNull();
    expect(taskHolder({ responsible: a, substitute: b, absent: false })).toBe('anna');
    expect(taskHolder({ responsible: a, substitute: b, absent: true })).toBe('bartek');
  });
  test('a substitute who is the responsible person, or a designation after acceptance, is refused', () => {
    expect(designationRefusal('draft', { responsible: a, substitute: { ...a }, designatedBy: 'head' })?.type).toBe('REPORT_SUBSTITUTE_SAME_AS_RESPONSIBLE');
    expect(designationRefusal('accepted', { responsible: a, substitute: b, designatedBy: 'head' })?.type).toBe('REPORT_NOT_EDITABLE');
    expect(designationRefusal('returned', { responsible: a, substitute: null, designatedBy: 'head' })).toBeNull();
  });
  test('an absence needs a responsible person and a substitute; a return only the former', () => {
    expect(absenceRefusal({ responsible: null, substitute: null, absent: false }, { absent: true, by: 'x' })?.type).toBe('REPORT_NO_RESPONSIBLE');
    expect(absenceRefusal({ responsible: a, substitute: null, absent: false }, { absent: true, by: 'x' })?.type).toBe('REPORT_NO_SUBSTITUTE');
    expect(absenceRefusal({ responsible: a, substitute: null, absent: false }, { absent: false, by: 'x' })).toBeNull();
    expect(absenceRefusal({ responsible: a, substitute: b, absent: false }, { absent: true, by: 'x' })).toBeNull();
  });
});

describe('data requests', () => {
  test('due at the end of a working day; reminded at 08:00 Warsaw the working day before, unless that is past', () => {
    // 1 May 2026 is a Friday and a holiday, 3 May a Sunday: due Monday 4 May, reminded Thursday 30 April.
    expect(dataRequestPlan('2026-05-01', Date.parse('2026-04-01T00:00:00Z'), isPolishHoliday)).toEqual({
      dueDate: '2026-05-04',
      reminderAt: '2026-04-30T06:00:00.000Z',
      deadlineAt: '2026-05-04T22:00:00.000Z',
    });
    expect(dataRequestPlan('2026-05-04', Date.parse('2026-04-30T12:00:00Z'), isPolishHoliday).reminderAt).toBeNull();
  });
  test('asked only while the report is editable and before its deadline', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(dataRequestRefusal({ status: 'draft', submitting: false }, '2026-12-10T23:00:00Z', now)).toBeNull();
    expect(dataRequestRefusal({ status: 'draft', submitting: false }, '2026-11-30T23:00:00Z', now)?.type).toBe('DATA_REQUEST_DUE_INVALID');
    expect(dataRequestRefusal({ status: 'submitted', submitting: false }, '2026-12-10T23:00:00Z', now)?.type).toBe('REPORT_NOT_EDITABLE');
  });
  test('a reply or cancellation of a closed request, or an empty reply, is refused', () => {
    expect(dataReplyRefusal('open', false, 'dane')).toBeNull();
    expect(dataReplyRefusal('answered', false, 'dane')?.type).toBe('DATA_REQUEST_CLOSED');
    expect(dataReplyRefusal('cancelled', false, null)?.message).toContain('anulowana');
    expect(dataReplyRefusal('open', true, 'dane')?.type).toBe('DATA_REQUEST_CLOSED');
    expect(dataReplyRefusal('open', false, '  ')?.type).toBe('DATA_REPLY_EMPTY');
  });
  test('awaiting data while any request is open; back to draft (or returned) when none is', () => {
    expect(statusWithRequests('not_started', 'draft', 1)).toEqual({ status: 'awaiting_data', before: 'draft' });
    expect(statusWithRequests('returned', 'draft', 2)).toEqual({ status: 'awaiting_data', before: 'returned' });
    expect(statusWithRequests('awaiting_data', 'returned', 0)).toEqual({ status: 'returned', before: 'returned' });
    expect(statusWithRequests('awaiting_data', 'draft', 1).status).toBe('awaiting_data');
    expect(statusWithRequests('submitted', 'draft', 1).status).toBe('submitted');
  });
});
