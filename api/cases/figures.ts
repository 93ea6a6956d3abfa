import type { EntityManager } from '@mikro-orm/postgresql';
import { caseVisibilitySql, visibleVoivodeships, type Principal } from '../access';
import { caseStatusLabel } from '../labels';
import { countByVoivodeship } from './service';

// The figures the overview and the outbox pages show, computed once for the page and its API twin
// (GET /api/overview, GET /api/mail), so a program reads what an official sees.

export const CASE_TYPE_LABELS: Record<string, string> = {
  registration: 'Rejestracja',
  permission: 'Rozszerzenie uprawnień',
  'identity-merge': 'Scalenie kont',
  report: 'Sprawozdanie',
  'csizs-connection': 'Podłączenie do CSIZS',
};

export const MAIL_STATUS_LABELS: Record<string, string> = { sent: 'wysłana', failed: 'nieudana', pending: 'oczekuje' };

export const CSIZS_CAMPAIGN_STATUS_LABELS: Record<string, string> = { started: 'uruchomiona', starting: 'uruchamianie', created: 'utworzona' };

const pct = (a: number, b: number) => (b ? Math.round((100 * a) / b) : 0);

/** Progress per voivodeship (within the person's scope) and cases per status, of one type or all. */
export async function overviewFigures(em: EntityManager, p: Principal, voivodeshipNames: Map<string, string>, type?: string) {
  const counts = await countByVoivodeship(em, p, type);
  const scope = visibleVoivodeships(p);
  const codes = scope ?? [...voivodeshipNames.keys()];
  const byVoiv = new Map(codes.map((c) => [c, { n: 0, closed: 0, overdue: 0 }]));
  const byStatus = new Map<string, number>();
  for (const r of counts) {
    const t = byVoiv.get(r.voivodeship);
    if (t) {
      t.n += r.n;
      t.closed += r.closed ? r.n : 0;
      t.overdue += r.overdue;
    }
    byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + r.n);
  }
  const voivodeships = [...byVoiv].map(([code, t]) => ({ code, name: voivodeshipNames.get(code) ?? code, ...t, percent: pct(t.closed, t.n) }));
  const sum = voivodeships.reduce((a, t) => ({ n: a.n + t.n, closed: a.closed + t.closed, overdue: a.overdue + t.overdue }), { n: 0, closed: 0, overdue: 0 });
  return {
    type: type ?? null,
    scope,
    voivodeships,
    total: { ...sum, percent: pct(sum.closed, sum.n) },
    statuses: [...byStatus].map(([status, n]) => ({ status, label: caseStatusLabel(type ?? null, status), n })),
  };
}

/** Sent, failed and pending mail of cases within the person's scope, newest first (at most 200). */
export async function outboxFigures(em: EntityManager, p: Principal, status: string | null) {
  const vis = caseVisibilitySql(p);
  const mails = await em.execute<{ id: string; case_id: string; subject: string; status: string; attempts: number; last_error: string | null; redacted: boolean; created_at: Date }[]>(
    `select o.id, o.case_id, o.subject, o.status, o.attempts, o.last_error, o.redacted, o.created_at from outbox o join cases c on c.id = o.case_id
     where ${vis.sql}${status ? ' and o.status = ?' : ''} order by o.created_at desc limit 200`,
    [...vis.params, ...(status ? [status] : [])],
  );
  return mails.map((m) => ({ ...m, statusLabel: MAIL_STATUS_LABELS[m.status] ?? m.status }));
}
