import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { UnitSchema, type Unit } from '../../db/entities/index';
import type { Config } from '../../lib/config';
import { startWorkflow, type WorkflowArgs, type WorkflowName } from '../../lib/workflow-types';
import { SA, caseSearchAttributes } from '../../workflows/messages';
import { HttpError } from '../errors';
import { deleteStartingCase, insertStartingCaseOnce } from '../../db/queries/cases';

// Starting a case is starting its workflow under a business key: a second request for the same
// subject finds the open case instead of opening another one.

export const caseUrl = (caseId: string) => `/api/cases/${encodeURIComponent(caseId)}`;

/** The status of the open case under this key, or null when there is none. */
export async function openCaseStatus(temporal: Client, caseId: string, fallback: string): Promise<string | null> {
  try {
    const desc = await temporal.workflow.getHandle(caseId).describe();
    return desc.status.name === 'RUNNING' ? (desc.typedSearchAttributes.get(SA.status) ?? fallback) : null;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/**
 * Starts the case's workflow. With `row`, the case's row is written first (when it has none), so the URL
 * answered with 201 shows the case at once; if the workflow cannot be started, the row is taken back.
 */
export async function startCaseWorkflow<K extends WorkflowName>(
  temporal: Client,
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>,
  c: { workflowType: K; caseId: string; args: WorkflowArgs<K>; caseType: string; unitCode: string; voivodeship: string; status: string },
  row?: { em: EntityManager; title: string; waitingFor: string | null; accountId?: string | null; data: Record<string, unknown> },
): Promise<void> {
  const wrote = row
    ? await insertStartingCaseOnce(row.em, { id: c.caseId, type: c.caseType, status: c.status, unitCode: c.unitCode, voivodeship: c.voivodeship, title: row.title, waitingFor: row.waitingFor, accountId: row.accountId ?? null, data: row.data })
    : false;
  try {
    await startWorkflow(temporal, c.workflowType, {
      workflowId: c.caseId,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: c.args,
      // A closed case's key may be used again: the new run reopens the same case.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: caseSearchAttributes(c),
    });
  } catch (err) {
    if (wrote && row) await deleteStartingCase(row.em, c.caseId).catch(() => undefined);
    throw err;
  }
}

/** A gmina or powiat of TERC, or a 422 naming the field. */
export async function reportingUnit(em: EntityManager, code: string, path: string): Promise<Unit> {
  const unit = await em.findOne(UnitSchema, { code, kind: { $in: ['gmina', 'powiat'] } });
  if (!unit) {
    throw new HttpError(422, 'UNKNOWN_UNIT', 'Nie ma gminy ani powiatu o takim kodzie TERYT', [{ path, message: `Kod ${code} nie występuje w rejestrze TERC` }]);
  }
  return unit;
}
