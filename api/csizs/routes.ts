import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { getBlob, putBlob } from '../../lib/blobs';
import { SecretStore } from '../../lib/secret-store';
import { startsTaskQueue } from '../../lib/config';
import { startWorkflow } from '../../lib/workflow-types';
import {
  PACKAGE_PASSWORD_TTL_MS,
  SA,
  packagePasswordSecretId,
  completeCsizsStep,
  decideCsizsNotification,
  prepareCsizsPackage,
  submitCsizsNotification,
  submitCsizsNotificationScan,
  csizsCampaignWorkflowId,
  csizsConnectionWorkflowId,
  recordCsizsEscalation,
  type CsizsCampaignInput,
} from '../../workflows/messages';
import {
  CAMPAIGN_500_PLUS_2016,
  CSIZS_VOIVODESHIP_STEPS,
  CsizsErrorTypes,
  resolveCalendar,
  systemsWithoutCertificate,
  type CampaignCalendar,
} from '../../workflows/rules/csizs-campaign';
import { canOnCsizs, forbid, rollupVoivodeships } from '../access';
import type { ApiDeps } from '../deps';
import { campaignParams, csizsCallBody, csizsCampaignBody, csizsClarificationBody, csizsDecisionBody, csizsEscalationBody, csizsHandoverBody, csizsNotificationBody, csizsPackageBody, csizsStepBody, progressSchema, scanBody, unitDocParams, unitParams } from './schemas';
import { HttpError } from '../errors';
import type { Api } from '../http';
import { rateLimits } from '../rate-limits';
import { uploadPolicy } from '../uploads';
import { answerClarification, csizsUnit, recordCall, recordPasswordHandover, updateCsizsUnit } from './service';
import { csizsCampaignProgress, csizsMonitoring, csizsUnitState } from '../monitoring';

/**
 * A certificate's SHA-256 as the package and the registration compare it: line ends as LF (a PEM pasted
 * into a page's text area comes back with CRLF), no surrounding blanks.
 */
export const certificateSha256 = (certificate: string) => createHash('sha256').update(certificate.replace(/\r\n?/g, '\n').trim()).digest('hex');

// seed 004: the CSIZS connection campaign. Starting runs in a workflow (2,477 units do not fit in one
// HTTP request); monitoring reads the read model only.

