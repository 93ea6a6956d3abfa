import type { Request, Response } from 'express';
import { z } from 'zod';
import { text } from '../text';
import { REPORT_STATUS_LABELS } from '../../workflows/rules/report';
import { getReportStatus, type ReportStatus } from '../../workflows/messages';
import { canDesignateReportPeople, canEditReport, canManageReporting, forbid, rollupVoivodeships, type Principal } from '../access';
import { statusLabel } from '../case-view';
import type { ApiDeps } from '../deps';
import { HttpError, notFound } from '../errors';
import type { Api } from '../http';
import { listCampaigns } from '../monitoring';
import { unitDirectory } from '../system/unit-directory';
import { taskView } from '../tasks/schemas';
import { decodeTaskCursor, encodeTaskCursor, openTasksPage } from '../tasks/service';
import { CASE_TYPE_LABELS, CSIZS_CAMPAIGN_STATUS_LABELS, MAIL_STATUS_LABELS, outboxFigures, overviewFigures } from './figures';
import { caseFilters, decodeCaseCursor, encodeCaseCursor, listCases } from './service';

// What the pages show, for programs: the case list with the page's filters and order in keyset pages, the
// open tasks in pages, the overview, the outbox, the campaigns and a report. Each reads through the same
// functions as its page.

const cursorText = text(1000).meta({ description: 'X-Next-Cursor (or the Link rel="next") of the previous page' });
const limit = z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Rows per page (1–200, default 50)' });

export const caseListQuery = caseFilters.omit({ page: true, perPage: true }).extend({ cursor: cursorText.optional(), limit });

