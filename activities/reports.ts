import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { AccountSchema, CaseSchema, UnitSchema } from '../db/entities';
import { putBlob } from '../lib/blobs';
import { htmlToPdf } from '../lib/browser';
import { renderMail } from '../lib/templates';
import { isPolishHoliday } from '../lib/holidays';
import { insertCampaignRows } from '../db/queries/report-campaigns';
import { ReportErrorTypes, type ReportCampaignInput, type ReportInput, type ReportReceipt, type ReportStatus } from '../workflows/messages';
import { dueDate, reportPlan, type DueRule, type ReportPeriodKind, type ReportPolicy } from '../workflows/rules/reporting-calendar';
import { canonicalJson, receiptNumberFor } from '../lib/receipts';
import { bounded } from '../lib/bounded';
import { startReport } from '../lib/workflow-types';
import { appendEvent, type CaseEventInput, type OpenTaskInput } from './cases';
import type { ActivityDeps } from './deps';
import { asLetter, deliver } from './mail';
import { activeAccountIdByLogin, activeHoldersInVoivodeship, unitReportRecipients } from '../db/queries/accounts';
import { documentExistsInEm, insertJsonReceiptDocumentOnce, insertPdfReceiptDocumentOnce, insertReportCaseOnce, updateReportCase } from '../db/queries/cases';
import { reportForm, campaignCreatedBy, insertReportDraftOnce, insertReportRowOnce, insertReportVersion, reportVersionReceipt, setReportVersions, updateReportState } from '../db/queries/reports';
import { unitsOfKind } from '../db/queries/reference';
import { claimOpenTask, insertTaskOnce } from '../db/queries/tasks';

// Process 3: the read model of per-unit reports (the roll-up counts it), drafts, submitted versions with
// their receipts, and notices to the unit, its head and the voivodeship.

export type ReportDeps = ActivityDeps;

export interface ReportStateInput {
  reportId: string;
  status?: ReportStatus;
  overdue?: boolean;
  dueDate?: string;
  deadline?: string | null;
  waitingFor?: string | null;
  closed?: boolean;
  event?: CaseEventInput;
}

export type ReportNoticeKind = 'reminder' | 'head' | 'voivodeship' | 'returned';

