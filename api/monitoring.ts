import type { MikroORM } from '@mikro-orm/postgresql';
import { REPORT_STATUSES } from '../workflows/messages';
import { gminaExecutive } from '../domain/gmina-executive';
import { CSIZS_CHECKPOINTS, CSIZS_STEPS, stepDeadline, stepOrder, stepTitle, type CampaignPlan, type CsizsStep, type DomainRegistration, type PiuReaderRole } from '../workflows/rules/csizs-campaign';
import { HttpError, notFound } from './errors';

// What the ministry (the whole country, scope null) and a voivodeship administrator (their voivodeships)
// watch: a CSIZS campaign's units per step, late units and call lists (seed 004), and a reporting
// campaign's roll-up (seed 001). Read model only; the same answers for the API and the pages.

export const ROLLUP_STATES = [...REPORT_STATUSES, 'overdue'] as const;

const inScope = (column: string, scope: string[] | null) => (scope ? ` and ${column} in (?)` : '');
const scoped = (params: unknown[], scope: string[] | null) => (scope ? [...params, scope] : params);

export async function csizsCampaignProgress(orm: MikroORM, id: string) {
  const [row] = await orm.em.fork().getConnection().execute<{ id: string; name: string; status: string; total_units: number; started_units: number }[]>(
    'select id, name, status, total_units, started_units from csizs_campaigns where id = ?',
    [id],
  );
  if (!row) throw new HttpError(404, 'CSIZS_CAMPAIGN_NOT_FOUND', `Nie ma kampanii podłączenia do CSIZS o identyfikatorze ${id}`);
  return { id: row.id, name: row.name, status: row.status, totalUnits: row.total_units, startedUnits: row.started_units, url: `/api/csizs-campaigns/${row.id}` };
}

