import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import {
  SA,
  completeCsizsStep,
  csizsCampaignWorkflowId,
  csizsConnectionWorkflowId,
  recordCsizsEscalation,
  type CsizsCampaignInput,
} from '../../workflows/messages';
import {
  CAMPAIGN_500_PLUS_2016,
  CSIZS_CHECKPOINTS,
  CSIZS_STEPS,
  CSIZS_VOIVODESHIP_STEPS,
  resolveCalendar,
  type CampaignCalendar,
} from '../../workflows/rules/csizs-campaign';
import { canOnCsizs, forbid, rollupVoivodeships } from '../access';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';
import type { Api } from '../http';
import { recordCall } from '../services/csizs-calls';
import { csizsCampaignProgress, csizsMonitoring } from '../services/monitoring';
import { mapWorkflowError } from '../temporal-errors';

// seed 004: the CSIZS connection campaign. Starting runs in a workflow (2,477 units do not fit in one
// HTTP request); monitoring reads the read model only.

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Data w formacie RRRR-MM-DD');
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Czas lokalny (Europe/Warsaw) w formacie RRRR-MM-DDTGG:MM');
const step = z.enum(CSIZS_STEPS);

const calendarSchema = z
  .object({
    name: z.string().trim().min(3).max(200),
    area: z.string().trim().min(1).max(16),
    vendors: z.array(z.string().trim().min(1).max(100)).min(1),
    steps: z.object(Object.fromEntries(CSIZS_STEPS.map((s) => [s, localDate])) as Record<(typeof CSIZS_STEPS)[number], typeof localDate>).strict(),
    vendorExceptions: z.array(z.object({ vendor: z.string().min(1), step, by: localDate }).strict()),
    checkpoints: z.array(z.object({ id: z.enum(CSIZS_CHECKPOINTS), opensAt: localTime, closesAt: localTime, confirms: step }).strict()).length(2),
  })
  .strict();

export const csizsCampaignBody = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,60}$/, 'Identyfikator: małe litery, cyfry i myślniki (3–61 znaków)'),
    calendar: calendarSchema.optional().meta({ description: 'Dates in Europe/Warsaw; default: the 2016 "500+" campaign of seed 004' }),
    unitCodes: z.array(z.string().regex(/^\d{7}$/, 'Kod TERYT gminy (7 cyfr)')).min(1).optional().meta({ description: 'Participating gminas; default: all of them' }),
  })
  .strict();

const campaignParams = z.object({ id: z.string().min(1).max(80) });
const unitParams = z.object({ id: z.string().min(1).max(80), unitCode: z.string().regex(/^\d{7}$/, 'Kod TERYT gminy (7 cyfr)') });

export const csizsStepBody = z
  .object({
    step,
    vendor: z.string().trim().min(1).max(100).optional(),
    domainSystems: z.array(z.string().trim().min(1).max(100)).optional(),
    certificates: z
      .array(z.string().min(32, 'Certyfikat (PEM lub Base64)').max(20_000))
      .optional()
      .meta({ description: 'package_sent: one certificate per domain system; only its SHA-256 is kept' }),
    passwordHandedOverAt: z.iso.datetime({ offset: true }).optional().meta({ description: 'package_sent: when the file password was handed over by phone (never the password)' }),
  })
  .strict();

export const csizsCallBody = z
  .object({
    checkpoint: z.enum(CSIZS_CHECKPOINTS),
    outcome: z.enum(['confirmed', 'not_confirmed', 'no_answer']),
    reason: z.string().trim().max(1000).optional(),
  })
  .strict();

export const csizsEscalationBody = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();

const progressSchema = z.object({ id: z.string(), name: z.string(), status: z.string(), totalUnits: z.number(), startedUnits: z.number(), url: z.string() });