export function createReportActivities({ orm, mailer, browser, templates, mailFrom, publicUrl, temporal }: ReportDeps) {
  const tx = <T>(fn: (em: EntityManager) => Promise<T>) => orm.em.fork().transactional(fn);

  async function setState(em: EntityManager, input: ReportStateInput): Promise<void> {
    await updateReportState(em, input);
    await updateReportCase(em, input);
    if (input.event) await appendEvent(em, input.reportId, input.event);
  }

  return {
    /**
     * A scheduled run opens its form for the period: the campaign and report rows, and the campaign's
     * input. Null when the form is gone or inactive, or when the campaign was opened otherwise (by hand
     * or by an earlier run); a retry of the same run (`openedBy`) finds its own campaign and goes on.
     */
    async prepareScheduledCampaign(input: { formCode: string; period: string; policy: ReportPolicy; openedBy: string }): Promise<ReportCampaignInput | null> {
      return tx(async (em) => {
        const [form] = await reportForm<ReportPeriodKind, DueRule>(em, input.formCode);
        if (!form || !form.active) return null;
        let due: string;
        try {
          due = dueDate(form.period, form.due_rule, input.period, isPolishHoliday);
        } catch (err) {
          throw ApplicationFailure.nonRetryable(err instanceof Error ? err.message : String(err), 'DUE_RULE_INVALID');
        }
        const plan = reportPlan(due, input.policy, isPolishHoliday);
        const units = await unitsOfKind(em, form.unit_kind);
        const campaignId = `${form.code}-${input.period}`;
        const created = await insertCampaignRows(em, { campaignId, formCode: form.code, period: input.period, dueDate: due, plan, unitCodes: units.map((u) => u.code), createdBy: input.openedBy });
        if (!created) {
          const [existing] = await campaignCreatedBy(em, campaignId);
          if (existing?.created_by !== input.openedBy) return null;
        }
        return {
          campaignId,
          base: { campaignId, formCode: form.code, formName: form.name, area: form.area, period: input.period, plan },
          units: units.map((u) => ({ unitCode: u.code, unitName: `${u.name} (${u.name_extra})`, voivodeship: u.voivodeship })),
          batchSize: 100,
        };
      });
    },

    /**
     * Starts one chunk of a campaign's report workflows with the client, at most `concurrency` at once.
     * A retry starts the chunk again: a report already running is kept (USE_EXISTING), nothing doubles.
     */
    async startReportWorkflows(input: { reports: ReportInput[]; taskQueue: string; concurrency: number }): Promise<number> {
      if (!temporal) throw ApplicationFailure.nonRetryable('The worker was started without a Temporal client', 'NO_TEMPORAL_CLIENT');
      let done = 0;
      await bounded(input.reports, input.concurrency, async (r) => {
        await startReport(temporal, input.taskQueue, r);
        if (++done % 25 === 0) heartbeat(done);
      });
      return done;
    },

    /** The case and the read-model row; the API inserts the row in bulk for a campaign, a direct start here. */
    async openReport(input: ReportInput & { runId: string; event: CaseEventInput }): Promise<void> {
      await tx(async (em) => {
        await insertReportRowOnce(em, {
          id: input.reportId,
          campaignId: input.campaignId,
          formCode: input.formCode,
          period: input.period,
          unitCode: input.unitCode,
          voivodeship: input.voivodeship,
          dueDate: input.plan.dueDate,
        });
        await insertReportCaseOnce(em, {
          id: input.reportId,
          unitCode: input.unitCode,
          voivodeship: input.voivodeship,
          title: `Sprawozdanie ${input.formCode} za ${input.period}: ${input.unitName} (${input.unitCode})`.slice(0, 300),
          waitingFor: 'Czeka na sporządzenie i przekazanie sprawozdania przez jednostkę',
          deadline: new Date(input.plan.deadlineAt),
          data: JSON.stringify({ campaignId: input.campaignId, formCode: input.formCode, formName: input.formName, period: input.period, area: input.area, dueDate: input.plan.dueDate }),
          runId: input.runId,
        });
        await appendEvent(em, input.reportId, input.event);
      });
    },

    async setReportState(input: ReportStateInput): Promise<void> {
      await tx((em) => setState(em, input));
    },

    /**
     * The unit's task (preparation or correction), opened if it is not yet and held by `assignee`: the
     * tasks read model shows who holds it (claimed_by), the case history why it moved.
     */
    async assignReportTask(input: { task: OpenTaskInput; assignee: string; event: CaseEventInput }): Promise<void> {
      const t = input.task;
      await tx(async (em) => {
        await insertTaskOnce(em, {
          id: t.taskId,
          caseId: t.caseId,
          kind: t.kind,
          title: t.title,
          role: t.role,
          voivodeship: t.voivodeship ?? null,
          unitCode: t.unitCode ?? null,
          dueAt: t.dueAt ? new Date(t.dueAt) : null,
        });
        await claimOpenTask(em, t.taskId, input.assignee);
        await appendEvent(em, t.caseId, input.event);
      });
    },

    /** seed 001: every save is kept, so nothing typed is lost; the key makes a retry write one row. */
    async saveReportDraft(input: { reportId: string; key: string; content: Record<string, unknown>; savedBy: string; firstDraft: boolean }): Promise<void> {
      await tx(async (em) => {
        await insertReportDraftOnce(em, { reportId: input.reportId, content: JSON.stringify(input.content), savedBy: input.savedBy, key: input.key });
        await setState(em, {
          reportId: input.reportId,
          ...(input.firstDraft ? { status: 'draft' as const } : {}),
          event: { key: `${input.key}:event`, type: 'draft_saved', actor: input.savedBy, message: 'Zapisano wersję roboczą sprawozdania' },
        });
      });
    },

    /** Records the version and its receipt (seed 003: exact time, SHA-256 of the content, a number). */
    async recordReportSubmission(input: { reportId: string; version: number; content: Record<string, unknown>; submittedBy: string }): Promise<ReportReceipt> {
      if (!input.content || typeof input.content !== 'object' || Array.isArray(input.content)) {
        throw ApplicationFailure.nonRetryable('Treść sprawozdania musi być obiektem JSON', ReportErrorTypes.invalidContent);
      }
      return tx(async (em) => {
        const existing = await reportVersionReceipt(em, input.reportId, input.version);
        if (existing[0]) {
          const r = existing[0];
          return { reportId: input.reportId, version: input.version, receiptNumber: r.receipt_number, sha256: r.sha256, submittedAt: new Date(r.submitted_at).toISOString(), submittedBy: r.submitted_by };
        }
        const canonical = canonicalJson(input.content);
        const hash = createHash('sha256').update(canonical, 'utf8').digest('hex');
        const at = new Date();
        const receipt: ReportReceipt = {
          reportId: input.reportId,
          version: input.version,
          receiptNumber: receiptNumberFor(input.reportId, input.version, at),
          sha256: hash,
          submittedAt: at.toISOString(),
          submittedBy: input.submittedBy,
        };
        await insertReportVersion(em, {
          reportId: input.reportId,
          version: input.version,
          content: canonical,
          sha256: hash,
          receiptNumber: receipt.receiptNumber,
          submittedAt: at,
          submittedBy: input.submittedBy,
        });
        await setReportVersions(em, input.reportId, input.version);
        const json = Buffer.from(JSON.stringify(receipt, null, 2), 'utf8');
        const jsonHash = await putBlob(em, json);
        await insertJsonReceiptDocumentOnce(em, {
          id: `${input.reportId}:v${input.version}:upo.json`,
          reportId: input.reportId,
          title: `Urzędowe poświadczenie odbioru ${receipt.receiptNumber}`,
          size: json.length,
          sha256: jsonHash,
          filename: `upo-v${input.version}.json`,
        });
        await setState(em, {
          reportId: input.reportId,
          status: 'submitted',
          waitingFor: 'Czeka na weryfikację przez administratora wojewódzkiego',
          event: {
            key: `${input.reportId}:v${input.version}:submitted`,
            type: 'report_submitted',
            actor: input.submittedBy,
            at: receipt.submittedAt,
            message: `Przekazano sprawozdanie (wersja ${input.version}); poświadczenie odbioru ${receipt.receiptNumber}, SHA-256 ${hash}`,
            data: { ...receipt },
          },
        });
        return receipt;
      });
    },

    /** The receipt as a PDF through the shared browser; a deterministic id makes a retry a no-op. */
    async renderReportReceipt(input: { reportId: string; receipt: ReportReceipt }): Promise<string> {
      const id = `${input.reportId}:v${input.receipt.version}:upo.pdf`;
      const em = orm.em.fork();
      if ((await documentExistsInEm(em, id)).length) return id;
      const c = await em.findOneOrFail(CaseSchema, { id: input.reportId });
      const unit = await em.findOne(UnitSchema, { code: c.unitCode });
      const html = templates.render('documents/report-receipt', {
        receipt: input.receipt,
        formCode: c.data.formCode,
        formName: c.data.formName,
        period: c.data.period,
        unitCode: c.unitCode,
        unitName: unit ? `${unit.name} (${unit.nameExtra})` : c.unitCode,
      });
      heartbeat();
      const pdf = await htmlToPdf(await browser.get(), html);
      heartbeat();
      await em.transactional(async (t) => {
        const hash = await putBlob(t, pdf);
        await insertPdfReceiptDocumentOnce(t, {
          id,
          reportId: input.reportId,
          title: `Urzędowe poświadczenie odbioru ${input.receipt.receiptNumber} (PDF)`,
          size: pdf.length,
          sha256: hash,
          filename: `upo-v${input.receipt.version}.pdf`,
        });
      });
      return id;
    },

    /**
     * A notice to the unit (its staff of the form's area and its head), to the head alone, or to the
     * voivodeship administrators; the case history records it even when nobody could be mailed.
     */
    async sendReportNotice(input: {
      key: string;
      reportId: string;
      kind: ReportNoticeKind;
      audience: 'unit' | 'unit_head' | 'voivodeship_admin';
      /** For the unit: the login of whoever holds its task now, instead of all its staff of the area. */
      to?: string | null;
      vars: Record<string, unknown>;
      event: Omit<CaseEventInput, 'key'>;
    }): Promise<number> {
      const em = orm.em.fork();
      const c = await em.findOneOrFail(CaseSchema, { id: input.reportId });
      const area = String(c.data.area ?? '');
      const rows = input.to && input.audience === 'unit'
        ? await activeAccountIdByLogin(em, input.to)
        : input.audience === 'voivodeship_admin'
          ? await activeHoldersInVoivodeship(em, 'voivodeship_admin', c.voivodeship)
          : await unitReportRecipients(em, { unitCode: c.unitCode, audience: input.audience, area });
      const unit = await em.findOne(UnitSchema, { code: c.unitCode });
      let sent = 0;
      for (const { id } of rows) {
        const recipient = await em.findOneOrFail(AccountSchema, { id });
        const content = renderMail(templates, 'report-notice', {
          case: c,
          recipient,
          kind: input.kind,
          formCode: c.data.formCode,
          formName: c.data.formName,
          period: c.data.period,
          unit: unit ? { code: unit.code, name: `${unit.name} (${unit.nameExtra})` } : { code: c.unitCode, name: c.unitCode },
          caseUrl: `${publicUrl.replace(/\/$/, '')}/api/cases/${encodeURIComponent(c.id)}`,
          publicUrl,
          ...input.vars,
        });
        await deliver(em, mailer, mailFrom, { key: `${input.key}:${id}`, caseId: c.id, to: recipient.email, template: 'report-notice', ...content, letter: asLetter('report-notice', publicUrl, input.kind) });
        sent++;
      }
      await appendEvent(em, c.id, { key: input.key, ...input.event, data: { ...input.event.data, recipients: sent } });
      return sent;
    },
  };
}

export type ReportActivities = ReturnType<typeof createReportActivities>;
