import { randomUUID } from 'node:crypto';
import type { ApiDeps } from '../deps';
import { caseVisibilitySql, type Principal } from '../access';
import { HttpError } from '../errors';
import { startWorkflow } from '../../lib/workflow-types';

// The outbox seen by officials: a message of a case within their scope may be sent again, except one that
// carried a password (it was redacted after sending; the person asks for a password reminder instead).

export async function resendOutboxMail({ orm, temporal, config }: Pick<ApiDeps, 'orm' | 'temporal' | 'config'>, principal: Principal, mailId: string): Promise<{ mailId: string }> {
  const vis = caseVisibilitySql(principal);
  const rows = await orm.em.fork().execute<{ redacted: boolean }[]>(`select o.redacted from outbox o join cases c on c.id = o.case_id where o.id = ? and ${vis.sql}`, [mailId, ...vis.params]);
  if (!rows[0]) throw new HttpError(404, 'NOT_FOUND', 'Nie ma takiej wiadomości w Twoim zakresie');
  if (rows[0].redacted) throw new HttpError(409, 'MAIL_REDACTED', 'Tej wiadomości nie można wysłać ponownie, bo zawierała hasło; użyj przypomnienia hasła');
  await startWorkflow(temporal, 'mailResendWorkflow', { workflowId: `mail-resend-${randomUUID()}`, taskQueue: config.TEMPORAL_TASK_QUEUE, args: [{ mailId }] });
  return { mailId };
}
