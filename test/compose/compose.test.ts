// What an operator relies on in docker-compose.yml and the Dockerfile, checked without a Docker engine.
// Each check collects human-readable problems and expects the list to be empty, so a failure names
// the service, the key and what is wrong.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (rel: string): string => readFileSync(path.join(ROOT, rel), 'utf8');

// ---------------------------------------------------------------------------------------------------
// docker-compose.yml model

type PortEntry = string | number | { target?: number | string; published?: number | string; host_ip?: string };
type EnvValue = string | number | boolean | null;

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, EnvValue> | string[];
  depends_on?: string[] | Record<string, { condition?: string } | null>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  ports?: PortEntry[];
  container_name?: string;
  network_mode?: string;
  restart?: string;
  deploy?: { replicas?: number };
}

// `merge: true` resolves the `<<: *app` merge keys the file uses for the shared app settings.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services?: Record<string, Service> };
const services: Record<string, Service> = compose.services ?? {};

const SEARCH_ATTRIBUTES: Record<string, string> = {
  ObiegCaseType: 'Keyword',
  ObiegStatus: 'Keyword',
  ObiegUnit: 'Keyword',
  ObiegVoivodeship: 'Keyword',
  ObiegDeadline: 'Datetime',
  ObiegLateStep: 'Keyword',
};
const REQUIRED_SERVICES = ['postgres', 'temporal', 'temporal-ui', 'temporal-setup', 'migrate', 'api', 'worker'];
const SMTP_CATCHER_IMAGE = /(^|\/)(mailpit|mailhog|maildev|smtp4dev|greenmail)(:|@|$)/;
const APP_SERVICES = ['api', 'worker'];
const ONE_SHOT_DECLARED = ['migrate', 'temporal-setup'];

/** Environment of a service as raw (uninterpolated) strings, whichever syntax the file uses. */
function envOf(name: string): Record<string, string> {
  const env = services[name]?.environment;
  if (!env) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const i = line.indexOf('=');
        return i < 0 ? [line, ''] : [line.slice(0, i), line.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Compose-style interpolation with an empty environment: defaults apply, required variables become <NAME>. */
function interpolate(value: string, vars: Record<string, string> = {}): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
      if (match === '$$') return '$';
      const name = (braced ?? bare) as string;
      const value = vars[name];
      const unsetOrEmpty = value === undefined || (op?.startsWith(':') && value === '');
      if (!unsetOrEmpty) return value as string;
      if (op === ':-' || op === '-') return arg ?? '';
      if (op === ':?' || op === '?') return `<${name}>`;
      return '';
    },
  );
}

function dependsOn(name: string): Record<string, string> {
  const deps = services[name]?.depends_on;
  if (!deps) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([d, spec]) => [d, spec?.condition ?? 'service_started']));
}

function commandText(svc: Service): string {
  const part = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(' ') : (v ?? ''));
  return `${part(svc.entrypoint)} ${part(svc.command)}`.trim();
}

/** Host port a `ports` entry binds, or undefined when Docker picks an ephemeral one. */
function fixedHostPort(entry: PortEntry): string | undefined {
  if (typeof entry === 'object') {
    const published = entry.published === undefined ? '' : String(entry.published);
    return published === '' ? undefined : published;
  }
  const spec = String(entry).replace(/\/(tcp|udp|sctp)$/, '');
  const parts = spec.split(':'); // [container] | [host, container] | [ip, host, container]
  if (parts.length < 2) return undefined;
  const host = parts[parts.length - 2];
  return host === '' ? undefined : host;
}

function hasHealthcheck(svc: Service | undefined): boolean {
  const hc = svc?.healthcheck;
  if (!hc || hc.disable) return false;
  const test = hc.test;
  if (Array.isArray(test)) return test.length > 1 && test[0] !== 'NONE' && test.slice(1).join('').trim() !== '';
  return typeof test === 'string' && test.trim() !== '';
}

function smtpCatchers(): string[] {
  return Object.entries(services)
    .filter(([, svc]) => SMTP_CATCHER_IMAGE.test(svc.image ?? ''))
    .map(([name]) => name);
}

