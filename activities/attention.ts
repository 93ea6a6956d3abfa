import { Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Mailer } from '../lib/mailer';
import { renderMail, type Templates } from '../lib/templates';
import { deliver, caseLink } from './mail';
import { classifyActivityError, PERMANENT_REASONS, permanentKind } from './failures';

// Issue 14 item 2: no invisible stuck case. Every activity runs through this interceptor: an error no retry
// can fix fails the activity at once (activities/failures.ts); such a failure, or an activity failing
// ATTENTION_AFTER_ATTEMPTS times in a row, marks its case "wymaga interwencji" with a reason free of
// personal data, and mails the operator (OPERATOR_EMAIL) once per case run. An activity that then
// succeeds clears a mark its retries set.

export interface AttentionDeps {
  orm: MikroORM;
  mailer: Mailer;
  templates: Templates;
  from: string;
  publicUrl: string;
  operatorEmail?: string;
  afterAttempts: number;
}

const RETRYING_PREFIX = 'Czynność ponawiana bez skutku';

/** The reason shown on the case page and in the operator's mail: fixed words, the step's name, the count. */
export function attentionReason(activityType: string, attempt: number, err: unknown): string {
  const kind = permanentKind(err);
  if (kind) return `Krok „${activityType}” zatrzymany: ${PERMANENT_REASONS[kind]}; ponawianie nie pomoże`;
  return `${RETRYING_PREFIX} (krok „${activityType}”, ${attempt} prób)`;
}

export async function markAttention(deps: AttentionDeps, workflowId: string, runId: string, reason: string): Promise<void> {
  const em = deps.orm.em.fork();
  const rows = await em.execute<{ id: string }[]>(
    `update cases set attention_reason = ?, attention_at = coalesce(attention_at, now()) where id = ? returning id`,
    [reason.slice(0, 300), workflowId],
  );
  if (!deps.operatorEmail) return;
  const caseId = rows.length > 0 ? workflowId : null;
  const content = renderMail(deps.templates, 'operator-attention', { case: { id: workflowId }, workflowId, reason, link: caseId ? caseLink(deps.publicUrl, caseId) : null });
  // One mail per case run (the outbox key); a mail that failed is sent again on the next failing attempt.
  await deliver(em, deps.mailer, deps.from, { key: `attention:${workflowId}:${runId}`, caseId, to: deps.operatorEmail, template: 'operator-attention', ...content });
}

/** Clears a mark that retries set, once the step went through. */
async function clearRetryingMark(deps: AttentionDeps, workflowId: string): Promise<void> {
  await deps.orm.em
    .fork()
    .execute(`update cases set attention_reason = null, attention_at = null where id = ? and attention_at is not null and attention_reason like ?`, [workflowId, `${RETRYING_PREFIX}%`]);
}

export function attentionInterceptor(deps: AttentionDeps) {
  return (ctx: Context): { inbound: ActivityInboundCallsInterceptor } => ({
    inbound: {
      async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
        const { workflowExecution, activityType, attempt } = ctx.info;
        try {
          const result = await next(input);
          if (attempt >= deps.afterAttempts && workflowExecution) await clearRetryingMark(deps, workflowExecution.workflowId).catch(() => undefined);
          return result;
        } catch (err) {
          const classified = classifyActivityError(err);
          const permanent = classified !== err;
          if (workflowExecution && (permanent || attempt >= deps.afterAttempts)) {
            // Marking must not hide the activity's own failure: its errors are only logged.
            await markAttention(deps, workflowExecution.workflowId, workflowExecution.runId, attentionReason(activityType, attempt, err)).catch((markErr: unknown) => {
              ctx.log.warn('could not mark the case for attention', { workflowId: workflowExecution.workflowId, error: markErr instanceof Error ? markErr.name : 'unknown' });
            });
          }
          throw classified;
        }
      },
    },
  });
}
