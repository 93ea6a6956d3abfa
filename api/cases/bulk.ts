import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import { multilineText, text } from '../text';
import { extendDeadline, remindNow } from '../../workflows/messages';
import { isAdministratorRole, roleScope } from '../../domain/roles';
import { canOnCase, forbid, type Principal } from '../access';
import { HttpError } from '../errors';
import { caseFilters, listCases, type CaseFilters } from './service';

// Bulk actions of administrators on a filtered selection, within their scope. Each affected case
// records the action in its own timeline (in the workflow); cases that could not be changed are listed
// with the reason, so a partial failure is never silent.

export const bulkBody = z
  .object({
    action: z.enum(['extend-deadline', 'remind']),
    days: z.number().int().min(1).max(180).optional(),
    reason: multilineText(500, { min: 0 }).optional(),
    /** Either explicit cases or the same filters as the case list. */
    caseIds: z.array(text(200)).min(1).max(5000).optional(),
    filters: caseFilters.partial().optional(),
  })
  .strict()
  .refine((b) => b.action !== 'extend-deadline' || (b.days && b.reason && b.reason.length >= 3), { message: 'Przedłużenie wymaga liczby dni i powodu (co najmniej 3 znaki)', path: ['reason'] })
  .refine((b) => !!b.caseIds !== !!b.filters, { message: 'Podaj albo listę spraw, albo filtry', path: ['caseIds'] });
export type BulkBody = z.infer<typeof bulkBody>;

export interface BulkResult {
  changed: string[];
  notChanged: { id: string; reason: string }[];
}

const MAX_CASES = 5000;
const CONCURRENCY = 16;

const isAdmin = (p: Principal) => p.assignments.some((a) => isAdministratorRole(a.role));

export async function runBulkAction(em: EntityManager, temporal: Client, principal: Principal, body: BulkBody): Promise<BulkResult> {
  if (!isAdmin(principal)) forbid();
  let targets: { id: string; type: string; voivodeship: string; unitCode: string; data: Record<string, unknown>; accountId: string | null }[];
  if (body.caseIds) {
    const rows = await em.execute<{ id: string; type: string; voivodeship: string; unit_code: string; data: Record<string, unknown>; account_id: string | null }[]>(
      'select id, type, voivodeship, unit_code, data, account_id from cases where id in (' + body.caseIds.map(() => '?').join(',') + ')',
      body.caseIds,
    );
    if (rows.length !== new Set(body.caseIds).size) throw new HttpError(404, 'NOT_FOUND', 'Niektórych spraw z listy nie ma');
    targets = rows.map((r) => ({ id: r.id, type: r.type, voivodeship: r.voivodeship, unitCode: r.unit_code, data: r.data, accountId: r.account_id }));
    if (targets.some((c) => !canOnCase(principal, 'view', c) || !adminOf(principal, c.voivodeship))) forbid();
  } else {
    const f = caseFilters.parse({ ...body.filters, page: 1, perPage: 1 }) as CaseFilters;
    const { rows, total } = await listCases(em, principal, f, { all: true });
    if (total > MAX_CASES) throw new HttpError(422, 'SELECTION_TOO_LARGE', `Wybrano ${total} spraw; jednorazowo można zmienić najwyżej ${MAX_CASES}. Zawęź filtry.`);
    targets = rows.map((r) => ({ id: r.id, type: r.type, voivodeship: r.voivodeship, unitCode: r.unit_code, data: {}, accountId: null }));
  }

  const result: BulkResult = { changed: [], notChanged: [] };
  const queue = [...targets];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      if (!adminOf(principal, c.voivodeship)) {
        result.notChanged.push({ id: c.id, reason: 'Sprawa spoza województwa, którym administrujesz' });
        continue;
      }
      if (c.type !== 'registration') {
        result.notChanged.push({ id: c.id, reason: 'Ten rodzaj sprawy nie ma takiej operacji' });
        continue;
      }
      try {
        const handle = temporal.workflow.getHandle(c.id);
        if (body.action === 'extend-deadline') await handle.executeUpdate(extendDeadline, { args: [{ days: body.days!, reason: body.reason!, by: principal.login }] });
        else await handle.executeUpdate(remindNow, { args: [{ by: principal.login }] });
        result.changed.push(c.id);
      } catch (err) {
        const reason = err instanceof WorkflowUpdateFailedError && err.cause ? err.cause.message : 'Proces tej sprawy już się zakończył lub nie odpowiada';
        result.notChanged.push({ id: c.id, reason });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, targets.length) }, worker));
  return result;
}

/** An administrator of the whole country, or of this voivodeship. */
export const administers = (p: Principal, voivodeship: string | null | undefined) =>
  p.assignments.some((a) => isAdministratorRole(a.role) && (roleScope(a.role) === 'country' || a.voivodeship === voivodeship));
const adminOf = administers;