/** Services that run to completion: declared ones plus anything waited on with service_completed_successfully. */
function oneShotServices(): Set<string> {
  const result = new Set(ONE_SHOT_DECLARED);
  for (const name of Object.keys(services)) {
    for (const [dep, cond] of Object.entries(dependsOn(name))) {
      if (cond === 'service_completed_successfully') result.add(dep);
    }
  }
  return result;
}

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

describe('docker-compose.yml', () => {
  test('defines every service of the deployment, including an SMTP catcher', () => {
    const missing = REQUIRED_SERVICES.filter((s) => !services[s]).map((s) => `service "${s}" is missing`);
    if (smtpCatchers().length === 0) missing.push('no SMTP catcher service (mailpit, mailhog, ...) is defined');
    expect(missing).toEqual([]);
  });

  test('api and worker can be scaled: no container_name, no fixed host port, no host networking', () => {
    const problems: string[] = [];
    for (const name of APP_SERVICES) {
      const svc = services[name] ?? {};
      if (svc.container_name) problems.push(`${name}: container_name "${svc.container_name}" allows only one replica`);
      if (svc.network_mode === 'host') problems.push(`${name}: network_mode host makes replicas fight over ports`);
    }
    for (const entry of services.api?.ports ?? []) {
      const host = fixedHostPort(entry);
      if (host) problems.push(`api: ports entry ${JSON.stringify(entry)} binds fixed host port ${host}; publish the container port only (e.g. "3000")`);
    }
    for (const entry of services.worker?.ports ?? []) {
      problems.push(`worker: ports entry ${JSON.stringify(entry)}: workers serve nothing and a host binding breaks --scale`);
    }
    const replicas = services.worker?.deploy?.replicas;
    if (replicas !== undefined && replicas < 2) problems.push(`worker: deploy.replicas is ${replicas}; run at least 2 so cases keep moving while one restarts`);
    expect(problems).toEqual([]);
  });

  test('api and worker reach Temporal, PostgreSQL and the SMTP catcher by service name', () => {
    const problems: string[] = [];
    const catchers = smtpCatchers();
    for (const name of APP_SERVICES) {
      const env = envOf(name);

      const temporal = interpolate(env.TEMPORAL_ADDRESS ?? '');
      if (temporal !== 'temporal:7233') problems.push(`${name}: TEMPORAL_ADDRESS is "${temporal}", expected "temporal:7233"`);

      const rawUrl = env.DATABASE_URL ?? '';
      try {
        const url = new URL(interpolate(rawUrl));
        if (!/^postgres(ql)?:$/.test(url.protocol)) problems.push(`${name}: DATABASE_URL is not a postgres:// URL`);
        if (url.hostname !== 'postgres') problems.push(`${name}: DATABASE_URL host is "${url.hostname}", expected the "postgres" service`);
      } catch {
        problems.push(`${name}: DATABASE_URL "${rawUrl}" is not a URL`);
      }

      const smtp = interpolate(env.SMTP_HOST ?? '');
      if (!catchers.includes(smtp)) problems.push(`${name}: SMTP_HOST is "${smtp}", expected one of the SMTP catcher services [${catchers.join(', ')}]`);
      const smtpPort = interpolate(env.SMTP_PORT ?? '1025');
      if (smtpPort !== '1025') problems.push(`${name}: SMTP_PORT is "${smtpPort}", the catcher listens on 1025`);
    }
    expect(problems).toEqual([]);
  });

  test('the app database credentials match the postgres service and come from ${POSTGRES_PASSWORD}', () => {
    const problems: string[] = [];
    const pg = envOf('postgres');
    if (!/^\$\{POSTGRES_PASSWORD[:?}-]/.test(pg.POSTGRES_PASSWORD ?? '')) {
      problems.push(`postgres: POSTGRES_PASSWORD must reference \${POSTGRES_PASSWORD...}, got "${pg.POSTGRES_PASSWORD}"`);
    }
    const pgUser = interpolate(pg.POSTGRES_USER ?? 'postgres');
    const pgPassword = interpolate(pg.POSTGRES_PASSWORD ?? '');
    const pgDb = interpolate(pg.POSTGRES_DB ?? pgUser);
    for (const name of [...APP_SERVICES, 'migrate']) {
      const raw = envOf(name).DATABASE_URL ?? '';
      if (!raw.includes('${POSTGRES_PASSWORD')) problems.push(`${name}: DATABASE_URL password must come from \${POSTGRES_PASSWORD...}`);
      try {
        const url = new URL(interpolate(raw));
        if (decodeURIComponent(url.username) !== pgUser) problems.push(`${name}: DATABASE_URL user "${url.username}" is not POSTGRES_USER "${pgUser}"`);
        if (decodeURIComponent(url.password) !== pgPassword) problems.push(`${name}: DATABASE_URL password differs from the postgres service's`);
        if (url.pathname !== `/${pgDb}`) problems.push(`${name}: DATABASE_URL database "${url.pathname}" is not POSTGRES_DB "${pgDb}"`);
      } catch {
        problems.push(`${name}: DATABASE_URL "${raw}" is not a URL`);
      }
    }
    const t = envOf('temporal');
    if (interpolate(t.DB ?? '') !== 'postgres12') problems.push(`temporal: DB is "${t.DB}", expected postgres12`);
    if (interpolate(t.POSTGRES_SEEDS ?? '') !== 'postgres') problems.push(`temporal: POSTGRES_SEEDS is "${t.POSTGRES_SEEDS}", expected the "postgres" service`);
    if (interpolate(t.POSTGRES_USER ?? '') !== pgUser) problems.push(`temporal: POSTGRES_USER "${t.POSTGRES_USER}" is not the postgres service's "${pgUser}"`);
    if (!/^\$\{POSTGRES_PASSWORD[:?}-]/.test(t.POSTGRES_PWD ?? '')) problems.push('temporal: POSTGRES_PWD must reference ${POSTGRES_PASSWORD...}');
    expect(problems).toEqual([]);
  });

  test('PAYLOAD_KEY is never a literal nor defaulted: always ${PAYLOAD_KEY} or ${PAYLOAD_KEY:?message}', () => {
    const problems: string[] = [];
    for (const name of APP_SERVICES) {
      if (!('PAYLOAD_KEY' in envOf(name))) problems.push(`${name}: PAYLOAD_KEY is not passed; the processes refuse to start without it`);
    }
    for (const name of Object.keys(services)) {
      const value = envOf(name).PAYLOAD_KEY;
      if (value === undefined) continue;
      if (!/^\$\{PAYLOAD_KEY(:?\?[^}]*)?\}$/.test(value)) {
        problems.push(`${name}: PAYLOAD_KEY is "${value}"; it must be \${PAYLOAD_KEY:?...} (no literal key, no default)`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('every depends_on target exists, and service_healthy targets have a healthcheck', () => {
    const problems: string[] = [];
    for (const name of Object.keys(services)) {
      for (const [dep, cond] of Object.entries(dependsOn(name))) {
        if (!services[dep]) problems.push(`${name}: depends_on "${dep}", which is not a service`);
        else if (cond === 'service_healthy' && !hasHealthcheck(services[dep])) {
          problems.push(`${name}: waits for "${dep}" to be healthy, but ${dep} has no healthcheck`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('api and worker start only after migrations, search attributes and a healthy Temporal', () => {
    const expected: Record<string, string> = {
      migrate: 'service_completed_successfully',
      'temporal-setup': 'service_completed_successfully',
      temporal: 'service_healthy',
    };
    const problems: string[] = [];
    for (const name of APP_SERVICES) {
      const deps = dependsOn(name);
      for (const [dep, cond] of Object.entries(expected)) {
        if (deps[dep] !== cond) problems.push(`${name}: depends_on ${dep} should have condition ${cond}, has ${deps[dep] ?? 'nothing'}`);
      }
    }
    if (dependsOn('migrate').postgres !== 'service_healthy') problems.push('migrate: should wait for postgres with condition service_healthy');
    if (dependsOn('temporal').postgres !== 'service_healthy') problems.push('temporal: should wait for postgres with condition service_healthy');
    if (dependsOn('temporal-setup').temporal !== 'service_healthy') problems.push('temporal-setup: should wait for temporal with condition service_healthy');
    expect(problems).toEqual([]);
  });

  test('one-shot services do not restart; every long-running service restarts and has a healthcheck', () => {
    const problems: string[] = [];
    const oneShot = oneShotServices();
    for (const [name, svc] of Object.entries(services)) {
      if (oneShot.has(name)) {
        if (svc.restart !== undefined && svc.restart !== 'no') problems.push(`${name}: one-shot service has restart "${svc.restart}"; it would loop`);
        continue;
      }
      if (!hasHealthcheck(svc)) problems.push(`${name}: long-running service without a healthcheck test`);
      if (!['always', 'unless-stopped', 'on-failure'].includes(svc.restart ?? 'no')) {
        problems.push(`${name}: restart is "${svc.restart ?? 'no'}"; a long-running service should come back after a crash or reboot`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('temporal-setup registers all six search attributes, with their types, in the app namespace', () => {
    const setup = services['temporal-setup'] ?? {};
    const script = commandText(setup);
    const registered: Record<string, string> = {};
    for (const m of script.matchAll(/--name[= ]+["']?(\w+)["']?\s+--type[= ]+["']?(\w+)["']?/g)) registered[m[1]] = m[2];
    const problems: string[] = [];
    for (const [attr, type] of Object.entries(SEARCH_ATTRIBUTES)) {
      if (!registered[attr]) problems.push(`temporal-setup: does not register ${attr} (--name ${attr} --type ${type})`);
      else if (registered[attr] !== type) problems.push(`temporal-setup: registers ${attr} as ${registered[attr]}, expected ${type}`);
    }
    if (!/search-attribute\s+create/.test(script)) problems.push('temporal-setup: never runs `temporal operator search-attribute create`');
    const env = envOf('temporal-setup');
    const address = interpolate(env.TEMPORAL_ADDRESS ?? '');
    if (address !== 'temporal:7233') problems.push(`temporal-setup: TEMPORAL_ADDRESS is "${address}", expected "temporal:7233"`);
    const setupNs = interpolate(env.TEMPORAL_NAMESPACE ?? 'default');
    for (const name of APP_SERVICES) {
      const appNs = interpolate(envOf(name).TEMPORAL_NAMESPACE ?? 'default');
      if (appNs !== setupNs) problems.push(`${name}: runs in namespace "${appNs}" but the attributes are registered in "${setupNs}"`);
    }
    expect(problems).toEqual([]);
  });

  test('api, worker and migrate run the same image; commands point at compiled entry points', () => {
    const problems: string[] = [];
    const images = new Set(['api', 'worker', 'migrate'].map((s) => `${services[s]?.image ?? ''}|${JSON.stringify(services[s]?.build ?? null)}`));
    if (images.size !== 1) problems.push(`api, worker and migrate must share one image/build, found ${[...images].join(' vs ')}`);

    const worker = commandText(services.worker ?? {});
    if (!worker.includes('dist/worker/main.js')) problems.push(`worker: command "${worker}" does not run dist/worker/main.js`);

    const api = commandText(services.api ?? {});
    if (api !== '' && !api.includes('dist/api/main.js')) problems.push(`api: command "${api}" does not run dist/api/main.js`);

    const migrate = commandText(services.migrate ?? {});
    const mig = migrate.indexOf('dist/db/cli.js migrate');
    const ref = migrate.indexOf('dist/db/cli.js import-reference');
    if (mig < 0 || ref < 0) problems.push(`migrate: command "${migrate}" should run dist/db/cli.js migrate, then import-reference`);
    else if (ref < mig) problems.push('migrate: import-reference runs before migrate; the tables would not exist yet');
    if (!/&&/.test(migrate) && ref >= 0) problems.push('migrate: chain the two steps with && so a failed migration stops the import');

    for (const file of ['dist/worker/main.js', 'dist/db/cli.js', ...(api ? ['dist/api/main.js'] : [])]) {
      problems.push(...buildProduces(file).map((p) => `${file}: ${p}`));
    }
    expect(problems).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const workdir = finalStage ? workdirOf(finalStage) : '/';
  const copiedTo = (target: string) =>
    ops(finalStage, 'COPY').some((c) => {
      const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      const dest = parts[parts.length - 1] ?? '';
      return path.posix.resolve(workdir, dest).replace(/\/$/, '') === path.posix.join(workdir, target);
    });

  test('final stage is Node 20 on Debian, runs as the unprivileged user node', () => {
    const problems: string[] = [];
    if (!finalStage) problems.push('no FROM stage found');
    else {
      if (!/^node:20[\w.-]*bookworm/.test(finalStage.from)) problems.push(`final stage FROM "${finalStage.from}" is not node:20 on Debian bookworm`);
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
