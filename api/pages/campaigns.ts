import type { NextFunction, Request, Response, Router } from 'express';
import { CSIZS_CHECKPOINTS, CSIZS_STEPS, CSIZS_STEP_TITLES, PIU_READER_ROLE_TITLES, type CsizsCheckpoint, type PiuReaderRole } from '../../workflows/rules/csizs-campaign';
import { csizsUnit } from '../csizs/service';
import { HttpError } from '../errors';
import { REPORT_STATUS_LABELS } from '../../workflows/rules/report';
import { canOnCsizs, rollupVoivodeships, type Principal } from '../access';
import type { ApiDeps } from '../deps';
import type { Api } from '../http';
import type { PageTwins } from '../app';
import { unitDirectory } from '../system/unit-directory';
import { CSIZS_CAMPAIGN_STATUS_LABELS } from '../cases/figures';
import { csizsMonitoring, csizsUnitState, listCampaigns, reportRollup, ROLLUP_STATES } from '../monitoring';

// The ministry's view of campaigns (issue: dashboards): per CSIZS campaign and per reporting campaign,
// progress per voivodeship as a grid of the 16 voivodeships and a chart, units per step and late units,
// and the phone call lists with a form per call; a voivodeship administrator sees their voivodeship only.

type PageReq = Request & { principal?: Principal };
type Handler = (req: PageReq, res: Response, next: NextFunction) => unknown;

export interface PageKit {
  render: (req: PageReq, res: Response, page: string, data: Record<string, unknown>, status?: number) => void;
  requireSession: Handler;
  names: () => Promise<Map<string, string>>;
}

const CHECKPOINT_TITLES: Record<CsizsCheckpoint, string> = { checkpoint_1: 'Punkt kontrolny 1 (po instalacji)', checkpoint_2: 'Punkt kontrolny 2 (podłączenie)' };
const CALL_STATUS: Record<string, string> = { open: 'do zadzwonienia', confirmed: 'potwierdzono', not_confirmed: 'nie potwierdzono', unreachable: 'nie udało się potwierdzić w oknie', pending: 'okno jeszcze nie otwarte' };
const OUTCOMES: Record<string, string> = { confirmed: 'potwierdzono', not_confirmed: 'nie potwierdzono', no_answer: 'brak odpowiedzi' };
const ROLLUP_LABELS: Record<string, string> = { ...REPORT_STATUS_LABELS, overdue: 'Po terminie' };
/** Rows of a list shown on one page; the API has them all. */
const LIST_LIMIT = 300;
const pct = (a: number, b: number) => (b ? Math.round((100 * a) / b) : 0);
const enc = encodeURIComponent;

/** Tiles of the 16-voivodeship grid (or the person's own) and the chart's bars, from done/total per code. */
function tiles(codes: string[], voivs: Map<string, string>, of: (code: string) => { done: number; total: number; late: number }) {
  return codes.map((code, i) => {
    const t = of(code);
    const percent = pct(t.done, t.total);
    return { code, name: voivs.get(code) ?? code, ...t, percent, y: i * 22, barWidth: Math.round(5 * percent) };
  });
}

