import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { taskDecisions } from './decisions';
import { documents } from './documents';
import { workerFootprint } from './footprint';
import { readModel, type Explain } from './read-model';
import { devEngine, startStack, startTemporalServer, type Engine } from './stack';
import { campaignStarts } from './starts';
import { f1, log, ROOT, type Row, type Settings } from './util';

// `npm run bench` (scripts/bench.sh brings up PostgreSQL and the Temporal dev server, builds, then runs
// this): every measurement of issue 18 next to its reference in the same run, one table, written to
// BENCHMARKS.md and BENCHMARKS.json. BENCH_QUICK=1 scales everything down for a quick look;
// BENCH_ONLY=starts,decisions,read,documents,worker,engine runs some parts only.

const QUICK = process.env.BENCH_QUICK === '1';
const num = (k: string, full: number, quick: number) => (process.env[k] ? Number(process.env[k]) : QUICK ? quick : full);
const settings: Settings = {
  quick: QUICK,
  units: num('BENCH_UNITS', 2477, 300),
  decisions: num('BENCH_DECISIONS', 100, 20),
  readModelSizes: (process.env.BENCH_CASES ?? (QUICK ? '20000,100000' : '100000,1000000')).split(',').map(Number),
  readModelRequests: num('BENCH_REQUESTS', 2000, 600),
  pdfsShared: num('BENCH_PDFS', 60, 20),
  pdfsPerDocument: num('BENCH_PDF_LAUNCHES', 10, 4),
  idleSeconds: num('BENCH_IDLE_SECONDS', 30, 10),
};
const ONLY = new Set((process.env.BENCH_ONLY ?? 'starts,decisions,worker,read,documents,engine').split(','));
const OVERRIDES = ['BENCH_QUICK', 'BENCH_UNITS', 'BENCH_DECISIONS', 'BENCH_CASES', 'BENCH_REQUESTS', 'BENCH_PDFS', 'BENCH_PDF_LAUNCHES', 'BENCH_IDLE_SECONDS']
  .filter((k) => process.env[k])
  .map((k) => `${k}=${process.env[k]} `)
  .join('');
const cmd = (part: string) => `${OVERRIDES}BENCH_ONLY=${part} npm run bench`;

