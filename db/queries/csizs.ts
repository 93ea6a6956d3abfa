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

/** Records a shard's count of started units (never lowering an earlier count). */
export async function recordShardProgress(conn: Connection, p: { campaignId: string; shard: string; started: number }): Promise<void> {
  await conn.execute(
    `update csizs_campaigns c set shard_progress = c.shard_progress || jsonb_build_object(?::text, greatest(?::int, coalesce((c.shard_progress ->> ?::text)::int, 0)))
     where id = ?`,
    [p.shard, p.started, p.shard, p.campaignId],
  );
}

/** Sums the shards' counts into the campaign's started units; the campaign is started when they reach all units. */
export async function recountStartedUnits(conn: Connection, campaignId: string): Promise<void> {
  await conn.execute(
    `update csizs_campaigns c set started_units = s.n,
       status = case when s.n >= c.total_units then 'started' else 'starting' end,
       started_at = case when s.n >= c.total_units then coalesce(c.started_at, now()) else c.started_at end
     from (select coalesce(sum(value::int), 0)::int as n from csizs_campaigns, jsonb_each_text(shard_progress) where id = ?) s
     where c.id = ?`,
    [campaignId, campaignId],
  );
}

/** The unit's projection of its connection process (a null keeps what is there for the coalesced columns). */
export async function updateUnitProjection(
  conn: Connection,
  p: {
    campaignId: string;
    unitCode: string;
    vendor: string | null;
    currentStep: string | null;
    lateStep: string | null;
    completed: string;
    connected: boolean;
    packagePasswordHandedOverAt: string | null;
    notificationStatus: string | null;
    notificationDocumentId: string | null;
    notificationScanId: string | null;
    notificationReason: string | null;
    localAdminAccountId: string | null;
    packageDocumentId: string | null;
    packageSentAt: string | null;
    passwordChangedAt: string | null;
  },
): Promise<void> {
  await conn.execute(
    `update csizs_units set vendor = ?, current_step = ?, late_step = ?, completed = ?::jsonb, connected = ?,
       package_password_handed_over_at = coalesce(?, package_password_handed_over_at),
       notification_status = coalesce(?, notification_status), notification_document_id = coalesce(?, notification_document_id),
       notification_scan_id = coalesce(?, notification_scan_id), notification_reason = ?,
       local_admin_account_id = coalesce(?, local_admin_account_id), package_document_id = coalesce(?, package_document_id),
       package_sent_at = coalesce(?::timestamptz, package_sent_at), password_changed_at = coalesce(?::timestamptz, password_changed_at), updated_at = now()
     where campaign_id = ? and unit_code = ?`,
    [p.vendor, p.currentStep, p.lateStep, p.completed, p.connected, p.packagePasswordHandedOverAt,
      p.notificationStatus, p.notificationDocumentId, p.notificationScanId, p.notificationReason,
      p.localAdminAccountId, p.packageDocumentId, p.packageSentAt, p.passwordChangedAt, p.campaignId, p.unitCode],
  );
}

/** The campaign's name (empty when there is no such campaign). */
export function campaignName(conn: Connection, campaignId: string): Promise<{ name: string }[]> {
  return conn.execute<{ name: string }[]>('select name from csizs_campaigns where id = ?', [campaignId]);
}

/** The unit's local administrator and when its package was sent, once it was sent (else empty). */
export function sentPackageOf(conn: Connection, campaignId: string, unitCode: string): Promise<{ local_admin_account_id: string; package_sent_at: Date }[]> {
  return conn.execute<{ local_admin_account_id: string; package_sent_at: Date }[]>(
    'select local_admin_account_id, package_sent_at from csizs_units where campaign_id = ? and unit_code = ? and package_sent_at is not null',
    [campaignId, unitCode],
  );
}

/** Records the unit's package as sent, with its local administrator's account and document. */
export async function recordPackageSent(conn: Connection, p: { campaignId: string; unitCode: string; accountId: string; documentId: string; sentAt: Date }): Promise<void> {
  await conn.execute(
    'update csizs_units set local_admin_account_id = ?, package_document_id = ?, package_sent_at = ?, updated_at = now() where campaign_id = ? and unit_code = ?',
    [p.accountId, p.documentId, p.sentAt, p.campaignId, p.unitCode],
  );
}

/** A checkpoint's call-list entry: opened, or its result (resolved unless open). */
export async function upsertCheckpoint(conn: Connection, c: { campaignId: string; unitCode: string; checkpoint: string; status: string; at: string }): Promise<void> {
  await conn.execute(
    `insert into csizs_checkpoints (campaign_id, unit_code, checkpoint, status, opened_at, resolved_at)
     values (?, ?, ?, ?, ?, case when ? = 'open' then null else ?::timestamptz end)
     on conflict (campaign_id, unit_code, checkpoint) do update set status = excluded.status, resolved_at = excluded.resolved_at`,
    [c.campaignId, c.unitCode, c.checkpoint, c.status, c.at, c.status, c.at],
  );
}

/** One call's outcome, once per id. */
export async function insertCallOnce(
  conn: Connection,
  c: { id: string; campaignId: string; unitCode: string; checkpoint: string; outcome: string; reason: string | null; calledBy: string; calledAt: string },
): Promise<void> {
  await conn.execute(
    `insert into csizs_calls (id, campaign_id, unit_code, checkpoint, outcome, reason, called_by, called_at)
     values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
    [c.id, c.campaignId, c.unitCode, c.checkpoint, c.outcome, c.reason, c.calledBy, c.calledAt],
  );
}

/** The unit's escalation: first escalated at `at` (kept when set already), with its reason and by whom. */
export async function recordEscalation(conn: Connection, e: { campaignId: string; unitCode: string; reason: string | null; by: string | null; at: string }): Promise<void> {
  await conn.execute(
    `update csizs_units set escalated_at = coalesce(escalated_at, ?::timestamptz), escalation_reason = ?, escalation_by = ?, updated_at = now()
     where campaign_id = ? and unit_code = ?`,
    [e.at, e.reason, e.by, e.campaignId, e.unitCode],
  );
}
