// What an operator relies on in the Dockerfile, checked without a Docker engine (docker-compose.yml:
// compose-topology.test.ts).
// Each check collects human-readable problems and expects the list to be empty, so a failure names
// the service, the key and what is wrong.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (rel: string): string => readFileSync(path.join(ROOT, rel), 'utf8');

// ---------------------------------------------------------------------------------------------------
// Dockerfile model

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name?: string;
  from: string;
  instructions: Instruction[];
}

function parseDockerfile(text: string): { globalArgs: Record<string, string>; stages: Stage[] } {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (pending !== '' && line.startsWith('#')) continue; // comments inside a continued RUN
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  if (pending) logical.push(pending);

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const op = m[1].toUpperCase();
    const args = m[2].trim();
    if (op === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      const image = (from?.[1] ?? '').replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, n: string) => globalArgs[n] ?? '');
      stages.push({ from: image, name: from?.[2], instructions: [] });
    } else if (stages.length === 0 && op === 'ARG') {
      const [k, v = ''] = args.split('=');
      globalArgs[k] = v;
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push({ op, args });
    }
  }
  return { globalArgs, stages };
}

const dockerfile = parseDockerfile(read('Dockerfile'));
const finalStage = dockerfile.stages[dockerfile.stages.length - 1];
const ops = (stage: Stage | undefined, op: string) => (stage?.instructions ?? []).filter((i) => i.op === op);

function workdirOf(stage: Stage): string {
  let dir = '/';
  for (const w of ops(stage, 'WORKDIR')) dir = path.posix.resolve(dir, w.args);
  return dir;
}