export function registerCsizsRoutes(api: Api, { orm, temporal, config }: ApiDeps) {
  const conn = () => orm.em.fork().getConnection();
  const limits = rateLimits({ orm, config });
  const upload = uploadPolicy(config.UPLOAD_MAX_BYTES, limits);
  const secrets = new SecretStore(config.PAYLOAD_KEYRING);

  const progress = (id: string) => csizsCampaignProgress(orm, id);

  const updateUnit = <R, A>(unit: { id: string; unitCode: string }, update: UpdateDefinition<R, [A], string>, arg: A): Promise<R> =>
    updateCsizsUnit(temporal, { campaignId: unit.id, unitCode: unit.unitCode }, update, arg);
  const unitOf = (id: string, unitCode: string) => csizsUnit(orm, id, unitCode);

  api.route(
    {
      method: 'post',
      path: '/api/csizs-campaigns',
      summary: 'Create a CSIZS connection campaign: its calendar (default: the 2016 "500+" campaign) and participating gminas (seed 004)',
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_campaign_created',
      body: csizsCampaignBody,
      responses: { 201: { description: 'Campaign created', schema: progressSchema }, 200: { description: 'Campaign already exists', schema: progressSchema } },
    },
    async ({ body, principal, res }) => {
      if (!canOnCsizs(principal!, 'manage-campaign')) forbid();
      const calendar: CampaignCalendar = body.calendar ?? CAMPAIGN_500_PLUS_2016;
      const plan = resolveCalendar(calendar);
      const created = await orm.em.fork().transactional(async (em) => {
        const inserted = await em.execute(
          `insert into csizs_campaigns (id, name, area, calendar, plan, status, created_at) values (?, ?, ?, ?::jsonb, ?::jsonb, 'created', now())
           on conflict (id) do nothing`,
          [body.id, calendar.name, calendar.area, JSON.stringify(calendar), JSON.stringify(plan)],
          'run',
        );
        if (((inserted as { affectedRows?: number }).affectedRows ?? 0) === 0) return false;
        const codes = body.unitCodes ? JSON.stringify(body.unitCodes) : null;
        await em.execute(
          `insert into csizs_units (campaign_id, unit_code, voivodeship, workflow_id, completed, current_step, updated_at)
           select ?, u.code, u.voivodeship, 'csizs-' || ? || '-' || u.code, '{}'::jsonb, 'cas_report', now() from units u
           where u.kind = 'gmina' and (?::json is null or u.code in (select json_array_elements_text(?::json)))
           on conflict do nothing`,
          [body.id, body.id, codes, codes],
        );
        const [{ n }] = await em.execute<{ n: number }[]>('select count(*)::int as n from csizs_units where campaign_id = ?', [body.id]);
        if (body.unitCodes && n !== new Set(body.unitCodes).size) {
          throw new HttpError(422, 'UNKNOWN_UNIT', 'Nie wszystkie podane kody są gminami z rejestru TERC', [{ path: 'body.unitCodes', message: `Rozpoznano ${n} z ${body.unitCodes.length}` }]);
        }
        await em.execute('update csizs_campaigns set total_units = ? where id = ?', [n, body.id]);
        return true;
      });
      const p = await progress(body.id);
      res.status(created ? 201 : 200).location(p.url).json(p);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/start',
      summary: 'Start one connection workflow per participating unit, in the background; repeatable (seed 004)',
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_campaign_started',
      params: campaignParams,
      responses: { 202: { description: 'Starting (follow progress with GET)', schema: progressSchema } },
    },
    async ({ params, principal, res }) => {
      if (!canOnCsizs(principal!, 'manage-campaign')) forbid();
      await progress(params.id);
      const input: CsizsCampaignInput = { campaignId: params.id, voivodeship: null, offset: 0, batchSize: 50, caseTaskQueue: config.TEMPORAL_TASK_QUEUE };
      try {
        await startWorkflow(temporal, 'csizsCampaignWorkflow', {
          workflowId: csizsCampaignWorkflowId(params.id, null),
          taskQueue: startsTaskQueue(config),
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [{ key: SA.caseType, value: 'csizs-campaign' }],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      await conn().execute("update csizs_campaigns set status = 'starting' where id = ? and status = 'created'", [params.id]);
      res.status(202).json(await progress(params.id));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/csizs-campaigns/:id',
      summary: 'A campaign and how many of its connection workflows have started',
      tag: 'csizs',
      auth: 'signed-in',
      params: campaignParams,
      responses: { 200: { description: 'Progress', schema: progressSchema } },
    },
    async ({ params, principal, res }) => {
      if (!canOnCsizs(principal!, 'manage-campaign')) forbid();
      res.json(await progress(params.id));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/csizs-campaigns/:id/monitoring',
      summary: 'Units per step and per voivodeship, late units per step, call lists and escalations (seed 004); a voivodeship administrator sees their voivodeship',
      tag: 'csizs',
      auth: 'signed-in',
      params: campaignParams,
      responses: { 200: { description: 'Monitoring from the read model' } },
    },
    async ({ params, principal, res }) => {
      res.json(await csizsMonitoring(orm, params.id, rollupVoivodeships(principal!)));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/csizs-campaigns/:id/units/:unitCode',
      summary: "One unit's connection as its page shows it: steps in the plan's order with deadlines, who did each and what it recorded, the notification's state, any escalation",
      tag: 'csizs',
      auth: 'signed-in',
      params: unitParams,
      responses: { 200: { description: "The unit's connection, from the read model" } },
    },
    async ({ params, principal, res }) => {
      const unit = await unitOf(params.id, params.unitCode);
      if (!canOnCsizs(principal!, 'view-unit', unit)) forbid();
      res.json(await csizsUnitState(orm, unit));
    },
  );

  const step = api.action(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/units/:unitCode/steps',
      summary: "Report a step of the unit's connection as done, in the seed's order (409 when out of order)",
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_step_completed',
      params: unitParams,
      body: csizsStepBody,
      responses: { 200: { description: "The unit's connection state" } },
    },
    async ({ params, body, principal }) => {
      const unit = await unitOf(params.id, params.unitCode);
      if (!canOnCsizs(principal!, CSIZS_VOIVODESHIP_STEPS.includes(body.step) ? 'voivodeship-step' : 'unit-step', unit)) forbid();
      const { registration, ...rest } = body;
      // pkt 7c: only the certificate's SHA-256 enters the workflow (histories hold no certificate).
      const recorded = registration && {
        ntpServer: registration.ntpServer,
        empatiaAddress: registration.empatiaAddress,
        empatiaCertificateSha256: certificateSha256(registration.empatiaCertificate),
      };
      return updateUnit(params, completeCsizsStep, { ...rest, ...(recorded ? { registration: recorded } : {}), by: principal!.login });
    },
  );

  // ---- seed 004 pkt 2, Załącznik 2 ----
  const notification = api.action(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/units/:unitCode/notification',
      summary: "The unit's connection notification (Załącznik 2): its data and local administrator; a PDF to sign is generated",
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_notification_submitted',
      params: unitParams,
      body: csizsNotificationBody,
      responses: { 200: { description: "The unit's connection state, with the notification's document id" } },
    },
    async ({ params, body, principal }) => {
      const unit = await unitOf(params.id, params.unitCode);
      if (!canOnCsizs(principal!, 'unit-step', unit)) forbid();
      return updateUnit(params, submitCsizsNotification, { ...body, by: principal!.login });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/csizs-campaigns/:id/units/:unitCode/documents/:documentId',
      summary: "Download a document of the unit's connection (the notification to sign, its scan, the package: a password-protected AES-256 ZIP)",
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_document_downloaded',
      params: unitDocParams,
      responses: { 200: { description: 'The file', contentType: 'application/octet-stream' } },
    },
    async ({ params, principal, res }) => {
      const unit = await unitOf(params.id, params.unitCode);
      if (!canOnCsizs(principal!, 'view-unit', unit)) forbid();
      const em = orm.em.fork();
      const [doc] = await em.getConnection().execute<{ sha256: string; media_type: string; filename: string }[]>(
        'select sha256, media_type, filename from documents where id = ? and case_id = ?',
        [params.documentId, csizsConnectionWorkflowId(params.id, params.unitCode)],
      );
      if (!doc) throw new HttpError(404, 'CSIZS_DOCUMENT_NOT_FOUND', `Nie ma dokumentu ${params.documentId} tej jednostki`);
      const content = await getBlob(em, doc.sha256);
      if (!content) throw new HttpError(404, 'CSIZS_DOCUMENT_NOT_FOUND', `Brak treści dokumentu ${params.documentId}`);
      res.type(doc.media_type).set('Content-Disposition', `attachment; filename="${doc.filename}"`).set('X-Content-SHA256', doc.sha256).send(content);
    },
  );

  const notificationScan = api.action(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/units/:unitCode/notification/scan',
      summary: 'File the scan of the notification signed by the head (PDF, JPEG or PNG by content, its name must agree)',
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_notification_scan_filed',
      params: unitParams,
      body: scanBody,
      multipart: { file: 'file', fileDescription: 'The signed scan: PDF, JPEG or PNG by content' },
      responses: { 201: { description: 'Filed; the notification awaits the voivodeship administrator' } },
    },
    async ({ params, principal, req }) => {
      const unit = await unitOf(params.id, params.unitCode);
      if (!canOnCsizs(principal!, 'unit-step', unit)) forbid();
      await limits.upload(req.ip, principal!.accountId);
      const file = upload.accept(req, { required: true });
      const { mediaType, sha256: hash } = file;
      const documentId = `${csizsConnectionWorkflowId(params.id, params.unitCode)}:skan:${hash.slice(0, 16)}`;
      await putBlob(orm.em.fork(), file.buffer);
      const view = await updateUnit(params, submitCsizsNotificationScan, {
        documentId,
        sha256: hash,
        mediaType,
        size: file.size,
        filename: `skan-zgloszenia-${params.unitCode}-${hash.slice(0, 8)}.${file.extension}`,
        by: principal!.login,
      });
      return view;
    },
    [upload.single],
  );

  api.route(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/units/:unitCode/notification/decision',
      summary: 'The voivodeship administrator accepts the notification, rejects it with a reason, or asks the head for clarification',
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_notification_decided',
      params: unitParams,
      body: csizsDecisionBody,
      responses: { 200: { description: "The unit's connection state" } },
    },
    async ({ params, body, principal, res }) => {
      const unit = await unitOf(params.id, params.unitCode);
      if (!canOnCsizs(principal!, 'voivodeship-step', unit)) forbid();
      res.json(await updateUnit(params, decideCsizsNotification, { ...body, by: principal!.login }));
    },
  );

  const clarification = api.action(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/units/:unitCode/notification/clarification',
      summary: "The unit head's answer to the voivodeship administrator's question; the notification goes back for a decision",
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_clarification_answered',
      params: unitParams,
      body: csizsClarificationBody,
      responses: { 200: { description: "The unit's connection state" } },
    },
    async ({ params, body, principal }) => answerClarification({ orm, temporal }, principal!, await unitOf(params.id, params.unitCode), body.answer),
  );

  // ---- seed 004 pkt 5, Uwaga 2: Załącznik 3 ----
  api.route(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/units/:unitCode/package',
      summary: 'Prepare and send the information package (Załącznik 3) as a ZIP encrypted with AES-256 (a PDF inside); its password waits for the phone call',
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_package_sent',
      params: unitParams,
      body: csizsPackageBody,
      responses: { 200: { description: "The unit's connection state; the package password is NOT in it (see package-password/reveal)" } },
    },
    async ({ params, body, principal, res }) => {
      const unit = await unitOf(params.id, params.unitCode);
      if (!canOnCsizs(principal!, 'voivodeship-step', unit)) forbid();
      const systems = [...new Set(body.domainSystems)];
      const missing = systemsWithoutCertificate(systems, body.certificates);
      if (missing.length) {
        throw new HttpError(
          422,
          CsizsErrorTypes.certificatesMissing,
          `Brak certyfikatu dla systemu dziedzinowego: ${missing.join(', ')}`,
          missing.map((m) => ({ path: `body.certificates.${m}`, message: `Brak certyfikatu systemu ${m}` })),
        );
      }
      const extra = Object.keys(body.certificates).filter((k) => !systems.includes(k));
      if (extra.length) {
        throw new HttpError(422, 'CSIZS_UNKNOWN_DOMAIN_SYSTEM', `Certyfikat dla systemu spoza listy systemów jednostki: ${extra.join(', ')}`, extra.map((m) => ({ path: `body.certificates.${m}`, message: 'Nie ma go w domainSystems' })));
      }
      // Certificates stay out of history: sealed here for the activity, only their SHA-256 goes to the workflow.
      const workflowId = csizsConnectionWorkflowId(params.id, params.unitCode);
      const em = orm.em.fork();
      const domainSystems = [];
      for (const name of systems) {
        const certificate = body.certificates[name].trim();
        const certificateSecretId = await secrets.put(em, { purpose: 'certificate', owner: workflowId, value: certificate, ttlMs: 24 * 60 * 60 * 1000 });
        domainSystems.push({ name, certificateSha256: certificateSha256(certificate), certificateSecretId });
      }
      try {
        res.json(await updateUnit(params, prepareCsizsPackage, { domainSystems, by: principal!.login }));
      } catch (err) {
        await secrets.erase(em, domainSystems.map((d) => d.certificateSecretId));
        throw err;
      }
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/units/:unitCode/package-password/reveal',
      summary: 'The phone task: show the package password once, to read it out to the local administrator (a second call gets 410)',
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_package_password_revealed',
      params: unitParams,
      responses: { 200: { description: 'The password, once', schema: z.object({ password: z.string(), validForHours: z.number() }) } },
    },
    async ({ params, principal, res }) => {
      const unit = await unitOf(params.id, params.unitCode);
      if (!canOnCsizs(principal!, 'voivodeship-step', unit)) forbid();
      const password = await secrets.take(orm.em.fork(), packagePasswordSecretId(csizsConnectionWorkflowId(params.id, params.unitCode)));
      if (!password) {
        throw new HttpError(410, 'CSIZS_PACKAGE_PASSWORD_GONE', 'Hasło do pakietu zostało już wyświetlone, wygasło albo pakietu jeszcze nie wysłano; w razie potrzeby przygotuj pakiet ponownie');
      }
      res.set('Cache-Control', 'no-store').json({ password, validForHours: PACKAGE_PASSWORD_TTL_MS / 3_600_000 });
    },
  );

  const handover = api.action(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/units/:unitCode/package-password/handover',
      summary: 'The phone task done: the package password was handed over by phone, and when (never the password)',
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_package_password_handed_over',
      params: unitParams,
      body: csizsHandoverBody,
      responses: { 200: { description: "The unit's connection state" } },
    },
    async ({ params, body, principal }) => recordPasswordHandover({ orm, temporal }, principal!, await unitOf(params.id, params.unitCode), new Date(body.handedOverAt)),
  );

  const call = api.action(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/units/:unitCode/calls',
      summary: 'Record a checkpoint call: confirmed, not confirmed (with reason) or no answer (call again later)',
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_call_recorded',
      params: unitParams,
      body: csizsCallBody,
      responses: { 200: { description: "The unit's connection state" } },
    },
    ({ params, body, principal }) => recordCall({ orm, temporal }, principal!, params.id, params.unitCode, body),
  );

  api.route(
    {
      method: 'post',
      path: '/api/csizs-campaigns/:id/units/:unitCode/escalation',
      summary: 'Record the reason for no connection obtained from the mayor (wójt/burmistrz/prezydent miasta)',
      tag: 'csizs',
      auth: 'signed-in',
      audit: 'csizs_escalation_recorded',
      params: unitParams,
      body: csizsEscalationBody,
      responses: { 200: { description: "The unit's connection state" } },
    },
    async ({ params, body, principal, res }) => {
      if (!canOnCsizs(principal!, 'phone')) forbid();
      await unitOf(params.id, params.unitCode);
      res.json(await updateUnit(params, recordCsizsEscalation, { reason: body.reason, by: principal!.login }));
    },
  );

  return { clarification, handover, call, step, notification, notificationScan };
}
