import type { MikroORM } from '@mikro-orm/postgresql';

// seed 004: the CSIZS campaign's read model. Activities hold IDs, steps and times only: no temporary
// password, package password or certificate ever passes through them.

export interface CsizsDeps {
  orm: MikroORM;
}

export interface CsizsUnitProjection {
  campaignId: string;
  unitCode: string;
  vendor: string | null;
  currentStep: string | null;
  lateStep: string | null;
  completed: Record<string, { at: string; by: string }>;
  connected: boolean;
  packagePasswordHandedOverAt?: string | null;
}

export function createCsizsActivities({ orm }: CsizsDeps) {
  const conn = () => orm.em.fork().getConnection();
  return {
    /** A shard's count of started units; the campaign is started when the shards add up to all units. */
    async csizsCampaignProgress(input: { campaignId: string; voivodeship: string; started: number }): Promise<void> {
      await conn().execute(
        `update csizs_campaigns c set shard_progress = c.shard_progress || jsonb_build_object(?::text, greatest(?::int, coalesce((c.shard_progress ->> ?::text)::int, 0)))
         where id = ?`,
        [input.voivodeship, input.started, input.voivodeship, input.campaignId],
      );
      await conn().execute(
        `update csizs_campaigns c set started_units = s.n,
           status = case when s.n >= c.total_units then 'started' else 'starting' end,
           started_at = case when s.n >= c.total_units then coalesce(c.started_at, now()) else c.started_at end
         from (select coalesce(sum(value::int), 0)::int as n from csizs_campaigns, jsonb_each_text(shard_progress) where id = ?) s
         where c.id = ?`,
        [input.campaignId, input.campaignId],
      );
    },

    async projectCsizsUnit(p: CsizsUnitProjection): Promise<void> {
      await conn().execute(
        `update csizs_units set vendor = ?, current_step = ?, late_step = ?, completed = ?::jsonb, connected = ?,
           package_password_handed_over_at = coalesce(?, package_password_handed_over_at), updated_at = now()
         where campaign_id = ? and unit_code = ?`,
        [p.vendor, p.currentStep, p.lateStep, JSON.stringify(p.completed), p.connected, p.packagePasswordHandedOverAt ?? null, p.campaignId, p.unitCode],
      );
    },

    /** A checkpoint's call-list entry: opened, or its result. */
    async recordCsizsCheckpoint(input: { campaignId: string; unitCode: string; checkpoint: string; status: string; at: string }): Promise<void> {
      await conn().execute(
        `insert into csizs_checkpoints (campaign_id, unit_code, checkpoint, status, opened_at, resolved_at)
         values (?, ?, ?, ?, ?, case when ? = 'open' then null else ?::timestamptz end)
         on conflict (campaign_id, unit_code, checkpoint) do update set status = excluded.status, resolved_at = excluded.resolved_at`,
        [input.campaignId, input.unitCode, input.checkpoint, input.status, input.at, input.status, input.at],
      );
    },

    /** One call: its key makes a retry harmless. */
    async recordCsizsCallOutcome(input: {
      id: string;
      campaignId: string;
      unitCode: string;
      checkpoint: string;
      outcome: string;
      reason: string | null;
      calledBy: string;
      calledAt: string;
    }): Promise<void> {
      await conn().execute(
        `insert into csizs_calls (id, campaign_id, unit_code, checkpoint, outcome, reason, called_by, called_at)
         values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
        [input.id, input.campaignId, input.unitCode, input.checkpoint, input.outcome, input.reason, input.calledBy, input.calledAt],
      );
    },

    /** seed 004 Uwaga 5: a unit not connected on 30 March: the ministry contacts its mayor for the reasons. */
    async recordCsizsEscalationState(input: { campaignId: string; unitCode: string; reason: string | null; by: string | null; at: string }): Promise<void> {
      await conn().execute(
        `update csizs_units set escalated_at = coalesce(escalated_at, ?::timestamptz), escalation_reason = ?, escalation_by = ?, updated_at = now()
         where campaign_id = ? and unit_code = ?`,
        [input.at, input.reason, input.by, input.campaignId, input.unitCode],
      );
    },
  };
}

export type CsizsActivities = ReturnType<typeof createCsizsActivities>;
