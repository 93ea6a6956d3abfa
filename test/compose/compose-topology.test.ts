// docker-compose.yml against the topology test/topology runs for real, checked without a Docker engine
// (none runs here: the file has been parsed and checked, never brought up). Each check collects
// human-readable problems and expects the list to be empty, so a failure names the service and the key.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig, SECRET_VARIABLES } from '../../lib/config';
import { temporalConnectionOptions } from '../../lib/temporal-connection';
import { SA } from '../../workflows/messages';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (rel: string): string => readFileSync(path.join(ROOT, rel), 'utf8');

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
  volumes?: string[];
  secrets?: (string | { source: string })[];
  container_name?: string;
  network_mode?: string;
  restart?: string;
  deploy?: { replicas?: number };
}

// `merge: true` resolves the `<<: *app` merge keys the file uses for the shared settings.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services?: Record<string, Service>; secrets?: Record<string, { file?: string }> };
const services: Record<string, Service> = compose.services ?? {};
const APP_SERVICES = ['api', 'worker'];
const OBIEG_IMAGE_SERVICES = ['api', 'worker', 'migrate', 'bootstrap'];
const ONE_SHOT = ['temporal-schema', 'temporal-namespace', 'migrate', 'bootstrap'];
/** What an operator puts in .env (docs/deployment.md); the rest has defaults. */
const DOT_ENV: Record<string, string> = {
  OBIEG_HOST: 'obieg.example.gov.pl',
  BOOTSTRAP_LOGIN: 'm.kowalska',
  BOOTSTRAP_EMAIL: 'm.kowalska@mrips.gov.pl',
  BOOTSTRAP_FIRST_NAME: 'Maria',
  BOOTSTRAP_LAST_NAME: 'Kowalska',
};

function envOf(name: string): Record<string, string> {
  const env = services[name]?.environment;
  if (!env) return {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Compose interpolation: `$$` is a `$`, defaults apply, a missing required variable becomes <NAME>. */
function interpolate(value: string, vars: Record<string, string> = DOT_ENV): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare) as string;
    const v = vars[name];
    if (v !== undefined && v !== '') return v;
    if (op === ':-' || op === '-') return arg ?? '';
    if (op === ':?' || op === '?') return `<${name}>`;
    return '';
  });
}
const ienv = (name: string) => Object.fromEntries(Object.entries(envOf(name)).map(([k, v]) => [k, interpolate(v)]));

function dependsOn(name: string): Record<string, string> {
  const deps = services[name]?.depends_on;
  if (!deps) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([d, spec]) => [d, spec?.condition ?? 'service_started']));
}
const script = (svc: Service) => [svc.entrypoint, svc.command].flat().filter(Boolean).join(' ');
const secretsOf = (svc: Service) => (svc.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.source));
function hasHealthcheck(svc: Service | undefined): boolean {
  const t = svc?.healthcheck?.test;
  if (!t || svc?.healthcheck?.disable) return false;
  return Array.isArray(t) ? t.length > 1 && t[0] !== 'NONE' : t.trim() !== '';
}
function hostBinding(entry: PortEntry): { ip: string; port: string } | undefined {
  if (typeof entry === 'object') return entry.published === undefined ? undefined : { ip: entry.host_ip ?? '', port: String(entry.published) };
  const parts = String(entry).replace(/\/(tcp|udp)$/, '').split(':');
  if (parts.length < 2) return undefined;
  return { ip: parts.length === 3 ? parts[0] : '', port: parts[parts.length - 2] };
}

