import { decidePermissionRequest } from '../../workflows/messages';
import { openDecisionTasks } from './decisions';
import type { Stack } from './stack';
import { f1, int, log, processCpuMs, processRssMb, sleep, stopProcess, type Row, type Settings } from './util';

// Part 5: the worker process (node dist/worker/main.js) holding the cases parts 1 and 2 left waiting on
// timers and tasks: its resident memory and CPU while idle; then it is killed (SIGKILL, as a crash or an
// OOM kill would) and started again, and the time is taken from the new process's start until a waiting
// case moves again (a decision sent at that instant is answered by the workflow).

export async function workerFootprint(s: Stack, settings: Settings, command: string): Promise<Row[]> {
  const [spare] = await openDecisionTasks(s, 1, `bench-${s.engine.short}-restart`);
  const waiting = (await s.client.workflow.count('ExecutionStatus="Running"')).count;
  const pid = s.worker.child.pid!;
  const mem = processRssMb(pid);
  const cpu0 = processCpuMs(pid);
  const t0 = performance.now();
  await sleep(settings.idleSeconds * 1000);
  const idleCpu = (processCpuMs(pid) - cpu0) / (performance.now() - t0);
  const after = processRssMb(pid);
  log(`${s.engine.short} 5: ${int(waiting)} running workflows; worker RSS ${f1(after.rss)} MB (peak ${f1(after.peak)} MB), idle CPU ${f1(idleCpu * 100)} %`);

  log(`${s.engine.short} 5: killing the worker (SIGKILL) and starting it again`);
  await stopProcess(s.worker, 'SIGKILL');
  const t1 = performance.now();
  s.worker = await s.startWorker();
  await s.client.workflow.getHandle(spare.caseId).executeUpdate(decidePermissionRequest, { args: [{ taskId: spare.taskId, decision: 'accept', decidedBy: 'bench-adm-26' }] });
  const moving = performance.now() - t1;
  const fresh = processRssMb(s.worker.child.pid!);
  log(`${s.engine.short} 5: a waiting case moved ${f1(moving / 1000)} s after the restart; new worker RSS ${f1(fresh.rss)} MB`);
  return [
    {
      id: '5a',
      part: '5 Worker footprint',
      engine: s.engine.name,
      figure: `Worker process with ${int(waiting)} running workflows waiting on timers and tasks: resident memory`,
      measured: `${f1(after.rss)} MB (peak during the run ${f1(after.peak)} MB)`,
      reference: `idle CPU ${f1(idleCpu * 100)} % of a core over ${settings.idleSeconds} s`,
      ratio: '—',
      target: '< 300 MB',
      pass: after.rss < 300,
      command,
      values: { waiting, rssMb: after.rss, peakRssMb: after.peak, rssBeforeIdleMb: mem.rss, idleCpuPercent: idleCpu * 100 },
    },
    {
      id: '5b',
      part: '5 Worker footprint',
      engine: s.engine.name,
      figure: 'Worker killed (SIGKILL) and started again: until a waiting case moves (a decision answered)',
      measured: `${f1(moving / 1000)} s`,
      reference: `new worker RSS ${f1(fresh.rss)} MB`,
      ratio: '—',
      target: '< 5 s',
      pass: moving < 5000,
      command,
      values: { movingAgainMs: Math.round(moving), freshRssMb: fresh.rss },
    },
  ];
}
