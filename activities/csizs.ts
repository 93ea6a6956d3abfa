import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import { AccountSchema, UnitSchema } from '../db/entities';
import { putBlob } from '../lib/blobs';
import { htmlToPdf, type BrowserProvider } from '../lib/browser';
import type { Mailer } from '../lib/mailer';
import { ZIP_MEDIA_TYPE, zipWithPassword } from '../lib/package-zip';
import { generateTemporaryPassword, hashPassword } from '../lib/passwords';
import { SecretStore } from '../lib/secret-store';
import { renderMail, type Templates } from '../lib/templates';
import { PACKAGE_PASSWORD_TTL_MS, packagePasswordSecretId, type CsizsNotificationData } from '../workflows/messages';
import { loginCandidates } from './accounts';
import { deliver } from './mail';
import { grantUnitRole } from '../db/queries/accounts';
import { openTaskOnce } from '../db/queries/tasks';

// seed 004: the CSIZS campaign's read model, the connection notification (Załącznik 2) and the
// information package (Załącznik 3). Inputs and results hold IDs, steps, times and fingerprints only:
// the temporary password, the package password and the certificates live inside buildCsizsPackage
// (certificates arrive sealed in the secret store; the package password leaves sealed in it).

export interface CsizsDeps {
  orm: MikroORM;
  browser: BrowserProvider;
  templates: Templates;
  mailer: Mailer;
  mailFrom: string;
  publicUrl: string;
  /** The payload key (base64): the secret store derives its own key from it. */
  secretKey?: string;
}


/** seed 004 pkt 5d–e: the service addresses handed to every unit. */
export const CSIZS_SERVICE_ADDRESS = 'https://csizs.mpips.gov.pl/uslugi';
export const PI_MZT_ADDRESS = 'https://mzt.mpips.gov.pl/mzt-app-web';

export interface CsizsUnitProjection {
  campaignId: string;
  unitCode: string;
  vendor: string | null;
  currentStep: string | null;
  lateStep: string | null;
  completed: Record<string, { at: string; by: string }>;
  connected: boolean;
  packagePasswordHandedOverAt?: string | null;
  notificationStatus?: string | null;
  notificationDocumentId?: string | null;
  notificationScanId?: string | null;
  notificationReason?: string | null;
  localAdminAccountId?: string | null;
  packageDocumentId?: string | null;
  packageSentAt?: string | null;
  passwordChangedAt?: string | null;
}

