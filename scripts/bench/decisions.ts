import { bounded } from '../../lib/bounded';
import { ensureAccount, issueToken } from '../../db/demo';
import { decidePermissionRequest, getPermissionRequestStatus } from '../../workflows/messages';
import type { Stack } from './stack';
import { callOk, f1, f2, int, log, quantile, until, type Row, type Settings } from './util';

// Part 2: completing a decision task through the API (POST /api/tasks/:id/complete: authentication,
// access decision, audit row, the workflow update, its answer) against the same update sent directly
// with the client, one at a time, the two ways alternating so that both see the same machine.
// The tasks are permission requests (seed 000) of staff in one unit, decided by the voivodeship.

export interface DecisionTask {
  taskId: string;
  caseId: string;
}

/** Opens `count` permission requests through the API and returns their open decision tasks. */
export async function openDecisionTasks(s: Stack, count: number, prefix: string): Promise<DecisionTask[]> {
  const conn = () => s.orm.em.fork().getConnection();
  const logins = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const caseIds: string[] = [];
  await bounded(logins, 8, async (login) => {
    const id = await ensureAccount(s.orm, { login, firstName: 'Bench', lastName: login, role: 'staff', voivodeship: '26' });
    await conn().execute("update role_assignments set unit_code = '2661011', area = 'PS' where account_id = ? and role = 'staff'", [id]);
    const token = await issueToken(s.orm, login, 'bench');
    const r = await callOk(s.base, token, 'POST', '/api/permission-requests', { unitCode: '2661011', area: 'SR', justification: 'Pomiar wydajności' });
    caseIds.push(String(r.id));
  });
  const rows = async () =>
    conn().execute<{ id: string; case_id: string }[]>("select id, case_id from tasks where status = 'open' and kind = 'permission-decision' and case_id in (?) order by case_id", [caseIds]);
  await until(async () => (await rows()).length >= count, 600_000, `${count} decision tasks`, 250);
  const tasks = (await rows()).map((r) => ({ taskId: r.id, caseId: r.case_id }));
  // The task's row is written by the activity before the workflow records the task as open: wait for the
  // workflow too, so that a decision is never refused as early.
  for (const t of tasks) {
    await until(async () => (await s.client.workflow.getHandle(t.caseId).query(getPermissionRequestStatus)).openTaskId === t.taskId, 120_000, `the task of ${t.caseId}`, 100);
  }
  return tasks;
}

export async function taskDecisions(s: Stack, settings: Settings, command: string): Promise<Row> {
  const warm = 4;
  log(`${s.engine.short} 2: opening ${settings.decisions + warm} permission requests`);
  const tasks = await openDecisionTasks(s, settings.decisions + warm, `bench-${s.engine.short}-staff`);
  const api: number[] = [];
  const direct: number[] = [];
  log(`${s.engine.short} 2: deciding them, API and direct alternating`);
  for (const [i, task] of tasks.entries()) {
    const t = performance.now();
    if (i % 2 === 0) {
      await callOk(s.base, s.tokens.admin26, 'POST', `/api/tasks/${encodeURIComponent(task.taskId)}/complete`, { decision: 'accept' });
      if (i >= warm) api.push(performance.now() - t);
    } else {
      await s.client.workflow.getHandle(task.caseId).executeUpdate(decidePermissionRequest, { args: [{ taskId: task.taskId, decision: 'accept', decidedBy: 'bench-adm-26' }] });
      if (i >= warm) direct.push(performance.now() - t);
    }
  }
  const ratio = quantile(api, 0.95) / quantile(direct, 0.95);
  return {
    id: '2',
    part: '2 Task decisions',
    engine: s.engine.name,
    figure: `Permission decision (accept), ${int(api.length)} + ${int(direct.length)} one at a time: p50 / p95`,
    measured: `API ${f1(quantile(api, 0.5))} / ${f1(quantile(api, 0.95))} ms`,
    reference: `direct update ${f1(quantile(direct, 0.5))} / ${f1(quantile(direct, 0.95))} ms`,
    ratio: `${f2(ratio)}× direct p95`,
    target: 'p95 ≤ 1.2× direct',
    pass: ratio <= 1.2,
    command,
    values: { apiP50: quantile(api, 0.5), apiP95: quantile(api, 0.95), directP50: quantile(direct, 0.5), directP95: quantile(direct, 0.95), ratio, n: api.length },
  };
}
