import { z } from 'zod';
import { UnitSchema } from '../../db/entities/index';
import { pendingMigrations } from '../../db/orm';
import type { ApiDeps } from '../deps';
import type { Api } from '../http';
import { unitsQuery, unitView } from './schemas';

export function registerSystemRoutes(api: Api, { orm, temporal }: ApiDeps): void {
  api.route(
    { method: 'get', path: '/healthz', summary: 'Liveness: the process answers', tag: 'system', auth: 'public', responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } } },
    async ({ res }) => {
      res.json({ status: 'ok' });
    },
  );

  const readiness = z.object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.object({
      postgres: z.object({ ok: z.boolean(), error: z.string().optional() }),
      temporal: z.object({ ok: z.boolean(), error: z.string().optional() }),
      migrations: z.object({ ok: z.boolean(), pending: z.array(z.string()).optional(), error: z.string().optional() }),
    }),
  });

  api.route(
    {
      method: 'get',
      path: '/readyz',
      summary: 'Readiness: PostgreSQL and Temporal reachable, migrations current',
      tag: 'system',
      auth: 'public',
      responses: { 200: { description: 'Ready', schema: readiness }, 503: { description: 'Not ready; the checks say why', schema: readiness } },
    },
    async ({ res }) => {
      const within = <T>(p: Promise<T>, ms = 3000) =>
        Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no answer within ${ms} ms`)), ms).unref())]);
      const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));
      const [pg, tp, mig] = await Promise.allSettled([
        within(orm.em.fork().getConnection().execute('select 1')),
        within(temporal.connection.workflowService.getSystemInfo({})),
        within(pendingMigrations(orm)),
      ]);
      const checks = {
        postgres: pg.status === 'fulfilled' ? { ok: true } : { ok: false, error: msg(pg.reason) },
        temporal: tp.status === 'fulfilled' ? { ok: true } : { ok: false, error: msg(tp.reason) },
        migrations:
          mig.status === 'fulfilled'
            ? mig.value.length === 0
              ? { ok: true }
              : { ok: false, pending: mig.value }
            : { ok: false, error: msg(mig.reason) },
      };
      const ok = checks.postgres.ok && checks.temporal.ok && checks.migrations.ok;
      res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not_ready', checks });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/units',
      summary: 'Search the TERYT TERC register (voivodeships, powiats, gminas) by name or code',
      tag: 'reference',
      auth: 'public',
      query: unitsQuery,
      responses: { 200: { description: 'Units', schema: z.array(unitView) } },
    },
    async ({ query, res }) => {
      const where: Record<string, unknown> = {};
      if (query.kind) where.kind = query.kind;
      if (query.voivodeship) where.voivodeship = query.voivodeship;
      if (query.q) where.$or = [{ name: { $ilike: `%${query.q}%` } }, { code: { $like: `${query.q}%` } }];
      const units = await orm.em.fork().find(UnitSchema, where, { orderBy: { code: 'asc' }, limit: query.limit });
      res.json(units.map((u) => ({ code: u.code, kind: u.kind, name: u.name, nameExtra: u.nameExtra, voivodeship: u.voivodeship })));
    },
  );
}