export async function csizsMonitoring(orm: MikroORM, id: string, scope: string[] | null) {
  const campaign = await csizsCampaignProgress(orm, id);
  const c = orm.em.fork().getConnection();
  const byVoiv = await c.execute<{ voivodeship: string; step: string | null; late_step: string | null; connected: boolean; n: number }[]>(
    `select voivodeship, current_step as step, late_step, connected, count(*)::int as n from csizs_units
     where campaign_id = ?${inScope('voivodeship', scope)} group by voivodeship, current_step, late_step, connected order by voivodeship`,
    scoped([id], scope),
  );
  const empty = () => Object.fromEntries([...CSIZS_STEPS, 'connected'].map((s) => [s, 0])) as Record<string, number>;
  const perStep = empty();
  const latePerStep = empty();
  const perVoivodeship: Record<string, { total: number; perStep: Record<string, number>; late: number; connected: number }> = {};
  for (const r of byVoiv) {
    const v = (perVoivodeship[r.voivodeship] ??= { total: 0, perStep: empty(), late: 0, connected: 0 });
    const s = r.step ?? 'connected';
    v.total += r.n;
    v.perStep[s] += r.n;
    perStep[s] += r.n;
    if (r.late_step) {
      v.late += r.n;
      latePerStep[r.late_step] += r.n;
    }
    if (r.connected) v.connected += r.n;
  }
  const lateUnits = await c.execute<{ unit_code: string; voivodeship: string; late_step: string }[]>(
    `select unit_code, voivodeship, late_step from csizs_units where campaign_id = ? and late_step is not null${inScope('voivodeship', scope)} order by late_step, unit_code`,
    scoped([id], scope),
  );
  const calls = await c.execute<{ checkpoint: string; unit_code: string; voivodeship: string; status: string; calls: number; last_outcome: string | null; last_called_at: string | null }[]>(
    `select k.checkpoint, k.unit_code, u.voivodeship, k.status,
       (select count(*)::int from csizs_calls x where x.campaign_id = k.campaign_id and x.unit_code = k.unit_code and x.checkpoint = k.checkpoint) as calls,
       (select x.outcome from csizs_calls x where x.campaign_id = k.campaign_id and x.unit_code = k.unit_code and x.checkpoint = k.checkpoint order by x.called_at desc limit 1) as last_outcome,
       (select max(x.called_at) from csizs_calls x where x.campaign_id = k.campaign_id and x.unit_code = k.unit_code and x.checkpoint = k.checkpoint) as last_called_at
     from csizs_checkpoints k join csizs_units u on u.campaign_id = k.campaign_id and u.unit_code = k.unit_code
     where k.campaign_id = ?${inScope('u.voivodeship', scope)} order by k.checkpoint, k.unit_code`,
    scoped([id], scope),
  );
  const callLists = Object.fromEntries(
    CSIZS_CHECKPOINTS.map((k) => [
      k,
      calls
        .filter((r) => r.checkpoint === k)
        .map((r) => ({ unitCode: r.unit_code, voivodeship: r.voivodeship, status: r.status, calls: r.calls, lastOutcome: r.last_outcome, lastCalledAt: r.last_called_at })),
    ]),
  );
  const escalations = await c.execute<{ unit_code: string; voivodeship: string; escalated_at: string; escalation_reason: string | null; escalation_by: string | null; name: string | null; rodz: string | null }[]>(
    `select cu.unit_code, cu.voivodeship, cu.escalated_at, cu.escalation_reason, cu.escalation_by, u.name, u.rodz
     from csizs_units cu left join units u on u.code = cu.unit_code
     where cu.campaign_id = ? and cu.escalated_at is not null${inScope('cu.voivodeship', scope)} order by cu.unit_code`,
    scoped([id], scope),
  );
  // seed 004 Uwaga 5: each escalation names the gmina's wójt, burmistrz or prezydent miasta (from TERC).
  const addresseeOf = (r: { unit_code: string; name: string | null; rodz: string | null }) => (r.name && r.rodz ? gminaExecutive({ code: r.unit_code, rodz: r.rodz, name: r.name }) : null);
  return {
    campaign,
    perStep,
    latePerStep,
    perVoivodeship,
    lateUnits: lateUnits.map((r) => ({ unitCode: r.unit_code, voivodeship: r.voivodeship, lateStep: r.late_step })),
    callLists,
    escalations: escalations.map((r) => {
      const executive = addresseeOf(r);
      return { unitCode: r.unit_code, voivodeship: r.voivodeship, escalatedAt: r.escalated_at, reason: r.escalation_reason, recordedBy: r.escalation_by, office: executive?.office ?? null, addressee: executive?.addressee ?? null };
    }),
  };
}

/**
 * One unit's connection, from the read model (the unit page and `GET /api/csizs-campaigns/:id/units/:unit`):
 * its steps in the plan's order with deadlines, who did each and when, what the step recorded (seed 004
 * pkt 7: NTP, Emp@tia address and certificate; pkt 9: PIU roles), the notification's state and any escalation.
 */