export function registerCampaignPages(router: Router, kit: PageKit, { orm }: Pick<ApiDeps, 'orm'>, api: Api, twins: PageTwins): void {
  const { render, requireSession, names } = kit;
  const scopeOf = (req: PageReq) => rollupVoivodeships(req.principal!);

  router.get('/kampanie', requireSession, async (req: PageReq, res) => {
    scopeOf(req);
    const { csizs, reports } = await listCampaigns(orm);
    render(req, res, 'campaigns', {
      csizs: csizs.map((c) => ({ ...c, url: `/kampanie/csizs/${enc(c.id)}`, statusLabel: CSIZS_CAMPAIGN_STATUS_LABELS[c.status] ?? c.status })),
      reports: reports.map((r) => ({ ...r, url: `/kampanie/raporty/${enc(r.id)}` })),
    });
  });

  router.get('/kampanie/csizs/:id', requireSession, async (req: PageReq, res) => {
    const scope = scopeOf(req);
    const m = await csizsMonitoring(orm, String(req.params.id), scope);
    const voivs = await names();
    const grid = tiles(scope ?? [...voivs.keys()], voivs, (code) => {
      const v = m.perVoivodeship[code];
      return { done: v?.connected ?? 0, total: v?.total ?? 0, late: v?.late ?? 0 };
    });
    const units = await unitDirectory(orm.em);
    const nameOf = (code: string) => units.name(code) ?? code;
    const canCall = canOnCsizs(req.principal!, 'phone');
    render(req, res, 'campaign-csizs', {
      campaign: m.campaign,
      scopeName: scope ? scope.map((c) => voivs.get(c) ?? c).join(', ') : null,
      tiles: grid,
      chartHeight: grid.length * 22,
      // Units in the person's scope (the campaign's total is national).
      total: Object.values(m.perVoivodeship).reduce((a, v) => a + v.total, 0),
      connected: m.perStep.connected,
      steps: [...CSIZS_STEPS.map((s) => ({ title: CSIZS_STEP_TITLES[s], n: m.perStep[s], late: m.latePerStep[s] })), { title: 'Podłączone', n: m.perStep.connected, late: 0 }],
      late: { n: m.lateUnits.length, shown: Math.min(m.lateUnits.length, LIST_LIMIT), rows: m.lateUnits.slice(0, LIST_LIMIT).map((u) => ({ ...u, name: nameOf(u.unitCode), url: `/kampanie/csizs/${enc(m.campaign.id)}/jednostki/${u.unitCode}`, step: CSIZS_STEP_TITLES[u.lateStep as keyof typeof CSIZS_STEP_TITLES] ?? u.lateStep })) },
      checkpoints: CSIZS_CHECKPOINTS.map((k) => {
        const rows = m.callLists[k] as { unitCode: string; voivodeship: string; status: string; calls: number; lastOutcome: string | null; lastCalledAt: string | null }[];
        // Still to call first: that is the list the person at the phone works through.
        const ordered = [...rows.filter((r) => r.status === 'open'), ...rows.filter((r) => r.status !== 'open')];
        return {
          id: k,
          title: CHECKPOINT_TITLES[k],
          n: rows.length,
          open: rows.filter((r) => r.status === 'open').length,
          shown: Math.min(rows.length, LIST_LIMIT),
          rows: ordered.slice(0, LIST_LIMIT).map((r) => ({
            ...r,
            name: nameOf(r.unitCode),
            statusLabel: CALL_STATUS[r.status] ?? r.status,
            lastOutcome: r.lastOutcome ? OUTCOMES[r.lastOutcome] ?? r.lastOutcome : null,
            callForm: canCall && r.status === 'open' ? `/kampanie/csizs/${enc(m.campaign.id)}/jednostki/${r.unitCode}/rozmowa` : null,
          })),
        };
      }),
      escalations: m.escalations.map((e) => ({ ...e, name: nameOf(e.unitCode), url: `/kampanie/csizs/${enc(m.campaign.id)}/jednostki/${e.unitCode}` })),
    });
  });

  // One unit's connection, from the read model: its steps in the plan's order with deadlines, who did each
  // and when, and what the step recorded (seed 004 pkt 7: NTP, Emp@tia address and certificate; pkt 9: PIU roles).
  router.get('/kampanie/csizs/:id/jednostki/:unitCode', requireSession, async (req: PageReq, res) => {
    const unit = await csizsUnit(orm, String(req.params.id), String(req.params.unitCode));
    if (!canOnCsizs(req.principal!, 'view-unit', unit)) throw new HttpError(403, 'FORBIDDEN', 'Ta jednostka jest poza Twoim zakresem');
    const state = await csizsUnitState(orm, unit);
    render(req, res, 'csizs-unit', {
      campaign: { id: unit.campaignId, name: state.campaign.name, url: `/kampanie/csizs/${enc(unit.campaignId)}` },
      unit: state.unit,
      steps: state.steps.map((s) => ({ ...s, piuRoles: s.piuRoles?.map((r: PiuReaderRole) => PIU_READER_ROLE_TITLES[r] ?? r) ?? null })),
      escalation: state.escalation,
      executive: state.executive,
    });
  });

  // The API's call action; "not confirmed" without a reason is refused by the workflow's rule.
  api.form(router, twins.csizs.call, {
    path: '/kampanie/csizs/:id/jednostki/:unitCode/rozmowa',
    back: (req) => `/kampanie/csizs/${enc(String(req.params.id))}`,
    ok: (_r, { params, body }) => `Zapisano rozmowę z jednostką ${params.unitCode}: ${OUTCOMES[body.outcome]}`,
  });

  router.get('/kampanie/raporty/:id', requireSession, async (req: PageReq, res) => {
    const scope = scopeOf(req);
    const r = await reportRollup(orm, String(req.params.id), scope);
    const voivs = await names();
    const byCode = new Map(r.voivodeships.map((v) => [v.code, v]));
    const grid = tiles(scope ?? [...voivs.keys()], voivs, (code) => {
      const v = byCode.get(code);
      return { done: v?.counts.accepted ?? 0, total: v?.total ?? 0, late: v?.counts.overdue ?? 0 };
    });
    render(req, res, 'campaign-report', {
      r,
      scopeName: scope ? scope.map((c) => voivs.get(c) ?? c).join(', ') : null,
      tiles: grid,
      chartHeight: grid.length * 22,
      states: ROLLUP_STATES.map((s) => ({ label: ROLLUP_LABELS[s] ?? s, n: r.national[s] ?? 0 })),
      headers: ROLLUP_STATES.map((s) => ROLLUP_LABELS[s] ?? s),
      rows: r.voivodeships.map((v) => ({ name: voivs.get(v.code) ?? v.name, total: v.total, counts: ROLLUP_STATES.map((s) => v.counts[s] ?? 0) })),
    });
  });
}
