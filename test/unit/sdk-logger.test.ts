import { ApplicationFailure } from '@temporalio/common';
import { temporalLogger } from '../../lib/logger';

// Issue 14 item 3: the SDK logs failed activities and workflows with their error; the SDK's logger (one
// stream with the process's own lines, issue 17 item 2) keeps the error's class and failure type and drops
// its text (which can quote an applicant's data).

test('a failed activity is logged with ids and the failure type, without the error text', () => {
  const lines: string[] = [];
  const capture = (m: string, f?: Record<string, unknown>) => lines.push(JSON.stringify({ m, ...f }));
  const sdk = temporalLogger({ debug: capture, info: capture, warn: capture, error: capture });
  const cause = new Error("insert into cases … 'Bożydar Wścibski', 'bozydar.wscibski@example.pl' - unsupported Unicode escape sequence");
  sdk.warn('Activity failed', { workflowId: 'registration-2661011-abc', attempt: 3, error: ApplicationFailure.create({ type: 'InvalidData', message: cause.message, nonRetryable: true, cause }) });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('registration-2661011-abc');
  expect(lines[0]).toContain('InvalidData');
  expect(lines[0]).not.toMatch(/Bożydar|Wścibski|bozydar|insert into/);
});
