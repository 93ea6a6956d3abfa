import { randomUUID } from 'node:crypto';
import { putBlob } from '../../lib/blobs';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { z } from 'zod';
import { multilineText, text } from '../text';
import { isPolishHoliday } from '../../lib/holidays';
import { insertCampaignRows } from '../../db/queries/report-campaigns';
import { bounded } from '../../lib/bounded';
import { startReport } from '../../lib/workflow-types';
import { startsTaskQueue } from '../../lib/config';
import { startWorkflow } from '../../lib/workflow-types';
import {
  ReportErrorTypes,
  SA,
  changeReportDeadline,
  cancelDataRequest,
  designateReportPeople,
  getReportStatus,
  replyToDataRequest,
  requestReportData,
  setReportAbsence,
  reportCampaignWorkflowId,
  reportFormScheduleId,
  reportWorkflowId,
  saveReportDraft,
  submitReport,
  type ReportCampaignInput,
  type ReportDeadlineChange,
} from '../../workflows/messages';
import {
  dataRequestPlan,
  DEFAULT_REPORT_POLICY,
  isScheduledPeriod,
  DueRuleError,
  nextWorkingDay,
  dueDate as computeDueDate,
  reportPlan,
  validateDueRule,
  type DueRule,
  type ReportPeriodKind,
  type ReportPlan,
  type ReportPolicy,
} from '../../workflows/rules/reporting-calendar';
import { canDesignateReportPeople, canEditReport, canManageReporting, canMarkReportAbsence, forbid, rollupVoivodeships, type Principal } from '../access';
import type { ApiDeps } from '../deps';
import { HttpError, notFound } from '../errors';
import type { Api } from '../http';
import { rateLimits } from '../rate-limits';
import { uploadPolicy } from '../uploads';
import { reportRollup } from '../monitoring';
import { mapWorkflowError } from '../temporal-errors';
import { syncFormSchedule } from './schedules';
import { campaignParams, code, contentBody, day, reportCampaignBody, reportFormBody, reportFormView, reportParams, reportPeopleView, rollupSchema } from './schemas';

// Process 3: the reporting calendar (forms and due rules), campaigns, drafts, submissions with receipts,
// deadline changes and the roll-up. Dates are calendar days in Europe/Warsaw.

function dueRuleError(err: unknown): never {
  if (err instanceof DueRuleError) throw new HttpError(422, 'DUE_RULE_INVALID', err.message, [{ path: `body.${err.path}`, message: err.message }]);
  throw err;
}

export const planFor = (due: string, policy: ReportPolicy = DEFAULT_REPORT_POLICY): ReportPlan => reportPlan(due, policy, isPolishHoliday);

/** Campaigns up to this many units start their report workflows directly from the API. */
export const DIRECT_START_LIMIT = 200;