/** Final-stage CMD as an argv array; exec (JSON) form only. */
function execForm(instr: Instruction | undefined): string[] | undefined {
  if (!instr) return undefined;
  try {
    const argv = JSON.parse(instr.args) as unknown;
    return Array.isArray(argv) && argv.every((a) => typeof a === 'string') ? (argv as string[]) : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// tsc output mapping: dist/<path>.js is produced from <path>.ts when <path>'s top folder is compiled.

function readJson(rel: string): Record<string, unknown> {
  // tsconfig files may carry comments; strip full-line and trailing // comments before parsing.
  return JSON.parse(read(rel).replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>;
}
const tsBuild = readJson('tsconfig.build.json');
const tsBase = typeof tsBuild.extends === 'string' ? readJson(tsBuild.extends) : {};
const compilerOptions = {
  ...((tsBase.compilerOptions as Record<string, string>) ?? {}),
  ...((tsBuild.compilerOptions as Record<string, string>) ?? {}),
};
const outDir = path.posix.normalize(compilerOptions.outDir ?? '');
const rootDir = path.posix.normalize(compilerOptions.rootDir ?? '.');
const buildInclude = (tsBuild.include as string[] | undefined) ?? [];
const packageJson = readJson('package.json') as { scripts?: Record<string, string> };

/** Problems with "the build produces <distFile>"; empty when tsconfig.build.json compiles it. */
function buildProduces(distFile: string): string[] {
  const problems: string[] = [];
  if (outDir !== 'dist') problems.push(`tsconfig outDir is "${outDir}", not "dist"`);
  if (rootDir !== '.') problems.push(`tsconfig rootDir is "${rootDir}": dist/ no longer mirrors the source tree`);
  const rel = path.posix.relative('dist', distFile);
  const top = rel.split('/')[0];
  if (!buildInclude.some((inc) => inc.replace(/^\.\//, '').split('/')[0] === top)) {
    problems.push(`tsconfig.build.json "include" does not compile ${top}/, so ${distFile} is never emitted`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------

describe('Dockerfile', () => {
  const workdir = finalStage ? workdirOf(finalStage) : '/';
  const copiedTo = (target: string) =>
    ops(finalStage, 'COPY').some((c) => {
      const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      const dest = parts[parts.length - 1] ?? '';
      return path.posix.resolve(workdir, dest).replace(/\/$/, '') === path.posix.join(workdir, target);
    });

  test('final stage is a supported Node.js LTS (24; 20 left support in April 2026) on Debian, runs as the unprivileged user node', () => {
    const problems: string[] = [];
    if (!finalStage) problems.push('no FROM stage found');
    else {
      if (!/^node:24[\w.-]*bookworm/.test(finalStage.from)) problems.push(`final stage FROM "${finalStage.from}" is not node:24 on Debian bookworm`);
      if (dockerfile.stages.length < 2) problems.push('not a multi-stage build: dev dependencies and sources would ship in the image');
      const user = ops(finalStage, 'USER').pop()?.args;
      if (user !== 'node') problems.push(`final stage runs as "${user ?? 'root'}", expected USER node`);
    }
    expect(problems).toEqual([]);
  });

  test('the default CMD runs the API, and the entry points are files the build produces', () => {
    const problems: string[] = [];
    const cmd = execForm(ops(finalStage, 'CMD').pop());
    if (!cmd) problems.push('final stage CMD is missing or not in exec (JSON) form; shell form would swallow SIGTERM');
    else if (!cmd.includes('dist/api/main.js')) problems.push(`CMD ${JSON.stringify(cmd)} does not run dist/api/main.js`);
    const entrypoint = execForm(ops(finalStage, 'ENTRYPOINT').pop());
    if (ops(finalStage, 'ENTRYPOINT').length > 0 && !entrypoint) problems.push('ENTRYPOINT must be in exec (JSON) form');
    const distScripts = [cmd ?? [], entrypoint ?? []].flat().filter((a) => a.startsWith('dist/') && a.endsWith('.js'));
    for (const file of ['dist/api/main.js', 'dist/worker/main.js', ...distScripts]) {
      problems.push(...buildProduces(file).map((p) => `${file}: ${p}`));
    }
    // The same paths the package scripts use, so `npm run api` / `npm run worker` and the image agree.
    const scripts = Object.values(packageJson.scripts ?? {}).join('\n');
    for (const file of ['dist/api/main.js', 'dist/worker/main.js']) {
      if (!scripts.includes(file)) problems.push(`package.json scripts no longer mention ${file}; the image and npm scripts disagree`);
    }
    if (!copiedTo('dist')) problems.push(`final stage never copies the compiled dist/ into ${workdir}/dist`);
    expect(problems).toEqual([]);
  });

  test('the sources of the entry points exist, so tsc emits them', () => {
    const missing = ['api/main.ts', 'worker/main.ts', 'db/cli.ts']
      .filter((file) => !existsSync(path.join(ROOT, file)))
      .map((file) => `${file} does not exist, so dist/${file.replace(/\.ts$/, '.js')} (run by the image) will not either`);
    expect(missing).toEqual([]);
  });

  test('build stage installs, compiles and prunes dev dependencies', () => {
    const problems: string[] = [];
    const distCopy = ops(finalStage, 'COPY').find((c) => /--from=(\S+)/.test(c.args) && /\bdist\b/.test(c.args));
    const fromName = distCopy ? /--from=(\S+)/.exec(distCopy.args)?.[1] : undefined;
    const build = dockerfile.stages.find((s, i) => s.name === fromName || String(i) === fromName);
    if (!build) problems.push('dist/ is not copied --from a build stage');
    else {
      const runs = ops(build, 'RUN').map((r) => r.args).join('\n');
      if (!/npm ci\b/.test(runs)) problems.push(`stage ${build.name}: no "npm ci" (reproducible install from package-lock.json)`);
      if (!/npm run build\b/.test(runs)) problems.push(`stage ${build.name}: no "npm run build"`);
      if (!/npm prune\b.*(--omit[= ]dev|--production)/.test(runs)) problems.push(`stage ${build.name}: dev dependencies are not pruned`);
    }
    for (const dir of ['node_modules', 'templates', 'db/reference']) {
      if (!copiedTo(dir)) problems.push(`final stage never copies ${dir} into ${workdir}/${dir}`);
    }
    // lib/paths.ts finds templates/ and db/reference/ next to the nearest package.json above dist/.
    if (!copiedTo('package.json')) problems.push(`final stage never copies package.json into ${workdir}; lib/paths.ts cannot find the project root`);
    expect(problems).toEqual([]);
  });

  test('runtime has Debian Chromium and fonts, and Puppeteer uses them', () => {
    const problems: string[] = [];
    const runs = ops(finalStage, 'RUN').map((r) => r.args).join('\n');
    for (const pkg of ['chromium', 'fonts-dejavu-core']) {
      if (!new RegExp(`apt-get install[^\\n]*\\s${pkg}(\\s|$)`).test(runs)) problems.push(`final stage does not apt-get install ${pkg}`);
    }
    const env = ops(finalStage, 'ENV').map((e) => e.args).join(' ');
    if (!/CHROMIUM_PATH[= ]\/usr\/bin\/chromium\b/.test(env)) problems.push('final stage does not set CHROMIUM_PATH=/usr/bin/chromium');
    if (!/PUPPETEER_SKIP_DOWNLOAD[= ]"?true/.test(env)) problems.push('final stage does not set PUPPETEER_SKIP_DOWNLOAD=true');
    expect(problems).toEqual([]);
  });

  test('.dockerignore keeps host artefacts and secrets out of the build context', () => {
    const entries = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim().replace(/^\//, '').replace(/\/$/, ''))
      .filter((l) => l && !l.startsWith('#'));
    const missing = ['node_modules', 'dist', '.data', 'test-output', '.git', '.env'].filter((e) => !entries.includes(e));
    expect(missing.map((e) => `.dockerignore does not exclude ${e}`)).toEqual([]);
  });
});