describe('docker-compose.yml: the production topology', () => {
  test('the current upstream layout: server image, an admin-tools schema job and a namespace job, no auto-setup', () => {
    const problems: string[] = [];
    for (const s of ['postgres', 'temporal-schema', 'temporal', 'temporal-namespace', 'temporal-ui', 'migrate', 'bootstrap', 'api', 'worker', 'proxy']) {
      if (!services[s]) problems.push(`service "${s}" is missing`);
    }
    for (const [name, svc] of Object.entries(services)) if (/auto-setup/.test(svc.image ?? '')) problems.push(`${name}: uses ${svc.image}, which upstream no longer builds`);
    const server = interpolate(services.temporal?.image ?? '');
    if (!/^temporalio\/server:/.test(server)) problems.push(`temporal: image ${server} is not temporalio/server`);
    // The same server version the topology test runs (scripts/lib.sh), and admin-tools of that version.
    const tested = /TEMPORAL_SERVER_VERSION="v([\d.]+)"/.exec(read('scripts/lib.sh'))?.[1];
    if (server !== `temporalio/server:${tested}`) problems.push(`temporal: image ${server}, but the topology test runs ${tested}`);
    for (const job of ['temporal-schema', 'temporal-namespace']) {
      const image = interpolate(services[job]?.image ?? '');
      if (!image.startsWith(`temporalio/admin-tools:${tested}`)) problems.push(`${job}: image ${image} is not admin-tools ${tested}`);
    }
    const schema = script(services['temporal-schema'] ?? {});
    for (const step of ['create-database', 'setup-schema', 'update-schema', 'postgresql/v12', 'temporal_visibility']) if (!schema.includes(step)) problems.push(`temporal-schema: never runs/mentions ${step}`);
    if (ienv('temporal').DB !== 'postgres12') problems.push('temporal: DB is not postgres12');
    expect(problems).toEqual([]);
  });

  test('the namespace job registers the dedicated namespace the processes use, with every search attribute obieg writes', () => {
    const problems: string[] = [];
    const ns = ienv('temporal-namespace').TEMPORAL_NAMESPACE;
    if (!ns || ns === 'default') problems.push(`temporal-namespace: namespace "${ns}" is not a dedicated one`);
    for (const s of APP_SERVICES) if (ienv(s).TEMPORAL_NAMESPACE !== ns) problems.push(`${s}: namespace ${ienv(s).TEMPORAL_NAMESPACE}, the job registers ${ns}`);
    if (ienv('temporal-ui').TEMPORAL_DEFAULT_NAMESPACE !== ns) problems.push('temporal-ui: opens another namespace');
    const text = script(services['temporal-namespace'] ?? {});
    if (!/namespace create/.test(text)) problems.push('temporal-namespace: never creates the namespace');
    const registered = Object.fromEntries([...text.matchAll(/(Obieg\w+):(Keyword|Datetime)/g)].map((m) => [m[1], m[2]]));
    const wanted = Object.fromEntries(Object.values(SA).map((k) => [k.name, k.type === 'DATETIME' ? 'Datetime' : 'Keyword']));
    expect(registered).toEqual(wanted);
    expect(problems).toEqual([]);
  });

  test('secrets are files: no secret variable is set, every *_FILE points at a secret the service mounts, each secret file is declared', () => {
    const problems: string[] = [];
    const declared = compose.secrets ?? {};
    for (const [name, svc] of Object.entries(services)) {
      const env = envOf(name);
      const mounted = secretsOf(svc);
      for (const m of mounted) if (!declared[m]?.file) problems.push(`${name}: mounts secret ${m}, which is not declared with a file`);
      for (const secret of [...SECRET_VARIABLES, 'POSTGRES_PASSWORD', 'POSTGRES_PWD', 'SQL_PASSWORD']) {
        if (env[secret] !== undefined) problems.push(`${name}: ${secret} is an environment variable; use ${secret}_FILE and a secret`);
      }
      for (const [k, v] of Object.entries(env)) {
        if (!k.endsWith('_FILE')) continue;
        const m = /^\/run\/secrets\/([\w-]+)$/.exec(v);
        if (!m) problems.push(`${name}: ${k}=${v} is not a /run/secrets/ path`);
        else if (!mounted.includes(m[1])) problems.push(`${name}: ${k} reads secret ${m[1]}, which the service does not mount`);
      }
      // A shell that reads a secret file reads one the service mounts.
      for (const m of script(svc).matchAll(/\/run\/secrets\/([\w-]+)/g)) if (!mounted.includes(m[1])) problems.push(`${name}: reads /run/secrets/${m[1]} without mounting it`);
    }
    for (const s of APP_SERVICES) for (const need of ['DATABASE_URL_FILE', 'PAYLOAD_KEY_FILE']) if (!envOf(s)[need]) problems.push(`${s}: ${need} is not set`);
    expect(problems).toEqual([]);
  });

  test('the obieg services set only variables lib/config.ts knows, and their configuration loads', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'obieg-compose-'));
    try {
      const known = new Set<string>([...CONFIG_VARIABLES, ...SECRET_VARIABLES.map((s) => `${s}_FILE`)]);
      const problems: string[] = [];
      const sample: Record<string, string> = {
        database_url: 'postgres://obieg:haslo@postgres:5432/obieg',
        payload_key: Buffer.alloc(32, 3).toString('base64'),
        payload_keys: '',
        first_admin_password: 'Pierwsze!Haslo1',
      };
      for (const name of OBIEG_IMAGE_SERVICES) {
        const env = ienv(name);
        for (const k of Object.keys(env)) if (!known.has(k) && !(name === 'bootstrap' && k.startsWith('BOOTSTRAP_'))) problems.push(`${name}: ${k} is not read by lib/config.ts`);
        if (name === 'bootstrap') continue;
        // The secret files as Compose mounts them, here in a temp dir.
        const files = Object.fromEntries(
          Object.entries(env).map(([k, v]) => {
            const m = /^\/run\/secrets\/([\w-]+)$/.exec(v);
            if (!m) return [k, v];
            const file = path.join(dir, m[1]);
            writeFileSync(file, `${sample[m[1]] ?? 'x'}\n`);
            return [k, file];
          }),
        );
        try {
          const config = loadConfig(files);
          temporalConnectionOptions(config);
        } catch (err) {
          problems.push(`${name}: ${String(err)}`);
        }
      }
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('PUBLIC_URL is the TLS proxy, which alone publishes public ports and spreads requests over the API replicas', () => {
    const problems: string[] = [];
    const host = DOT_ENV.OBIEG_HOST;
    for (const s of APP_SERVICES) if (ienv(s).PUBLIC_URL !== `https://${host}`) problems.push(`${s}: PUBLIC_URL ${ienv(s).PUBLIC_URL}, the proxy serves https://${host}`);
    const proxy = services.proxy ?? {};
    if (!/^caddy:/.test(interpolate(proxy.image ?? ''))) problems.push('proxy: not a Caddy image');
    if (ienv('proxy').OBIEG_HOST !== host) problems.push('proxy: OBIEG_HOST is not passed to Caddy');
    if (!(proxy.ports ?? []).some((p) => hostBinding(p)?.port === '443')) problems.push('proxy: does not publish 443');
    for (const [name, svc] of Object.entries(services)) {
      for (const p of svc.ports ?? []) {
        const b = hostBinding(p);
        if (b && name !== 'proxy' && b.ip !== '127.0.0.1') problems.push(`${name}: publishes ${JSON.stringify(p)} beyond loopback`);
      }
    }
    const caddyMount = (proxy.volumes ?? []).find((v) => v.endsWith(':/etc/caddy/Caddyfile:ro') || v.endsWith(':/etc/caddy/Caddyfile'));
    const caddyFile = caddyMount?.split(':')[0] ?? '';
    if (!caddyMount || !existsSync(path.join(ROOT, caddyFile))) problems.push(`proxy: the Caddyfile ${caddyFile} is not in the repository`);
    else {
      const caddy = read(caddyFile);
      if (!/^\{\$OBIEG_HOST\} \{/m.test(caddy)) problems.push('Caddyfile: the site is not {$OBIEG_HOST}');
      const mounted = secretsOf(proxy);
      for (const m of caddy.matchAll(/\/run\/secrets\/([\w-]+)/g)) if (!mounted.includes(m[1])) problems.push(`Caddyfile: reads secret ${m[1]}, which proxy does not mount`);
      const port = ienv('api').API_PORT ?? '3000';
      if (!new RegExp(`name api\\s+port ${port}\\b`).test(caddy)) problems.push(`Caddyfile: does not proxy to every replica of api on port ${port}`);
    }
    for (const s of APP_SERVICES) {
      const svc = services[s] ?? {};
      if ((svc.deploy?.replicas ?? 1) < 2) problems.push(`${s}: fewer than 2 replicas`);
      if (svc.container_name) problems.push(`${s}: container_name allows one replica only`);
    }
    expect(problems).toEqual([]);
  });

  test('the Temporal UI decodes payloads through the API codec endpoint, and the API admits the UI origin', () => {
    const ui = ienv('temporal-ui');
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe(`${ienv('api').PUBLIC_URL}/codec`);
    expect(ui.TEMPORAL_CORS_ORIGINS).toBe(ienv('api').TEMPORAL_UI_URL);
    expect((services['temporal-ui']?.ports ?? []).map((p) => hostBinding(p)?.ip)).toEqual(['127.0.0.1']);
  });

  test('start order: schema before server, namespace and migrations before the processes, the first account after migrations', () => {
    const problems: string[] = [];
    const expect_ = (svc: string, dep: string, cond: string) => {
      if (dependsOn(svc)[dep] !== cond) problems.push(`${svc}: should wait for ${dep} (${cond}), has ${dependsOn(svc)[dep] ?? 'nothing'}`);
    };
    expect_('temporal-schema', 'postgres', 'service_healthy');
    expect_('temporal', 'temporal-schema', 'service_completed_successfully');
    expect_('temporal-namespace', 'temporal', 'service_healthy');
    expect_('migrate', 'postgres', 'service_healthy');
    expect_('bootstrap', 'migrate', 'service_completed_successfully');
    for (const s of APP_SERVICES) {
      expect_(s, 'migrate', 'service_completed_successfully');
      expect_(s, 'temporal-namespace', 'service_completed_successfully');
    }
    expect_('proxy', 'api', 'service_healthy');
    for (const [name, svc] of Object.entries(services)) {
      for (const [dep, cond] of Object.entries(dependsOn(name))) {
        if (!services[dep]) problems.push(`${name}: depends on "${dep}", which is not a service`);
        else if (cond === 'service_healthy' && !hasHealthcheck(services[dep])) problems.push(`${name}: waits for ${dep} to be healthy; it has no healthcheck`);
      }
      if (ONE_SHOT.includes(name)) {
        if ((svc.restart ?? 'no') !== 'no') problems.push(`${name}: a one-shot job with restart ${svc.restart} would loop`);
      } else {
        if (!hasHealthcheck(svc)) problems.push(`${name}: long-running without a healthcheck`);
        if (!['always', 'unless-stopped', 'on-failure'].includes(svc.restart ?? 'no')) problems.push(`${name}: restart ${svc.restart ?? 'no'}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('the obieg services run one image and compiled entry points that exist in the source', () => {
    const problems: string[] = [];
    const images = new Set(OBIEG_IMAGE_SERVICES.map((s) => `${services[s]?.image}|${JSON.stringify(services[s]?.build ?? null)}`));
    if (images.size !== 1) problems.push(`${OBIEG_IMAGE_SERVICES.join(', ')} run different images: ${[...images].join(' vs ')}`);
    for (const s of OBIEG_IMAGE_SERVICES) {
      for (const m of script(services[s] ?? {}).matchAll(/dist\/([\w/-]+)\.js/g)) {
        if (!existsSync(path.join(ROOT, `${m[1]}.ts`))) problems.push(`${s}: runs dist/${m[1]}.js, but ${m[1]}.ts does not exist`);
      }
    }
    if (!/node dist\/db\/cli\.js migrate && node dist\/db\/cli\.js import-reference/.test(script(services.migrate ?? {}))) problems.push('migrate: not migrate && import-reference');
    if (!script(services.bootstrap ?? {}).includes('dist/db/bootstrap.js')) problems.push('bootstrap: does not run dist/db/bootstrap.js');
    if (!existsSync(path.join(ROOT, 'Dockerfile'))) problems.push('build: . has no Dockerfile');
    expect(problems).toEqual([]);
  });
});