function need(k: string): string {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set: run the benchmark with scripts/bench.sh (npm run bench)`);
  return v;
}

async function engineRows(engine: Engine, pgBase: string, dir: string, parts: { starts: boolean; decisions: boolean; worker: boolean }, command: string): Promise<Row[]> {
  const rows: Row[] = [];
  const stack = await startStack(engine, pgBase, dir);
  try {
    if (parts.starts) rows.push(...(await campaignStarts(stack, settings, command)));
    if (parts.decisions) rows.push(await taskDecisions(stack, settings, command));
    if (parts.worker) rows.push(...(await workerFootprint(stack, settings, command)));
  } finally {
    await stack.stop();
  }
  return rows;
}

async function main(): Promise<void> {
  const started = new Date();
  const wall0 = performance.now();
  const pgBase = need('BENCH_PG_BASE');
  const devAddress = need('BENCH_TEMPORAL_ADDRESS');
  const dir = need('BENCH_RUN_DIR');
  mkdirSync(dir, { recursive: true });
  const loadStart = loadavg();
  log(`settings: ${JSON.stringify(settings)}; parts: ${[...ONLY].join(', ')}`);
  const rows: Row[] = [];
  let explains: Explain[] = [];
  const out = process.env.BENCH_OUT ?? ROOT;
  mkdirSync(out, { recursive: true });
  const partsLeft = new Set(ONLY);

  /** Writes BENCHMARKS.md and .json: after every part (a run cut short keeps what it measured), and at the end. */
  const write = (done: boolean) => {
    const loadEnd = loadavg();
    const wallSeconds = (performance.now() - wall0) / 1000;
    const report = {
      date: started.toISOString(),
      commit: process.env.BENCH_COMMIT ?? 'unknown',
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
        loadAtStart: loadStart.map((l) => Math.round(l * 100) / 100),
        loadAtEnd: loadEnd.map((l) => Math.round(l * 100) / 100),
      },
      settings,
      wallSeconds: Math.round(wallSeconds),
      unfinished: [...partsLeft],
      rows,
      explains,
    };
    const table = markdownTable(rows);
    writeFileSync(join(out, 'BENCHMARKS.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(out, 'BENCHMARKS.md'), markdown(report, table));
    if (done) {
      process.stdout.write(`\n${table}\n\nload average (1/5/15 min) at start ${loadStart.map(f1).join(' / ')}, at end ${loadEnd.map(f1).join(' / ')}; ${report.machine.cores} cores, ${report.machine.memoryGiB} GiB; commit ${report.commit}; ${Math.round(wallSeconds)} s\n`);
      log(`wrote ${join(out, 'BENCHMARKS.md')} and BENCHMARKS.json`);
    }
  };
  /** Runs one part; a part that fails is a row saying so, and the others still run. */
  const part = async (names: string[], fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      log(`part ${names.join(',')} failed: ${err instanceof Error ? err.stack : String(err)}`);
      rows.push({ id: names.join(','), part: names.join(','), engine: '—', figure: `part ${names.join(', ')} did not finish`, measured: `failed: ${(err instanceof Error ? err.message : String(err)).slice(0, 200)}`, reference: '—', ratio: '—', target: '—', pass: false, command: cmd(names.join(',')), values: {} });
    }
    for (const n of names) partsLeft.delete(n);
    write(false);
  };

  // The short parts first, so that a run cut short keeps them.
  if (ONLY.has('documents')) await part(['documents'], async () => void rows.push(await documents(settings, cmd('documents'))));
  if (ONLY.has('read')) {
    await part(['read'], async () => {
      const r = await readModel(settings, pgBase, devAddress, dir, cmd('read'));
      rows.push(...r.rows);
      explains = r.explains;
    });
  }
  if (ONLY.has('starts') || ONLY.has('decisions') || ONLY.has('worker')) {
    // The worker's figures are taken with the cases parts 1 and 2 left waiting.
    const parts = { starts: ONLY.has('starts'), decisions: ONLY.has('decisions'), worker: ONLY.has('worker') };
    const names = [...ONLY].filter((p) => p in parts);
    await part(names, async () => {
      rows.push(...(await engineRows(devEngine(devAddress), pgBase, dir, parts, cmd(names.join(',')))));
    });
  }
  if (ONLY.has('engine')) {
    await part(['engine'], async () => {
      log('6: the Temporal server on PostgreSQL');
      const server = await startTemporalServer(pgBase, dir);
      try {
        const engineRowsOf = await engineRows(server, pgBase, dir, { starts: true, decisions: true, worker: false }, cmd('engine'));
        for (const r of engineRowsOf) r.id = `6/${r.id}`;
        rows.push(...engineRowsOf);
      } finally {
        await server.stop();
      }
    });
  }
  write(true);
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function markdownTable(rows: Row[]): string {
  const head = '| # | figure | engine | measured | reference (same run) | ratio | target | result |\n| --- | --- | --- | --- | --- | --- | --- | --- |';
  const lines = rows.map((r) => `| ${r.id} | ${cell(r.figure)} | ${r.engine} | ${cell(r.measured)} | ${cell(r.reference)} | ${r.ratio} | ${r.target} | ${r.pass === null ? '—' : r.pass ? 'pass' : '**miss**'} |`);
  return [head, ...lines].join('\n');
}

function markdown(report: { date: string; commit: string; machine: Record<string, unknown>; settings: Settings; wallSeconds: number; unfinished: string[]; rows: Row[]; explains: Explain[] }, table: string): string {
  const m = report.machine as { cores: number; cpu: string; memoryGiB: number; loadAtStart: number[]; loadAtEnd: number[] };
  const commands = [...new Set(report.rows.map((r) => r.command))].map((c) => `- \`${c}\`: ${report.rows.filter((r) => r.command === c).map((r) => r.id).join(', ')}`);
  const explains = report.explains
    .filter((e) => e.cases === Math.max(...report.settings.readModelSizes))
    .map((e) => `#### ${e.path} (${e.role}, ${e.cases.toLocaleString('en-US')} cases)\n\n\`\`\`\n${e.plans.join('\n\n')}\n\`\`\``)
    .join('\n\n');
  return `# Benchmarks

Written by \`npm run bench\` (scripts/bench.sh, scripts/bench/); do not edit the figures by hand.
${OVERRIDES ? `\n**Scaled-down run (${OVERRIDES.trim()}): not the issue's full figures.**\n` : ''}${report.unfinished.length ? `\n**Run cut short: parts not measured: ${report.unfinished.join(', ')}.**\n` : ''}
- date: ${report.date}; wall time ${Math.round(report.wallSeconds / 60)} min ${report.wallSeconds % 60} s
- commit measured: ${report.commit}
- machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB; load average (1/5/15 min) at start ${m.loadAtStart.join(' / ')}, at end ${m.loadAtEnd.join(' / ')}

${table}

Reproduce a row alone:
${commands.join('\n')}

(The whole run: \`npm run bench\`; \`BENCH_QUICK=1\` for a scaled-down look.)

${ANALYSIS_MARKER}

## EXPLAIN (ANALYZE, BUFFERS) of the read-model statements

Every statement each page ran (auto_explain, one request per page after the timed runs); the JSON keeps
them for every size.

<details><summary>plans at ${Math.max(...report.settings.readModelSizes).toLocaleString('en-US')} cases</summary>

${explains}

</details>
`;
}

/** Where the hand-written analysis of misses goes (scripts/bench/analysis.md, kept between runs). */
const ANALYSIS_MARKER = (() => {
  try {
    return readFileSync(join(ROOT, 'scripts', 'bench', 'analysis.md'), 'utf8');
  } catch {
    return '';
  }
})();

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