export async function csizsUnitState(orm: MikroORM, unit: { campaignId: string; unitCode: string }) {
  const [row] = await orm.em.fork().getConnection().execute<{ vendor: string | null; current_step: CsizsStep | null; late_step: CsizsStep | null; completed: Record<string, { at: string; by: string; registration?: DomainRegistration; piuRoles?: PiuReaderRole[] }> | string; connected: boolean; escalated_at: string | null; escalation_reason: string | null; notification_status: string | null; plan: CampaignPlan; name: string; campaign_name: string; rodz: string | null }[]>(
    `select cu.vendor, cu.current_step, cu.late_step, cu.completed, cu.connected, cu.escalated_at, cu.escalation_reason, cu.notification_status, c.plan, c.name as campaign_name, u.name, u.rodz
     from csizs_units cu join csizs_campaigns c on c.id = cu.campaign_id join units u on u.code = cu.unit_code where cu.campaign_id = ? and cu.unit_code = ?`,
    [unit.campaignId, unit.unitCode],
  );
  if (!row) throw new HttpError(404, 'CSIZS_UNIT_NOT_IN_CAMPAIGN', `Jednostka ${unit.unitCode} nie uczestniczy w kampanii ${unit.campaignId}`);
  const completed = typeof row.completed === 'string' ? JSON.parse(row.completed) : row.completed;
  const executive = row.rodz ? gminaExecutive({ code: unit.unitCode, rodz: row.rodz, name: row.name }) : null;
  return {
    campaign: { id: unit.campaignId, name: row.campaign_name, planVersion: row.plan.version ?? 1 },
    unit: { code: unit.unitCode, name: row.name, vendor: row.vendor, connected: row.connected },
    currentStep: row.current_step,
    lateStep: row.late_step,
    notificationStatus: row.notification_status,
    steps: stepOrder(row.plan).map((s) => {
      const done = completed[s];
      return {
        step: s,
        title: stepTitle(row.plan, s),
        due: new Date(stepDeadline(row.plan, s, row.vendor)).toISOString(),
        doneAt: (done?.at as string | undefined) ?? null,
        by: (done?.by as string | undefined) ?? null,
        current: row.current_step === s,
        late: row.late_step === s,
        registration: (done?.registration as DomainRegistration | undefined) ?? null,
        piuRoles: (done?.piuRoles as PiuReaderRole[] | undefined) ?? null,
      };
    }),
    escalation: row.escalated_at ? { at: row.escalated_at, reason: row.escalation_reason, addressee: executive?.addressee ?? 'wójt/burmistrz/prezydent miasta' } : null,
    executive,
  };
}

export async function reportRollup(orm: MikroORM, campaignId: string, scope: string[] | null) {
  const c = orm.em.fork().getConnection();
  const [campaign] = await c.execute<{ id: string; form_code: string; period: string; due_date: string }[]>(
    "select id, form_code, period, to_char(due_date, 'YYYY-MM-DD') as due_date from report_campaigns where id = ?",
    [campaignId],
  );
  if (!campaign) throw notFound(`kampania ${campaignId}`);
  const rows = await c.execute<{ voivodeship: string; name: string; state: string; n: number }[]>(
    `select r.voivodeship, v.name,
            case when r.overdue and r.status in ('not_started', 'draft', 'awaiting_data', 'returned') then 'overdue' else r.status end as state,
            count(*)::int as n
     from reports r left join units v on v.code = r.voivodeship
     where r.campaign_id = ?${inScope('r.voivodeship', scope)}
     group by 1, 2, 3 order by 1`,
    scoped([campaignId], scope),
  );
  const zero = () => Object.fromEntries(ROLLUP_STATES.map((s) => [s, 0])) as Record<string, number>;
  const national = zero();
  const byVoiv = new Map<string, { code: string; name: string; total: number; counts: Record<string, number> }>();
  for (const r of rows) {
    const v = byVoiv.get(r.voivodeship) ?? { code: r.voivodeship, name: r.name ?? r.voivodeship, total: 0, counts: zero() };
    v.counts[r.state] = (v.counts[r.state] ?? 0) + r.n;
    v.total += r.n;
    national[r.state] = (national[r.state] ?? 0) + r.n;
    byVoiv.set(r.voivodeship, v);
  }
  return {
    campaignId: campaign.id,
    formCode: campaign.form_code,
    period: campaign.period,
    dueDate: campaign.due_date,
    total: Object.values(national).reduce((a, b) => a + b, 0),
    national,
    voivodeships: [...byVoiv.values()],
  };
}

/** Campaigns to watch, newest first: CSIZS connection campaigns and reporting campaigns. */
export async function listCampaigns(orm: MikroORM) {
  const c = orm.em.fork().getConnection();
  const csizs = await c.execute<{ id: string; name: string; status: string; total_units: number; started_units: number }[]>(
    'select id, name, status, total_units, started_units from csizs_campaigns order by created_at desc limit 100',
  );
  const reports = await c.execute<{ id: string; form_code: string; period: string; due_date: string; units: number }[]>(
    "select id, form_code, period, to_char(due_date, 'YYYY-MM-DD') as due_date, unit_count as units from report_campaigns order by created_at desc limit 100",
  );
  return { csizs, reports };
}