export function registerCsizsRoutes(api: Api, { orm, temporal, config }: ApiDeps): void {
  const conn = () => orm.em.fork().getConnection();

  const progress = (id: string) => csizsCampaignProgress(orm, id);

  /** Sends one unit's connection workflow an update; its validator's refusals become 4xx answers. */
  function updateUnit<R, A>(unit: { id: string; unitCode: string }, update: UpdateDefinition<R, [A], string>, arg: A): Promise<R> {
    return temporal.workflow.getHandle(csizsConnectionWorkflowId(unit.id, unit.unitCode)).executeUpdate(update, { args: [arg] }).catch(mapWorkflowError);
  }

  async function unitOf(id: string, unitCode: string) {
    const [row] = await conn().execute<{ voivodeship: string }[]>('select voivodeship from csizs_units where campaign_id = ? and unit_code = ?', [id, unitCode]);
    if (!row) throw new HttpError(404, 'CSIZS_UNIT_NOT_IN_CAMPAIGN', `Jednostka ${unitCode} nie uczestniczy w kampanii ${id}`);
    return { voivodeship: row.voivodeship, unitCode };
  }

  api.route(
    {
      method: 'post',
      path: '/api/csizs-campaigns',
      summary: 'Create a CSIZS connection campaign: its calendar (default: the 2016 "500+" campaign) and participating gminas (seed 004)',
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_campaign_created',
      body: csizsCampaignBody,
      responses: { 201: { description: 'Campaign created', schema: progressSchema }, 200: { description: 'Campaign already exists', schema: progressSchema } },
    },
    async ({ body, principal, res }) => {
      if (!canOnCsizs(principal!, 'manage-campaign')) forbid();
      const calendar: CampaignCalendar = body.calendar ?? CAMPAIGN_500_PLUS_2016;
      const plan = resolveCalendar(calendar);
      const created = await orm.em.fork().transactional(async (em) => {
        const inserted = await em.execute(
          `insert into csizs_campaigns (id, name, area, calendar, plan, status, created_at) values (?, ?, ?, ?::jsonb, ?::jsonb, 'created', now())
           on conflict (id) do nothing`,
          [body.id, calendar.name, calendar.area, JSON.stringify(calendar), JSON.stringify(plan)],
          'run',
        );
        if (((inserted as { affectedRows?: number }).affectedRows ?? 0) === 0) return false;
        const codes = body.unitCodes ? JSON.stringify(body.unitCodes) : null;
        await em.execute(
          `insert into csizs_units (campaign_id, unit_code, voivodeship, workflow_id, completed, current_step, updated_at)
           select ?, u.code, u.voivodeship, 'csizs-' || ? || '-' || u.code, '{}'::jsonb, 'cas_report', now() from units u
           where u.kind = 'gmina' and (?::json is null or u.code in (select json_array_elements_text(?::json)))
           on conflict do nothing`,
          [body.id, body.id, codes, codes],
        );
        const [{ n }] = await em.execute<{ n: number }[]>('select count(*)::int as n from csizs_units where campaign_id = ?', [body.id]);
        if (body.unitCodes && n !== new Set(body.unitCodes).size) {
          throw new HttpError(422, 'UNKNOWN_UNIT', 'Nie wszystkie podane kody są gminami z rejestru TERC', [{ path: 'body.unitCodes', message: `Rozpoznano ${n} z ${body.unitCodes.length}` }]);
        }
        await em.execute('update csizs_campaigns set total_units = ? where id = ?', [n, body.id]);
        return true;
      });
      const p = await progress(body.id);
      res.status(created ? 201 : 200).location(p.url).json(p);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/start',
      summary: 'Start one connection workflow per participating unit, in the background; repeatable (seed 004)',
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_campaign_started',
      params: campaignParams,
      responses: { 202: { description: 'Starting (follow progress with GET)', schema: progressSchema } },
    },
    async ({ params, principal, res }) => {
      if (!canOnCsizs(principal!, 'manage-campaign')) forbid();
      await progress(params.id);
      const shards = await conn().execute<{ voivodeship: string }[]>('select distinct voivodeship from csizs_units where campaign_id = ? order by 1', [params.id]);
      await Promise.all(
        shards.map(async ({ voivodeship }) => {
          const input: CsizsCampaignInput = { campaignId: params.id, voivodeship, offset: 0, batchSize: 4 };
          try {
            await temporal.workflow.start('csizsCampaignWorkflow', {
              workflowId: csizsCampaignWorkflowId(params.id, voivodeship),
              taskQueue: config.TEMPORAL_TASK_QUEUE,
              args: [input],
              workflowIdConflictPolicy: 'USE_EXISTING',
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
              typedSearchAttributes: [{ key: SA.caseType, value: 'csizs-campaign' }, { key: SA.voivodeship, value: voivodeship }],
            });
          } catch (err) {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          }
        }),
      );
      await conn().execute("update csizs_campaigns set status = 'starting' where id = ? and status = 'created'", [params.id]);
      res.status(202).json(await progress(params.id));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/csizs-campaigns/:id',
      summary: 'A campaign and how many of its connection workflows have started',
      tag: 'csizs',
      auth: 'signed-in',
      params: campaignParams,
      responses: { 200: { description: 'Progress', schema: progressSchema } },
    },
    async ({ params, principal, res }) => {
      if (!canOnCsizs(principal!, 'manage-campaign')) forbid();
      res.json(await progress(params.id));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/csizs-campaigns/:id/monitoring',
      summary: 'Units per step and per voivodeship, late units per step, call lists and escalations (seed 004); a voivodeship administrator sees their voivodeship',
      tag: 'csizs',
      auth: 'signed-in',
      params: campaignParams,
      responses: { 200: { description: 'Monitoring from the read model' } },
    },
    async ({ params, principal, res }) => {
      res.json(await csizsMonitoring(orm, params.id, rollupVoivodeships(principal!)));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/units/:unitCode/steps',
      summary: "Report a step of the unit's connection as done, in the seed's order (409 when out of order)",
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_step_completed',
      params: unitParams,
      body: csizsStepBody,
      responses: { 200: { description: "The unit's connection state" } },
    },
    async ({ params, body, principal, res }) => {
      const unit = await unitOf(params.id, params.unitCode);
      if (!canOnCsizs(principal!, CSIZS_VOIVODESHIP_STEPS.includes(body.step) ? 'voivodeship-step' : 'unit-step', unit)) forbid();
      const { certificates, ...rest } = body;
      // Only fingerprints reach the workflow: certificates never enter its history.
      const certificateSha256 = certificates?.map((c) => createHash('sha256').update(c.trim()).digest('hex'));
      res.json(await updateUnit(params, completeCsizsStep, { ...rest, certificateSha256, by: principal!.login }));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/units/:unitCode/calls',
      summary: 'Record a checkpoint call: confirmed, not confirmed (with reason) or no answer (call again later)',
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_call_recorded',
      params: unitParams,
      body: csizsCallBody,
      responses: { 200: { description: "The unit's connection state" } },
    },
    async ({ params, body, principal, res }) => {
      res.json(await recordCall({ orm, temporal }, principal!, params.id, params.unitCode, body));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/units/:unitCode/escalation',
      summary: 'Record the reason for no connection obtained from the mayor (wójt/burmistrz/prezydent miasta)',
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_escalation_recorded',
      params: unitParams,
      body: csizsEscalationBody,
      responses: { 200: { description: "The unit's connection state" } },
    },
    async ({ params, body, principal, res }) => {
      if (!canOnCsizs(principal!, 'phone')) forbid();
      await unitOf(params.id, params.unitCode);
      res.json(await updateUnit(params, recordCsizsEscalation, { reason: body.reason, by: principal!.login }));
    },
  );
}
