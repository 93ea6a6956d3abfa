import { getBlob, putBlob } from '../../lib/blobs';
import { getRegistrationStatus, submitScan } from '../../workflows/messages';
import { bulkBody, runBulkAction } from './bulk';
import { claimTask, completeDecisionTask, reassignTask } from '../tasks/service';
import { registerListRoutes } from './list-routes';
import { canOnCase, forbid } from '../access';
import { buildCaseView, findCase } from '../case-view';
import type { ApiDeps } from '../deps';
import { HttpError, notFound } from '../errors';
import type { Api } from '../http';
import { rateLimits } from '../rate-limits';
import { uploadPolicy } from '../uploads';
import { caseStatusLabel } from '../labels';
import { caseIdParams, caseView, mailIdParams, scanFields } from './schemas';
import { decisionBody, taskIdParams } from '../tasks/schemas';
import { resendOutboxMail } from './mail';
import { mapWorkflowError } from '../temporal-errors';
import { z } from 'zod';
import { text } from '../text';

const SCAN_ACCEPTING = ['awaiting_scan', 'correction_requested', 'awaiting_decision'];

export function registerCaseRoutes(api: Api, { orm, temporal, config }: ApiDeps) {
  const limits = rateLimits({ orm, config });
  const upload = uploadPolicy(config.UPLOAD_MAX_BYTES, limits);

  const loadVisibleCase = async (caseId: string, principal: Parameters<typeof canOnCase>[0]) => {
    const em = orm.em.fork();
    const c = await findCase(em, caseId);
    if (!c) throw notFound(`sprawa ${caseId}`);
    if (!canOnCase(principal, 'view', c)) forbid();
    return { em, c };
  };

  api.route(
    {
      method: 'get',
      path: '/api/cases/:caseId',
      summary: 'A case with its status, history, tasks, documents, mail and deadlines',
      tag: 'cases',
      auth: 'signed-in',
      params: caseIdParams,
      responses: { 200: { description: 'The case', schema: caseView } },
    },
    async ({ params, principal, res }) => {
      const { em, c } = await loadVisibleCase(params.caseId, principal!);
      res.json(await buildCaseView(em, c, config.TEMPORAL_UI_URL, config.TEMPORAL_NAMESPACE));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/cases/:caseId/documents/:documentId',
      summary: 'Download a document of a case',
      audit: 'document_downloaded',
      tag: 'cases',
      auth: 'signed-in',
      params: caseIdParams.extend({ documentId: text(250) }),
      responses: { 200: { description: 'The file', contentType: 'application/octet-stream' } },
    },
    async ({ params, principal, res }) => {
      const { em, c } = await loadVisibleCase(params.caseId, principal!);
      const rows = await em.getConnection().execute<{ sha256: string; media_type: string; filename: string }[]>(
        'select sha256, media_type, filename from documents where id = ? and case_id = ?',
        [params.documentId, c.id],
      );
      if (!rows[0]) throw notFound(`dokument ${params.documentId}`);
      const content = await getBlob(em, rows[0].sha256);
      if (!content) throw notFound(`treść dokumentu ${params.documentId}`);
      res
        .type(rows[0].media_type)
        .set('Content-Disposition', `attachment; filename="${rows[0].filename}"`)
        .set('X-Content-SHA256', rows[0].sha256)
        .send(content);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/cases/:caseId/scans',
      summary: 'File the signed registration form scan received by ePUAP or e-mail (PDF, JPEG or PNG, at most 10 MB)',
      audit: 'case_scan_filed',
      tag: 'registration',
      auth: 'signed-in',
      params: caseIdParams,
      body: scanFields,
      multipart: { file: 'file', fileDescription: 'The scan: PDF, JPEG or PNG by content' },
      responses: { 201: { description: 'Scan filed; the case now awaits a decision', schema: z.object({ documentId: z.string(), sha256: z.string(), status: z.string() }) } },
    },
    async ({ params, body, principal, req, res }) => {
      const { c } = await loadVisibleCase(params.caseId, principal!);
      if (!canOnCase(principal!, 'upload-scan', c)) forbid();
      await limits.upload(req.ip, principal!.accountId);
      const file = upload.accept(req, { required: true });
      const { mediaType } = file;
      const handle = temporal.workflow.getHandle(c.id);
      const live = await handle.query(getRegistrationStatus).catch(() => null);
      if (!live || !SCAN_ACCEPTING.includes(live.status)) {
        throw new HttpError(409, 'CASE_NOT_AWAITING_SCAN', `Sprawa nie oczekuje na skan (${caseStatusLabel('registration', live?.status ?? c.status).toLowerCase()})`);
      }
      const hash = file.sha256;
      const documentId = `${c.id}:scan:${hash.slice(0, 16)}`;
      await putBlob(orm.em.fork(), file.buffer);
      const filename = `skan-formularza-${hash.slice(0, 8)}.${file.extension}`;
      const view = await handle
        .executeUpdate(submitScan, {
          args: [{ documentId, sha256: hash, mediaType, size: file.size, filename, channel: body.channel, receivedBy: principal!.login }],
        })
        .catch(mapWorkflowError);
      res.status(201).json({ documentId, sha256: hash, status: view.status });
    },
    [upload.single],
  );

  registerListRoutes(api, { orm, temporal });

  const complete = api.action(
    {
      method: 'post',
      path: '/api/tasks/:taskId/complete',
      summary: 'Complete a decision task (registration, permission request, identity merge): accept, or reject with a reason',
      audit: 'task_completed',
      tag: 'tasks',
      auth: 'signed-in',
      params: taskIdParams,
      body: decisionBody,
      responses: { 200: { description: 'Task completed', schema: z.object({ taskId: z.string(), caseId: z.string(), outcome: z.string(), caseStatus: z.string() }) } },
    },
    ({ params, body, principal }) => completeDecisionTask(orm.em.fork(), temporal, principal!, params.taskId, body),
  );

  const claimView = z.object({ taskId: z.string(), claimedBy: z.string().nullable() });
  const [claim, release] = ([
    ['/api/tasks/:taskId/claim', 'Claim a task offered to my role and scope', 'task_claimed'],
    ['/api/tasks/:taskId/release', 'Release a task I claimed (an administrator may release anyone’s)', 'task_released'],
  ] as const).map(([path, summary, audit]) =>
    api.action(
      { method: 'post', path, summary, audit, tag: 'tasks', auth: 'signed-in', params: taskIdParams, responses: { 200: { description: 'Done', schema: claimView } } },
      async ({ params, principal }) => {
        const task = await claimTask(orm.em.fork(), principal!, params.taskId, path.endsWith('/claim'));
        return { taskId: task.id, claimedBy: task.claimedBy ?? null };
      },
    ),
  );

  const reassign = api.action(
    {
      method: 'post',
      path: '/api/tasks/:taskId/reassign',
      summary: 'Hand a task to another person who may act on it (administrators)',
      audit: 'task_reassigned',
      tag: 'tasks',
      auth: 'signed-in',
      params: taskIdParams,
      body: z.object({ login: text(100) }).strict(),
      responses: { 200: { description: 'Reassigned', schema: claimView } },
    },
    async ({ params, body, principal }) => {
      const task = await reassignTask(orm.em.fork(), principal!, params.taskId, body.login);
      return { taskId: task.id, claimedBy: task.claimedBy ?? null };
    },
  );

  const bulk = api.action(
    {
      method: 'post',
      path: '/api/cases/bulk',
      summary: 'Bulk action on a filtered selection or a list of cases within my scope: extend the deadline (with a reason) or send a reminder now',
      audit: 'cases_bulk_action',
      tag: 'cases',
      auth: 'signed-in',
      body: bulkBody,
      responses: { 200: { description: 'What changed and what did not, with reasons', schema: z.object({ changed: z.array(z.string()), notChanged: z.array(z.object({ id: z.string(), reason: z.string() })) }) } },
    },
    ({ body, principal }) => runBulkAction(orm.em.fork(), temporal, principal!, body),
  );

  const resendMail = api.action(
    {
      method: 'post',
      path: '/api/mail/:mailId/resend',
      summary: 'Send a message of the outbox again (one of a case within my scope; never one that carried a password)',
      audit: 'mail_resent',
      tag: 'cases',
      auth: 'signed-in',
      params: mailIdParams,
      responses: { 202: { description: 'The message will be sent again', schema: z.object({ mailId: z.string() }) } },
    },
    ({ params, principal }) => resendOutboxMail({ orm, temporal, config }, principal!, params.mailId),
  );

  return { complete, claim, release, reassign, bulk, resendMail };
}
