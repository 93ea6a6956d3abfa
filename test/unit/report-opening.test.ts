import { isPolishHoliday } from '../../lib/holidays';
import { nextMilestone, overdueAtOpening } from '../../workflows/rules/report';
import { DEFAULT_REPORT_POLICY, reportPlan } from '../../workflows/rules/reporting-calendar';

// A report whose campaign opens after its due date (workflows/report.ts waited only for milestones after
// the opening, so it was never flagged overdue). Due Monday 28 December 2026: the deadline is the end of
// that day in Warsaw, 23:00 UTC.
const plan = reportPlan('2026-12-28', DEFAULT_REPORT_POLICY, isPolishHoliday);

test('opened after the deadline: the overdue milestone is owed at once, and nothing else from the past', () => {
  const late = Date.parse('2027-01-04T10:00:00Z');
  expect(overdueAtOpening(plan, late)).toMatchObject({ kind: 'overdue', at: Date.parse('2026-12-28T23:00:00Z') });
  // What the main loop would wait for next: nothing before the opening (no late reminders).
  expect(nextMilestone(plan, late)?.at ?? Infinity).toBeGreaterThan(late);
});

test('opened before the deadline: nothing is owed at opening', () => {
  expect(overdueAtOpening(plan, Date.parse('2026-12-28T22:59:59Z'))).toBeNull();
  expect(overdueAtOpening(plan, Date.parse('2026-11-23T09:00:00Z'))).toBeNull();
});