export function createCsizsActivities({ orm, browser, templates, mailer, mailFrom, publicUrl, secretKey }: CsizsDeps) {
  const conn = () => orm.em.fork().getConnection();
  const store = () => {
    if (!secretKey) throw new Error('secret store key not configured (ActivityDeps.secretKey)');
    return new SecretStore(secretKey);
  };
  const insertDocument = (d: { id: string; workflowId: string; kind: string; title: string; mediaType: string; size: number; sha256: string; filename: string; source: string; by: string }) =>
    conn().execute(
      `insert into documents (id, case_id, kind, title, media_type, size, sha256, filename, source, created_by, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict (id) do nothing`,
      [d.id, d.workflowId, d.kind, d.title, d.mediaType, d.size, d.sha256, d.filename, d.source, d.by],
    );
  return {
    /** A shard's count of started units; the campaign is started when the shards add up to all units. */
    async csizsCampaignProgress(input: { campaignId: string; voivodeship: string | null; started: number }): Promise<void> {
      const shard = input.voivodeship ?? 'all';
      await conn().execute(
        `update csizs_campaigns c set shard_progress = c.shard_progress || jsonb_build_object(?::text, greatest(?::int, coalesce((c.shard_progress ->> ?::text)::int, 0)))
         where id = ?`,
        [shard, input.started, shard, input.campaignId],
      );
      await conn().execute(
        `update csizs_campaigns c set started_units = s.n,
           status = case when s.n >= c.total_units then 'started' else 'starting' end,
           started_at = case when s.n >= c.total_units then coalesce(c.started_at, now()) else c.started_at end
         from (select coalesce(sum(value::int), 0)::int as n from csizs_campaigns, jsonb_each_text(shard_progress) where id = ?) s
         where c.id = ?`,
        [input.campaignId, input.campaignId],
      );
    },

    async projectCsizsUnit(p: CsizsUnitProjection): Promise<void> {
      await conn().execute(
        `update csizs_units set vendor = ?, current_step = ?, late_step = ?, completed = ?::jsonb, connected = ?,
           package_password_handed_over_at = coalesce(?, package_password_handed_over_at),
           notification_status = coalesce(?, notification_status), notification_document_id = coalesce(?, notification_document_id),
           notification_scan_id = coalesce(?, notification_scan_id), notification_reason = ?,
           local_admin_account_id = coalesce(?, local_admin_account_id), package_document_id = coalesce(?, package_document_id),
           package_sent_at = coalesce(?::timestamptz, package_sent_at), password_changed_at = coalesce(?::timestamptz, password_changed_at), updated_at = now()
         where campaign_id = ? and unit_code = ?`,
        [p.vendor, p.currentStep, p.lateStep, JSON.stringify(p.completed), p.connected, p.packagePasswordHandedOverAt ?? null,
          p.notificationStatus ?? null, p.notificationDocumentId ?? null, p.notificationScanId ?? null, p.notificationReason ?? null,
          p.localAdminAccountId ?? null, p.packageDocumentId ?? null, p.packageSentAt ?? null, p.passwordChangedAt ?? null, p.campaignId, p.unitCode],
      );
    },

    /** seed 004 pkt 2, Załącznik 2: the connection notification as a PDF for the head to sign. */
    async renderCsizsNotification(input: { workflowId: string; documentId: string; campaignId: string; unitCode: string; data: CsizsNotificationData; by: string }): Promise<void> {
      const em = orm.em.fork();
      const [exists] = await em.getConnection().execute('select 1 from documents where id = ?', [input.documentId]);
      if (exists) return;
      const [campaign] = await em.getConnection().execute<{ name: string }[]>('select name from csizs_campaigns where id = ?', [input.campaignId]);
      const units = await em.find(UnitSchema, { code: { $in: [input.unitCode, input.unitCode.slice(0, 2)] } });
      const html = templates.render('documents/csizs-notification', {
        data: input.data,
        unitCode: input.unitCode,
        campaign,
        generatedAt: new Date(),
        gmina: units.find((u) => u.code === input.unitCode),
        voivodeship: units.find((u) => u.code === input.unitCode.slice(0, 2)),
      });
      heartbeat();
      const pdf = await htmlToPdf(await browser.get(), html);
      heartbeat();
      const hash = await putBlob(em, pdf);
      await insertDocument({
        id: input.documentId,
        workflowId: input.workflowId,
        kind: 'csizs-notification',
        title: 'Zgłoszenie gotowości do podłączenia JT do CSIZS (Załącznik 2) do podpisu',
        mediaType: 'application/pdf',
        size: pdf.length,
        sha256: hash,
        filename: `zgloszenie-csizs-${input.unitCode}.pdf`,
        source: 'generated',
        by: input.by,
      });
    },

    /** A document of a connection whose bytes are already stored (a scan filed through the API). */
    async recordCsizsDocument(d: { id: string; workflowId: string; kind: string; title: string; mediaType: string; size: number; sha256: string; filename: string; source: string; by: string }): Promise<void> {
      await insertDocument(d);
    },

    /** A task for a person of the connection, with an optional mail; once per task id. */
    async openCsizsTask(input: {
      taskId: string;
      workflowId: string;
      kind: string;
      title: string;
      role: string;
      voivodeship: string;
      unitCode: string;
      mail?: { to: string; template: string; vars: Record<string, unknown> };
    }): Promise<void> {
      const em = orm.em.fork();
      await em.execute(
        `insert into tasks (id, case_id, kind, title, role, voivodeship, unit_code, due_at, status, created_at)
         values (?, ?, ?, ?, ?, ?, ?, null, 'open', now()) on conflict (id) do nothing`,
        [input.taskId, input.workflowId, input.kind, input.title, input.role, input.voivodeship, input.unitCode],
      );
      if (input.mail) {
        const content = renderMail(templates, input.mail.template, { case: { id: input.workflowId }, publicUrl, ...input.mail.vars });
        await deliver(em, mailer, mailFrom, { key: `${input.taskId}:mail`, caseId: input.workflowId, to: input.mail.to, template: input.mail.template, ...content });
      }
    },

    async closeCsizsTask(input: { taskId: string; outcome: string; comment: string; by: string }): Promise<void> {
      await conn().execute(
        `update tasks set status = 'done', outcome = ?, comment = ?, completed_by = ?, completed_at = now() where id = ? and status = 'open'`,
        [input.outcome, input.comment.slice(0, 2000), input.by, input.taskId],
      );
    },

    /**
     * seed 004 pkt 5 and Uwaga 2: the information package (Załącznik 3). Issues the local administrator's
     * account with a temporary password, puts it with the certificates into the package (a PDF), packs
     * it into a ZIP encrypted with AES-256 (WinZip AE-2) under a generated password, which 7-Zip and
     * other archivers open, stores the ZIP as a document, opens the
     * phone task "hand over the password", keeps the password sealed for that call, and mails the file.
     * Neither password nor certificate leaves this function except sealed or encrypted.
     */
    async buildCsizsPackage(input: {
      workflowId: string;
      campaignId: string;
      unitCode: string;
      voivodeship: string;
      notification: CsizsNotificationData;
      domainSystems: { name: string; certificateSecretId: string }[];
      by: string;
    }): Promise<{ documentId: string; accountId: string; login: string; sentAt: string }> {
      const em = orm.em.fork();
      const documentId = `${input.workflowId}:pakiet`;
      const mailKey = `${input.workflowId}:pakiet:mail`;
      const [done] = await em.getConnection().execute<{ local_admin_account_id: string; package_sent_at: Date }[]>(
        'select local_admin_account_id, package_sent_at from csizs_units where campaign_id = ? and unit_code = ? and package_sent_at is not null',
        [input.campaignId, input.unitCode],
      );
      if (done) {
        const a = await em.findOneOrFail(AccountSchema, { id: done.local_admin_account_id });
        return { documentId, accountId: a.id, login: a.login, sentAt: new Date(done.package_sent_at).toISOString() };
      }

      const secrets = store();
      const finish = async (accountId: string, login: string) => {
        await secrets.erase(em, input.domainSystems.map((d) => d.certificateSecretId));
        const sentAt = new Date();
        await em.getConnection().execute(
          'update csizs_units set local_admin_account_id = ?, package_document_id = ?, package_sent_at = ?, updated_at = now() where campaign_id = ? and unit_code = ?',
          [accountId, documentId, sentAt, input.campaignId, input.unitCode],
        );
        return { documentId, accountId, login, sentAt: sentAt.toISOString() };
      };
      // A retry after the mail went out must not issue another password: the file mailed is the one that counts.
      const [mailed] = await em.getConnection().execute("select 1 from outbox where id = ? and status = 'sent'", [mailKey]);
      if (mailed) {
        const a = await em.findOneOrFail(AccountSchema, { email: input.notification.localAdmin.email });
        return finish(a.id, a.login);
      }

      const certificates: { name: string; certificate: string }[] = [];
      for (const d of input.domainSystems) {
        const certificate = await secrets.peek(em, d.certificateSecretId);
        if (!certificate) {
          throw ApplicationFailure.nonRetryable(`Certyfikat systemu dziedzinowego ${d.name} wygasł w magazynie — prześlij pakiet ponownie`, 'CSIZS_CERTIFICATE_EXPIRED');
        }
        certificates.push({ name: d.name, certificate });
      }

      // pkt 2b / 5b: the local administrator's account, with the role of local administrator of the unit.
      const la = input.notification.localAdmin;
      let account = await em.findOne(AccountSchema, { email: la.email });
      if (!account) {
        const base = loginCandidates(la.firstName, la.lastName);
        const taken = new Set((await em.find(AccountSchema, { login: { $like: `${base[0]}%` } }, { fields: ['login'] })).map((a) => a.login));
        const login = base.find((l) => !taken.has(l));
        if (!login) throw new Error('no free login');
        account = em.create(AccountSchema, {
          id: randomUUID(),
          login,
          email: la.email,
          firstName: la.firstName,
          lastName: la.lastName,
          mustChangePassword: true,
          status: 'active',
          failedLogins: 0,
          createdAt: new Date(),
          updatedAt: new Date(),
        });
        await em.flush();
      }
      await grantUnitRole(em, { id: randomUUID(), accountId: account.id, role: 'local_admin', voivodeship: input.voivodeship, unitCode: input.unitCode });
      const temporaryPassword = generateTemporaryPassword();
      await em.nativeUpdate(
        AccountSchema,
        { id: account.id },
        { passwordHash: await hashPassword(temporaryPassword), mustChangePassword: true, passwordChangedAt: new Date(), failedLogins: 0, lockedUntil: null },
      );
      heartbeat();

      const html = templates.render('documents/csizs-package', {
        notification: input.notification,
        unitCode: input.unitCode,
        login: account.login,
        temporaryPassword,
        certificates,
        serviceAddress: CSIZS_SERVICE_ADDRESS,
        mztAddress: PI_MZT_ADDRESS,
        generatedAt: new Date(),
      });
      // Read aloud over the phone: the generator leaves out look-alike characters.
      const packagePassword = generateTemporaryPassword(16);
      const pdf = await htmlToPdf(await browser.get(), html);
      heartbeat();
      const file = await zipWithPassword({ name: `pakiet-csizs-${input.unitCode}.pdf`, content: pdf }, packagePassword);
      const hash = await putBlob(em, file);
      const filename = `pakiet-csizs-${input.unitCode}.zip`;
      await em.getConnection().execute('delete from documents where id = ?', [documentId]);
      await insertDocument({
        id: documentId,
        workflowId: input.workflowId,
        kind: 'csizs-package',
        title: 'Pakiet informacji dla JT (Załącznik 3), archiwum ZIP zaszyfrowane hasłem',
        mediaType: ZIP_MEDIA_TYPE,
        size: file.length,
        sha256: hash,
        filename,
        source: 'generated',
        by: input.by,
      });
      await secrets.put(em, { id: packagePasswordSecretId(input.workflowId), purpose: 'package-password', owner: input.workflowId, value: packagePassword, ttlMs: PACKAGE_PASSWORD_TTL_MS });
      await openTaskOnce(em, {
        id: `${input.workflowId}:przekazanie-hasla`,
        caseId: input.workflowId,
        kind: 'csizs-password-handover',
        title: `Przekaż telefonicznie hasło do pakietu CSIZS: ${input.notification.unitName} (${la.firstName} ${la.lastName}, tel. ${la.phone})`,
        role: 'voivodeship_admin',
        voivodeship: input.voivodeship,
        unitCode: input.unitCode,
      });
      const content = renderMail(templates, 'csizs-package', { case: { id: input.workflowId }, unitName: input.notification.unitName, localAdmin: la, publicUrl });
      await deliver(em, mailer, mailFrom, {
        key: mailKey,
        caseId: input.workflowId,
        to: la.email,
        template: 'csizs-package',
        ...content,
        attachments: [{ filename, content: file, contentType: ZIP_MEDIA_TYPE }],
      });
      return finish(account.id, account.login);
    },

    /** After the phone call the package password is no longer kept anywhere. */
    async eraseCsizsPackagePassword(input: { workflowId: string }): Promise<void> {
      await store().erase(orm.em.fork(), [packagePasswordSecretId(input.workflowId)]);
    },

    /** A checkpoint's call-list entry: opened, or its result. */
    async recordCsizsCheckpoint(input: { campaignId: string; unitCode: string; checkpoint: string; status: string; at: string }): Promise<void> {
      await conn().execute(
        `insert into csizs_checkpoints (campaign_id, unit_code, checkpoint, status, opened_at, resolved_at)
         values (?, ?, ?, ?, ?, case when ? = 'open' then null else ?::timestamptz end)
         on conflict (campaign_id, unit_code, checkpoint) do update set status = excluded.status, resolved_at = excluded.resolved_at`,
        [input.campaignId, input.unitCode, input.checkpoint, input.status, input.at, input.status, input.at],
      );
    },

    /** One call: its key makes a retry harmless. */
    async recordCsizsCallOutcome(input: {
      id: string;
      campaignId: string;
      unitCode: string;
      checkpoint: string;
      outcome: string;
      reason: string | null;
      calledBy: string;
      calledAt: string;
    }): Promise<void> {
      await conn().execute(
        `insert into csizs_calls (id, campaign_id, unit_code, checkpoint, outcome, reason, called_by, called_at)
         values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
        [input.id, input.campaignId, input.unitCode, input.checkpoint, input.outcome, input.reason, input.calledBy, input.calledAt],
      );
    },

    /** seed 004 Uwaga 5: a unit not connected on 30 March: the ministry contacts its mayor for the reasons. */
    async recordCsizsEscalationState(input: { campaignId: string; unitCode: string; reason: string | null; by: string | null; at: string }): Promise<void> {
      await conn().execute(
        `update csizs_units set escalated_at = coalesce(escalated_at, ?::timestamptz), escalation_reason = ?, escalation_by = ?, updated_at = now()
         where campaign_id = ? and unit_code = ?`,
        [input.at, input.reason, input.by, input.campaignId, input.unitCode],
      );
    },
  };
}

export type CsizsActivities = ReturnType<typeof createCsizsActivities>;