const caseListItem = z.object({
  id: z.string(),
  type: z.string(),
  typeLabel: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  title: z.string(),
  unitCode: z.string(),
  unitName: z.string().nullable(),
  voivodeship: z.string(),
  waitingFor: z.string().nullable(),
  deadline: z.string().nullable(),
  overdue: z.boolean(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  openTasks: z.number(),
  url: z.string(),
});

const badCursor = () => new HttpError(400, 'VALIDATION_FAILED', 'Niepoprawny kursor stronicowania: użyj wartości X-Next-Cursor z poprzedniej strony, z tym samym sortowaniem', [{ path: 'query.cursor', message: 'Nieznany kursor' }]);

/** The next page's address in Link and X-Next-Cursor: the same query with the new cursor. */
function nextPage(req: Request, res: Response, cursor: string | null): void {
  if (!cursor) return;
  const q = new URLSearchParams(Object.entries(req.query).filter(([k, v]) => k !== 'cursor' && typeof v === 'string') as [string, string][]);
  q.set('cursor', cursor);
  res.set('X-Next-Cursor', cursor).set('Link', `<${req.path}?${q}>; rel="next"`);
}

const reportView = z
  .object({
    id: z.string(),
    campaignId: z.string(),
    form: z.object({ code: z.string(), name: z.string(), area: z.string() }),
    period: z.string(),
    unitCode: z.string(),
    voivodeship: z.string(),
    status: z.string(),
    statusLabel: z.string(),
    overdue: z.boolean(),
    dueDate: z.string(),
    updatedAt: z.string(),
    responsible: z.string().nullable(),
    substitute: z.string().nullable(),
    responsibleAbsent: z.boolean(),
    assignee: z.string().nullable(),
    drafts: z.number(),
    lastDraft: z.object({ content: z.unknown(), savedAt: z.string(), savedBy: z.string() }).nullable(),
    versions: z.array(z.object({ version: z.number(), sha256: z.string(), receiptNumber: z.string(), submittedAt: z.string(), submittedBy: z.string() })),
    dataRequests: z.array(z.object({ id: z.string(), recipientName: z.string(), subject: z.string(), dueDate: z.string(), status: z.string(), overdue: z.boolean(), answer: z.string().nullable() })),
  })
  .meta({ id: 'Report' });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function registerListRoutes(api: Api, { orm, temporal }: Pick<ApiDeps, 'orm' | 'temporal'>): void {
  api.route(
    {
      method: 'get',
      path: '/api/cases',
      summary: 'Cases within my scope with the case list page’s filters and order, in keyset pages (cursor + limit; the next page in Link and X-Next-Cursor)',
      tag: 'cases',
      auth: 'signed-in',
      query: caseListQuery,
      responses: { 200: { description: 'One page of cases; total is exact unless totalExact is false (then at least that many)', schema: z.object({ items: z.array(caseListItem), total: z.number(), totalExact: z.boolean(), nextCursor: z.string().nullable() }) } },
    },
    async ({ query, principal, req, res }) => {
      const { cursor, limit: perPage, ...filters } = query;
      const after = cursor ? decodeCaseCursor(cursor) : undefined;
      if (after === null || (after && (after.sort !== filters.sort || after.dir !== filters.dir))) throw badCursor();
      const list = await listCases(orm.em.fork(), principal!, { ...filters, page: 1, perPage }, { after });
      const now = Date.now();
      const last = list.rows[list.rows.length - 1];
      const next = list.more && last ? encodeCaseCursor({ sort: filters.sort, dir: filters.dir, key: last.sort_key, id: last.id }) : null;
      nextPage(req, res, next);
      res.json({
        items: list.rows.map((r) => ({
          id: r.id,
          type: r.type,
          typeLabel: CASE_TYPE_LABELS[r.type] ?? r.type,
          status: r.status,
          statusLabel: statusLabel(r),
          title: r.title,
          unitCode: r.unit_code,
          unitName: r.unit_name ?? null,
          voivodeship: r.voivodeship,
          waitingFor: r.waiting_for,
          deadline: iso(r.deadline),
          overdue: !r.closed_at && r.deadline !== null && r.deadline < now,
          updatedAt: iso(r.updated_at)!,
          closedAt: iso(r.closed_at),
          openTasks: r.open_tasks,
          url: `/api/cases/${encodeURIComponent(r.id)}`,
        })),
        total: list.total,
        totalExact: list.exact,
        nextCursor: next,
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/tasks',
      summary: 'Open tasks the caller may act on, earliest due first, in keyset pages (cursor + limit; the next page in Link and X-Next-Cursor)',
      tag: 'tasks',
      auth: 'signed-in',
      query: z.object({ cursor: cursorText.optional(), limit }),
      responses: { 200: { description: 'One page of tasks (the first 50 unless limit says otherwise)', schema: z.array(taskView) } },
    },
    async ({ query, principal, req, res }) => {
      const after = query.cursor ? decodeTaskCursor(query.cursor) : undefined;
      if (after === null) throw badCursor();
      const page = await openTasksPage(orm.em.fork(), principal!, { limit: query.limit, after });
      nextPage(req, res, page.next && encodeTaskCursor(page.next));
      res.json(
        page.tasks.map((t) => ({
          id: t.id,
          caseId: t.caseId,
          unitCode: t.unitCode ?? null,
          kind: t.kind,
          title: t.title,
          status: t.status,
          role: t.role,
          voivodeship: t.voivodeship ?? null,
          dueAt: t.dueAt?.toISOString() ?? null,
          outcome: null,
          comment: null,
          completedBy: null,
          completedAt: null,
          claimedBy: t.claimedBy ?? null,
        })),
      );
    },
  );

  const figure = z.object({ n: z.number(), closed: z.number(), overdue: z.number(), percent: z.number() });
  api.route(
    {
      method: 'get',
      path: '/api/overview',
      summary: 'The overview page’s figures: cases per voivodeship within my scope (all, closed, overdue, percent closed) and per status, of one type or all',
      tag: 'cases',
      auth: 'signed-in',
      query: z.object({ type: z.enum(Object.keys(CASE_TYPE_LABELS) as [string, ...string[]]).optional() }),
      responses: {
        200: {
          description: 'Figures',
          schema: z.object({
            type: z.string().nullable(),
            scope: z.array(z.string()).nullable(),
            voivodeships: z.array(figure.extend({ code: z.string(), name: z.string() })),
            total: figure,
            statuses: z.array(z.object({ status: z.string(), label: z.string(), n: z.number() })),
          }),
        },
      },
    },
    async ({ query, principal, res }) => {
      res.json(await overviewFigures(orm.em.fork(), principal!, (await unitDirectory(orm.em)).voivodeships, query.type));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/mail',
      summary: 'The outbox page: sent, failed and pending mail of cases within my scope, newest first (at most 200)',
      tag: 'cases',
      auth: 'signed-in',
      query: z.object({ status: z.enum(Object.keys(MAIL_STATUS_LABELS) as [string, ...string[]]).optional() }),
      responses: {
        200: {
          description: 'Mail',
          schema: z.array(z.object({ id: z.string(), caseId: z.string(), subject: z.string(), status: z.string(), statusLabel: z.string(), attempts: z.number(), lastError: z.string().nullable(), resendable: z.boolean(), createdAt: z.string() })),
        },
      },
    },
    async ({ query, principal, res }) => {
      const mails = await outboxFigures(orm.em.fork(), principal!, query.status ?? null);
      res.json(mails.map((m) => ({ id: m.id, caseId: m.case_id, subject: m.subject, status: m.status, statusLabel: m.statusLabel, attempts: m.attempts, lastError: m.last_error, resendable: !m.redacted, createdAt: new Date(m.created_at).toISOString() })));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/campaigns',
      summary: 'The campaigns page: CSIZS connection campaigns and reporting campaigns (ministry and voivodeship administrators)',
      tag: 'campaigns',
      auth: 'signed-in',
      responses: {
        200: {
          description: 'Campaigns, newest first (at most 100 of each)',
          schema: z.object({
            csizs: z.array(z.object({ id: z.string(), name: z.string(), status: z.string(), statusLabel: z.string(), totalUnits: z.number(), startedUnits: z.number(), url: z.string() })),
            reports: z.array(z.object({ id: z.string(), formCode: z.string(), period: z.string(), dueDate: z.string(), units: z.number(), url: z.string() })),
          }),
        },
      },
    },
    async ({ principal, res }) => {
      rollupVoivodeships(principal!);
      const { csizs, reports } = await listCampaigns(orm);
      res.json({
        csizs: csizs.map((c) => ({ id: c.id, name: c.name, status: c.status, statusLabel: CSIZS_CAMPAIGN_STATUS_LABELS[c.status] ?? c.status, totalUnits: c.total_units, startedUnits: c.started_units, url: `/api/csizs-campaigns/${encodeURIComponent(c.id)}/monitoring` })),
        reports: reports.map((r) => ({ id: r.id, formCode: r.form_code, period: r.period, dueDate: r.due_date, units: r.units, url: `/api/report-campaigns/${encodeURIComponent(r.id)}/rollup` })),
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/reports/:reportId',
      summary: 'A report: its form, period, unit, state, due date, people, drafts, submitted versions with receipts and data requests (its editors, the unit head, the voivodeship and the ministry)',
      tag: 'reports',
      auth: 'signed-in',
      params: z.object({ reportId: text(200) }),
      responses: { 200: { description: 'The report', schema: reportView } },
    },
    async ({ params, principal, res }) => {
      const conn = orm.em.fork().getConnection();
      const [r] = await conn.execute<{ id: string; campaign_id: string; form_code: string; form_name: string; area: string; period: string; unit_code: string; voivodeship: string; status: string; overdue: boolean; due_date: string; updated_at: Date }[]>(
        `select r.id, r.campaign_id, r.form_code, f.name as form_name, f.area, r.period, r.unit_code, r.voivodeship, r.status, r.overdue,
           to_char(r.due_date, 'YYYY-MM-DD') as due_date, r.updated_at
         from reports r join report_forms f on f.code = r.form_code where r.id = ?`,
        [params.reportId],
      );
      if (!r) throw notFound(`sprawozdanie ${params.reportId}`);
      if (!canSeeReport(principal!, r)) forbid();
      const [drafts, versions, requests] = await Promise.all([
        conn.execute<{ content: unknown; saved_at: Date; saved_by: string; n: number }[]>(
          'select content, saved_at, saved_by, count(*) over ()::int as n from report_drafts where report_id = ? order by saved_at desc, id desc limit 1',
          [r.id],
        ),
        conn.execute<{ version: number; sha256: string; receipt_number: string; submitted_at: Date; submitted_by: string }[]>(
          'select version, sha256, receipt_number, submitted_at, submitted_by from report_versions where report_id = ? order by version',
          [r.id],
        ),
        conn.execute<{ id: string; recipient_name: string; subject: string; due_date: string; status: string; overdue: boolean; answer_text: string | null }[]>(
          "select id, recipient_name, subject, to_char(due_date, 'YYYY-MM-DD') as due_date, status, overdue, answer_text from report_data_requests where report_id = ? order by created_at, id",
          [r.id],
        ),
      ]);
      const live = await temporal.workflow.getHandle(r.id).query(getReportStatus).catch(() => null);
      res.json({
        id: r.id,
        campaignId: r.campaign_id,
        form: { code: r.form_code, name: r.form_name, area: r.area },
        period: r.period,
        unitCode: r.unit_code,
        voivodeship: r.voivodeship,
        status: r.status,
        statusLabel: REPORT_STATUS_LABELS[r.status as ReportStatus] ?? r.status,
        overdue: r.overdue,
        dueDate: r.due_date,
        updatedAt: new Date(r.updated_at).toISOString(),
        responsible: live?.responsible ?? null,
        substitute: live?.substitute ?? null,
        responsibleAbsent: live?.responsibleAbsent ?? false,
        assignee: live?.assignee ?? null,
        drafts: drafts[0]?.n ?? 0,
        lastDraft: drafts[0] ? { content: drafts[0].content, savedAt: new Date(drafts[0].saved_at).toISOString(), savedBy: drafts[0].saved_by } : null,
        versions: versions.map((v) => ({ version: v.version, sha256: v.sha256, receiptNumber: v.receipt_number, submittedAt: new Date(v.submitted_at).toISOString(), submittedBy: v.submitted_by })),
        dataRequests: requests.map((d) => ({ id: d.id, recipientName: d.recipient_name, subject: d.subject, dueDate: d.due_date, status: d.status, overdue: d.overdue, answer: d.answer_text })),
      });
    },
  );
}

/** Its editors and the unit head; the ministry; the voivodeship administrator of its voivodeship. */
function canSeeReport(p: Principal, r: { unit_code: string; area: string; voivodeship: string }): boolean {
  if (canEditReport(p, { unitCode: r.unit_code, area: r.area }) || canDesignateReportPeople(p, { unitCode: r.unit_code }) || canManageReporting(p)) return true;
  try {
    const scope = rollupVoivodeships(p);
    return scope === null || scope.includes(r.voivodeship);
  } catch {
    return false;
  }
}

