import { upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA } from './messages';

export type CaseEvent = Parameters<Activities['updateCase']>[0]['event'];

/**
 * One way for every case workflow to move its case to a new status: workflow state, the Temporal
 * search attributes (filterable in the UI) and the read model change together.
 */
export function caseStatusSetter<S extends string>(opts: {
  caseId: string;
  state: { status: S; deadline: number | null };
  updateCase: Activities['updateCase'];
  waitingFor: (s: S) => string | null;
  closed: (s: S) => boolean;
}) {
  return async (status: S, deadline: number | null, event?: CaseEvent): Promise<void> => {
    opts.state.status = status;
    opts.state.deadline = deadline;
    upsertSearchAttributes([
      { key: SA.status, value: status },
      { key: SA.deadline, value: deadline === null ? null : new Date(deadline) },
    ]);
    await opts.updateCase({
      caseId: opts.caseId,
      status,
      waitingFor: opts.waitingFor(status),
      deadline: deadline === null ? null : new Date(deadline).toISOString(),
      closed: opts.closed(status),
      event,
    });
  };
}