export function registerReportRoutes(api: Api, { orm, temporal, config }: ApiDeps) {
  const conn = () => orm.em.fork().getConnection();
  const policy: ReportPolicy = {
    ...DEFAULT_REPORT_POLICY,
    reminderWorkingDaysBefore: [...config.REPORT_REMINDER_WORKING_DAYS],
    escalateAfterWorkingDays: config.REPORT_ESCALATION_WORKING_DAYS,
  };

  api.route(
    {
      method: 'get',
      path: '/api/report-forms',
      summary: 'The reporting calendar: report forms with their periods and due rules',
      tag: 'reports',
      auth: 'signed-in',
      responses: { 200: { description: 'Forms', schema: z.array(reportFormView) } },
    },
    async ({ res }) => {
      const rows = await conn().execute('select code, name, area, unit_kind, period, due_rule, active from report_forms order by code');
      res.json(
        rows.map((r: Record<string, unknown>) => ({
          code: r.code,
          name: r.name,
          area: r.area,
          unitKind: r.unit_kind,
          period: r.period,
          dueRule: r.due_rule,
          active: r.active,
          scheduleId: config.REPORT_FORM_SCHEDULES && isScheduledPeriod(String(r.period)) ? reportFormScheduleId(String(r.code)) : null,
        })),
      );
    },
  );

  api.route(
    {
      method: 'put',
      path: '/api/report-forms/:formCode',
      summary: 'Create or change a report form of the reporting calendar (ministry); a periodic form gets a Temporal Schedule opening each period, paused while the form is inactive',
      tag: 'reports',
      auth: 'signed-in',
      audit: 'report_form_saved',
      params: z.object({ formCode: code }),
      body: reportFormBody,
      responses: { 200: { description: 'Saved', schema: reportFormView } },
    },
    async ({ params, body, principal, res }) => {
      if (!canManageReporting(principal!)) forbid();
      try {
        validateDueRule(body.period, body.dueRule as DueRule);
      } catch (err) {
        dueRuleError(err);
      }
      const active = body.active ?? true;
      await conn().execute(
        `insert into report_forms (code, name, area, unit_kind, period, due_rule, active, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, now(), now())
         on conflict (code) do update set name = excluded.name, area = excluded.area, unit_kind = excluded.unit_kind, period = excluded.period,
           due_rule = excluded.due_rule, active = excluded.active, updated_at = now()`,
        [params.formCode, body.name, body.area, body.unitKind, body.period, JSON.stringify(body.dueRule), active],
      );
      // Saved first, so a repeated PUT after a failure here brings the schedule in line again.
      const scheduleId = config.REPORT_FORM_SCHEDULES
        ? await syncFormSchedule(temporal, config.TEMPORAL_TASK_QUEUE, { code: params.formCode, period: body.period, active }, policy)
        : null;
      res.json({ code: params.formCode, ...body, active, scheduleId });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/report-campaigns',
      summary: 'Open a form for a period (or a one-off survey) for chosen units or all of them; the report workflows start in the background',
      tag: 'reports',
      auth: 'signed-in',
      audit: 'report_campaign_opened',
      body: reportCampaignBody,
      responses: {
        202: {
          description: 'Campaign opened; report workflows are being started',
          schema: z.object({ id: z.string(), formCode: z.string(), period: z.string(), dueDate: z.string(), units: z.number(), rollupUrl: z.string() }),
        },
      },
    },
    async ({ body, principal, res }) => {
      if (!canManageReporting(principal!)) forbid();
      const c = conn();
      const [form] = await c.execute<{ code: string; name: string; area: string; unit_kind: string; period: ReportPeriodKind; due_rule: DueRule }[]>(
        'select code, name, area, unit_kind, period, due_rule from report_forms where code = ?',
        [body.formCode],
      );
      if (!form) throw new HttpError(422, 'UNKNOWN_FORM', `Nie ma formularza ${body.formCode} w kalendarzu sprawozdawczym`, [{ path: 'body.formCode', message: 'Nieznany formularz' }]);
      let due: string;
      try {
        due = body.dueDate ? nextWorkingDay(body.dueDate, isPolishHoliday) : computeDueDate(form.period, form.due_rule, body.period, isPolishHoliday);
      } catch (err) {
        dueRuleError(err);
      }
      const plan = planFor(due, policy);

      const filters: string[] = ['kind = ?'];
      const args: unknown[] = [form.unit_kind];
      if (body.units !== 'all') {
        filters.push('code in (?)');
        args.push(body.units);
      }
      if (body.voivodeship) {
        filters.push('voivodeship = ?');
        args.push(body.voivodeship);
      }
      const units = await c.execute<{ code: string; name: string; name_extra: string; voivodeship: string }[]>(
        `select code, name, name_extra, voivodeship from units where ${filters.join(' and ')} order by code`,
        args,
      );
      if (body.units !== 'all') {
        const found = new Set(units.map((u) => u.code));
        const missing = body.units.filter((u) => !found.has(u));
        if (missing.length) {
          throw new HttpError(422, 'UNKNOWN_UNIT', `Kody spoza rejestru TERC lub innego rodzaju niż ${form.unit_kind}: ${missing.slice(0, 10).join(', ')}`, [
            { path: 'body.units', message: `${missing.length} nieznanych kodów` },
          ]);
        }
      }
      if (units.length === 0) throw new HttpError(422, 'NO_UNITS', 'Wybrany zakres nie obejmuje żadnej jednostki', [{ path: 'body.units', message: 'Pusty zakres' }]);

      const campaignId = `${form.code}-${body.period}`;
      const created = await orm.em.fork().transactional((em) =>
        insertCampaignRows(em, { campaignId, formCode: form.code, period: body.period, dueDate: due, plan, unitCodes: units.map((u) => u.code), createdBy: principal!.login }),
      );
      if (!created) throw new HttpError(409, 'CAMPAIGN_EXISTS', `Kampania ${campaignId} jest już otwarta`);

      const input: ReportCampaignInput = {
        campaignId,
        base: { campaignId, formCode: form.code, formName: form.name, area: form.area, period: body.period, plan },
        units: units.map((u) => ({ unitCode: u.code, unitName: `${u.name} (${u.name_extra})`, voivodeship: u.voivodeship })),
        batchSize: 100,
      };
      if (input.units.length <= DIRECT_START_LIMIT) {
        // A handful of units start within the request, well inside any HTTP timeout.
        await bounded(input.units, 50, (u) =>
          startReport(temporal, config.TEMPORAL_TASK_QUEUE, { ...input.base, reportId: reportWorkflowId(form.code, body.period, u.unitCode), ...u }),
        );
      } else {
        // Thousands of starts would outlast the HTTP call: a campaign workflow starts them durably from
        // an activity with bounded concurrency (workflows/report-campaign.ts).
        await startWorkflow(temporal, 'reportCampaignWorkflow', {
          workflowId: reportCampaignWorkflowId(campaignId),
          taskQueue: startsTaskQueue(config),
          args: [{ ...input, caseTaskQueue: config.TEMPORAL_TASK_QUEUE }],
          typedSearchAttributes: [{ key: SA.caseType, value: 'report-campaign' }],
        });
      }
      const rollupUrl = `/api/report-campaigns/${encodeURIComponent(campaignId)}/rollup`;
      res.status(202).location(rollupUrl).json({ id: campaignId, formCode: form.code, period: body.period, dueDate: due, units: units.length, rollupUrl });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/report-campaigns/:campaignId/rollup',
      summary: 'State of every unit of a campaign, counted per voivodeship and nationally (read model)',
      tag: 'reports',
      auth: 'signed-in',
      params: campaignParams,
      responses: { 200: { description: 'Roll-up', schema: rollupSchema } },
    },
    async ({ params, principal, res }) => {
      res.json(await reportRollup(orm, params.campaignId, rollupVoivodeships(principal!)));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/report-campaigns/:campaignId/deadline',
      summary: 'Move the due date of a campaign for one voivodeship or the whole country, with a reason (ministry)',
      tag: 'reports',
      auth: 'signed-in',
      audit: 'report_deadline_changed',
      params: campaignParams,
      body: z.object({ dueDate: day, reason: multilineText(500, { min: 3 }), voivodeship: text(2).regex(/^\d{2}$/).optional() }).strict(),
      responses: { 200: { description: 'Running reports told', schema: z.object({ dueDate: z.string(), reports: z.number() }) } },
    },
    async ({ params, body, principal, res }) => {
      if (!canManageReporting(principal!)) forbid();
      const c = conn();
      const [campaign] = await c.execute('select id from report_campaigns where id = ?', [params.campaignId]);
      if (!campaign) throw notFound(`kampania ${params.campaignId}`);
      const due = nextWorkingDay(body.dueDate, isPolishHoliday);
      const reports = await c.execute<{ id: string }[]>(
        `select id from reports where campaign_id = ? and status <> 'accepted' ${body.voivodeship ? 'and voivodeship = ?' : ''} order by id`,
        body.voivodeship ? [params.campaignId, body.voivodeship] : [params.campaignId],
      );
      const change: ReportDeadlineChange = { changeId: randomUUID(), plan: planFor(due, policy), reason: body.reason, changedBy: principal!.login };
      await signalAll(temporal, reports.map((r) => r.id), change);
      res.json({ dueDate: due, reports: reports.length });
    },
  );

  const reportFor = async (reportId: string) => {
    const [r] = await conn().execute<{ id: string; unit_code: string; area: string; status: string }[]>(
      // The form's area: the reports row exists from the campaign's opening, the case row only once the
      // report workflow has opened it, and a head may designate people in between.
      `select r.id, r.unit_code, r.status, f.area from reports r join report_forms f on f.code = r.form_code where r.id = ?`,
      [reportId],
    );
    if (!r) throw notFound(`sprawozdanie ${reportId}`);
    return r;
  };
  // Checked after access, so an outsider learns nothing; the workflow of an accepted report has ended.
  const refuseAccepted = (r: { status: string }) => {
    if (r.status === 'accepted') {
      throw new HttpError(409, ReportErrorTypes.notEditable, 'Sprawozdanie zostało już zaakceptowane: nie można go zmienić ani złożyć ponownie');
    }
  };

  const draft = api.action(
    {
      method: 'put',
      path: '/api/reports/:reportId/draft',
      summary: 'Save the working version of a report (any number of times; every save is kept)',
      tag: 'reports',
      auth: 'signed-in',
      audit: 'report_draft_saved',
      params: reportParams,
      body: contentBody,
      responses: { 200: { description: 'Saved', schema: z.object({ status: z.string(), drafts: z.number() }) } },
    },
    async ({ params, body, principal }) => {
      const r = await reportFor(params.reportId);
      if (!canEditReport(principal!, { unitCode: r.unit_code, area: r.area })) forbid();
      refuseAccepted(r);
      const view = await temporal.workflow
        .getHandle(r.id)
        .executeUpdate(saveReportDraft, { args: [{ content: body.content, savedBy: principal!.login }] })
        .catch(mapWorkflowError);
      return { status: view.status, drafts: view.drafts };
    },
  );

  const submission = api.action(
    {
      method: 'post',
      path: '/api/reports/:reportId/submission',
      summary: 'Submit a report (or its correction); answers with the acknowledgement of receipt (UPO)',
      tag: 'reports',
      auth: 'signed-in',
      audit: 'report_submitted',
      params: reportParams,
      body: contentBody,
      responses: {
        201: {
          description: 'Received',
          schema: z.object({ reportId: z.string(), version: z.number(), receiptNumber: z.string(), sha256: z.string(), submittedAt: z.string(), submittedBy: z.string() }),
        },
      },
    },
    async ({ params, body, principal }) => {
      const r = await reportFor(params.reportId);
      if (!canEditReport(principal!, { unitCode: r.unit_code, area: r.area })) forbid();
      refuseAccepted(r);
      const receipt = await temporal.workflow
        .getHandle(r.id)
        .executeUpdate(submitReport, { args: [{ content: body.content, submittedBy: principal!.login }] })
        .catch(mapWorkflowError);
      return receipt;
    },
  );

  /** An active account that may draft and submit this report (the unit's head, or its staff of the area). */
  const unitMember = async (login: string, r: { unit_code: string; area: string }, path: string) => {
    const c = conn();
    const [account] = await c.execute<{ id: string; login: string }[]>("select id, login from accounts where login = ? and status = 'active'", [login]);
    const assignments = account
      ? await c.execute<Principal['assignments']>('select role, voivodeship, unit_code as "unitCode", area from role_assignments where account_id = ?', [account.id])
      : [];
    if (!account || !canEditReport({ accountId: account.id, login, assignments, mustChangePassword: false, via: 'token' }, { unitCode: r.unit_code, area: r.area })) {
      throw new HttpError(422, ReportErrorTypes.personNotInUnit, `${login} nie jest aktywnym pracownikiem jednostki ${r.unit_code} uprawnionym do tego sprawozdania`, [
        { path, message: 'Osoba spoza jednostki lub bez uprawnień w obszarze sprawozdania' },
      ]);
    }
    return { accountId: account.id, login: account.login };
  };
  const peopleOf = (v: { status: string; responsible: string | null; substitute: string | null; responsibleAbsent: boolean; secondLevel?: string | null; substituteAbsent?: boolean; unitTaskId: string | null; assignee: string | null }) => ({
    status: v.status,
    responsible: v.responsible,
    substitute: v.substitute,
    responsibleAbsent: v.responsibleAbsent,
    secondLevel: v.secondLevel ?? null,
    substituteAbsent: !!v.substituteAbsent,
    unitTaskId: v.unitTaskId,
    assignee: v.assignee,
  });

  const people = api.action(
    {
      method: 'put',
      path: '/api/reports/:reportId/people',
      summary: "Designate the report's responsible person and substitute (the unit's head); the unit's tasks go to the responsible person",
      tag: 'reports',
      auth: 'signed-in',
      audit: 'report_people_designated',
      params: reportParams,
      body: z.object({ responsible: text(100), substitute: text(100).nullable().optional() }).strict(),
      responses: { 200: { description: 'Designated', schema: reportPeopleView } },
    },
    async ({ params, body, principal }) => {
      const r = await reportFor(params.reportId);
      if (!canDesignateReportPeople(principal!, { unitCode: r.unit_code })) forbid();
      refuseAccepted(r);
      const responsible = await unitMember(body.responsible, r, 'body.responsible');
      const substitute = body.substitute ? await unitMember(body.substitute, r, 'body.substitute') : null;
      const view = await temporal.workflow
        .getHandle(r.id)
        .executeUpdate(designateReportPeople, { args: [{ responsible, substitute, designatedBy: principal!.login }] })
        .catch(mapWorkflowError);
      return peopleOf(view);
    },
  );

  const absence = api.action(
    {
      method: 'put',
      path: '/api/reports/:reportId/absence',
      summary: 'Mark the responsible person absent (the unit’s tasks move to the substitute) or present again (the head or the person)',
      tag: 'reports',
      auth: 'signed-in',
      audit: 'report_absence_marked',
      params: reportParams,
      // seed 002 §I.4-5: the substitute's absence too (with both away, the second level takes over).
      body: z.object({ absent: z.boolean(), person: z.enum(['responsible', 'substitute']).optional() }).strict(),
      responses: { 200: { description: 'Recorded', schema: reportPeopleView } },
    },
    async ({ params, body, principal }) => {
      const r = await reportFor(params.reportId);
      const handle = temporal.workflow.getHandle(r.id);
      const live = r.status === 'accepted' ? null : await handle.query(getReportStatus).catch(() => null);
      const whose = body.person === 'substitute' ? (live?.substitute ?? null) : (live?.responsible ?? null);
      if (!canMarkReportAbsence(principal!, { unitCode: r.unit_code, responsible: whose })) forbid();
      refuseAccepted(r);
      const view = await handle.executeUpdate(setReportAbsence, { args: [{ absent: body.absent, by: principal!.login, ...(body.person ? { person: body.person } : {}) }] }).catch(mapWorkflowError);
      return peopleOf(view);
    },
  );

  // ---- Data requests: asked and recorded by the unit's people who draft the report ----
  // The reply reaches the unit by mail or phone; whoever may edit the report records it here (no signed
  // link for outsiders: the recipient needs no account and is never sent a way into the system).
  const limits = rateLimits({ orm, config });
  const upload = uploadPolicy(config.UPLOAD_MAX_BYTES, limits);
  const requestParams = reportParams.extend({ requestId: text(250) });
  const requestView = z.object({ requestId: z.string(), status: z.string(), dueDate: z.string(), overdue: z.boolean(), remindersSent: z.number() });

  const editableReport = async (reportId: string, principal: Principal) => {
    const r = await reportFor(reportId);
    if (!canEditReport(principal, { unitCode: r.unit_code, area: r.area })) forbid();
    return r;
  };
  const requestOf = async (reportId: string, requestId: string) => {
    const [row] = await conn().execute<{ id: string; status: string }[]>('select id, status from report_data_requests where id = ? and report_id = ?', [requestId, reportId]);
    if (!row) throw notFound(`prośba o dane ${requestId}`);
    if (row.status !== 'open') {
      throw new HttpError(409, ReportErrorTypes.dataRequestClosed, row.status === 'cancelled' ? 'Prośba o dane została anulowana: nie przyjmuje już odpowiedzi' : 'Prośba o dane jest już zamknięta: odpowiedź została zapisana wcześniej');
    }
    return row;
  };

  const dataRequest = api.action(
    {
      method: 'post',
      path: '/api/reports/:reportId/data-requests',
      summary: 'Ask another department or an external unit (by e-mail, no account needed) for data to the report, with a due date',
      tag: 'reports',
      auth: 'signed-in',
      audit: 'report_data_requested',
      params: reportParams,
      body: z
        .object({
          recipient: z.object({ name: text(200, { min: 2 }), email: z.email('Niepoprawny adres e-mail').max(200) }).strict(),
          subject: multilineText(2000, { min: 3 }),
          dueDate: day,
        })
        .strict(),
      responses: { 201: { description: 'Request sent', schema: z.object({ requestId: z.string(), reportStatus: z.string(), dueDate: z.string() }) } },
    },
    async ({ params, body, principal }) => {
      const r = await editableReport(params.reportId, principal!);
      refuseAccepted(r);
      const plan = dataRequestPlan(body.dueDate, Date.now(), isPolishHoliday, { reminderWorkingDaysBefore: 1, notifyHour: policy.notifyHour });
      const out = await temporal.workflow
        .getHandle(r.id)
        .executeUpdate(requestReportData, { args: [{ recipient: body.recipient, subject: body.subject, plan, requestedBy: principal!.login }] })
        .catch(mapWorkflowError);
      return { requestId: out.requestId, reportStatus: out.status, dueDate: plan.dueDate };
    },
  );

  const dataReply = api.action(
    {
      method: 'post',
      path: '/api/reports/:reportId/data-requests/:requestId/reply',
      summary: 'Record the reply to a data request (text, and optionally a file): attached to the report’s history and documents',
      tag: 'reports',
      auth: 'signed-in',
      audit: 'report_data_reply_recorded',
      params: requestParams,
      body: z.object({ text: multilineText(10_000) }).strict(),
      multipart: { file: 'file', fileDescription: 'Optional: the file received with the reply' },
      responses: { 200: { description: 'Recorded; the request is closed', schema: requestView } },
    },
    async ({ params, body, principal, req }) => {
      const r = await editableReport(params.reportId, principal!);
      await requestOf(r.id, params.requestId);
      let document = null;
      await limits.upload(req.ip, principal!.accountId);
      const file = upload.accept(req, { required: false });
      if (file) {
        await putBlob(orm.em.fork(), file.buffer);
        document = { documentId: `${params.requestId}:reply:${file.sha256.slice(0, 16)}`, sha256: file.sha256, mediaType: file.mediaType, size: file.size, filename: file.safeName };
      }
      const view = await temporal.workflow
        .getHandle(params.requestId)
        .executeUpdate(replyToDataRequest, { args: [{ text: body.text, document, recordedBy: principal!.login }] })
        .catch(mapWorkflowError);
      return view;
    },
    [upload.single],
  );

  const dataCancel = api.action(
    {
      method: 'post',
      path: '/api/reports/:reportId/data-requests/:requestId/cancel',
      summary: 'Cancel a data request that is no longer needed, with a reason',
      tag: 'reports',
      auth: 'signed-in',
      audit: 'report_data_request_cancelled',
      params: requestParams,
      body: z.object({ reason: multilineText(500, { min: 3 }) }).strict(),
      responses: { 200: { description: 'Cancelled', schema: requestView } },
    },
    async ({ params, body, principal }) => {
      const r = await editableReport(params.reportId, principal!);
      await requestOf(r.id, params.requestId);
      const view = await temporal.workflow
        .getHandle(params.requestId)
        .executeUpdate(cancelDataRequest, { args: [{ reason: body.reason, by: principal!.login }] })
        .catch(mapWorkflowError);
      return view;
    },
  );
  return { draft, submission, people, absence, dataRequest, dataReply, dataCancel };
}

async function signalAll(temporal: Client, ids: string[], change: ReportDeadlineChange): Promise<void> {
  await bounded(ids, 50, async (id) => {
    // A report whose workflow has ended (accepted meanwhile) has no deadline left to move.
    await temporal.workflow.getHandle(id).signal(changeReportDeadline, change).catch((err) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
  });
}
