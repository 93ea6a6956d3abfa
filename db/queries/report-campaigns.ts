import type { EntityManager } from '@mikro-orm/postgresql';
import { reportWorkflowId, type ReportPlan } from '../../workflows/messages';

// Opening a reporting campaign in the read model, shared by the API (opened by hand) and the scheduled
// run. Report ids are the report workflows' ids, computed by reportWorkflowId alone.

export interface CampaignRows {
  campaignId: string;
  formCode: string;
  period: string;
  dueDate: string;
  plan: ReportPlan;
  unitCodes: string[];
  createdBy: string;
}

/**
 * The campaign row and every unit's report row as not started, in one transaction. False when the
 * campaign exists already (then nothing is written).
 */
export async function insertCampaignRows(em: EntityManager, c: CampaignRows): Promise<boolean> {
  const inserted = await em.execute<{ id: string }[]>(
    `insert into report_campaigns (id, form_code, period, due_date, plan, unit_count, created_by, created_at)
     values (?, ?, ?, ?, ?, ?, ?, now()) on conflict (id) do nothing returning id`,
    [c.campaignId, c.formCode, c.period, c.dueDate, JSON.stringify(c.plan), c.unitCodes.length, c.createdBy],
  );
  if (inserted.length === 0 || c.unitCodes.length === 0) return inserted.length > 0;
  // The read model first, in one statement: the roll-up shows every unit at once as not started.
  const rows = c.unitCodes.map(() => '(?, ?)').join(', ');
  await em.execute(
    `insert into reports (id, campaign_id, form_code, period, unit_code, voivodeship, status, overdue, due_date, versions, updated_at)
     select r.id, ?, ?, ?, u.code, u.voivodeship, 'not_started', false, ?, 0, now()
     from (values ${rows}) as r(id, code) join units u on u.code = r.code
     on conflict (id) do nothing`,
    [c.campaignId, c.formCode, c.period, c.dueDate, ...c.unitCodes.flatMap((code) => [reportWorkflowId(c.formCode, c.period, code), code])],
  );
  return true;
}
