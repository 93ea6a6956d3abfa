import type { EntityManager } from '@mikro-orm/postgresql';
import type { CampaignPlan } from '../../workflows/rules/csizs-campaign';

// CSIZS campaigns, their units, checkpoints and calls in raw SQL, for activities. Each function runs on
// the connection the activity passes (`em.getConnection()` of a fresh fork), outside any transaction,
// as the activities did before.

export type Connection = ReturnType<EntityManager['getConnection']>;

/** The campaign's plan and calendar (empty when there is no such campaign). */
export function campaignPlanAndCalendar(conn: Connection, campaignId: string): Promise<{ plan: CampaignPlan; calendar: { vendors: string[] } }[]> {
  return conn.execute<{ plan: CampaignPlan; calendar: { vendors: string[] } }[]>('select plan, calendar from csizs_campaigns where id = ?', [campaignId]);
}

/** A slice of the campaign's units (of one voivodeship, or all), in code order. */
export function campaignUnitsSlice(
  conn: Connection,
  q: { campaignId: string; voivodeship: string | null; offset: number; limit: number },
): Promise<{ unit_code: string; voivodeship: string }[]> {
  return conn.execute<{ unit_code: string; voivodeship: string }[]>(
    `select unit_code, voivodeship from csizs_units where campaign_id = ?${q.voivodeship ? ' and voivodeship = ?' : ''} order by unit_code offset ? limit ?`,
    [q.campaignId, ...(q.voivodeship ? [q.voivodeship] : []), q.offset, q.limit],
  );
}
