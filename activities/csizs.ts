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
import type { KeyRing } from '../lib/payload-codec';
import { renderMail, type Templates } from '../lib/templates';
import { PACKAGE_PASSWORD_TTL_MS, packagePasswordSecretId, type CsizsNotificationData } from '../workflows/messages';
import { loginCandidates } from './accounts';
import { asLetter, deliver } from './mail';
import { grantUnitRole } from '../db/queries/accounts';
import { completeOpenTaskAsDone, insertUndatedTaskOnce, openTaskOnce } from '../db/queries/tasks';
import { deleteDocument, documentExists, insertDocumentOnceOnConnection } from '../db/queries/cases';
import {
  campaignName,
  insertCallOnce,
  recordEscalation,
  recordPackageSent,
  recordShardProgress,
  recountStartedUnits,
  sentPackageOf,
  updateUnitProjection,
  upsertCheckpoint,
} from '../db/queries/csizs';
import { outboxMailSent } from '../db/queries/mail';

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
  /** The payload key ring (or one key, base64): the secret store derives its own keys from it. */
  secretKey?: KeyRing | string;
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
    insertDocumentOnceOnConnection(conn(), {
      id: d.id,
      caseId: d.workflowId,
      kind: d.kind,
      title: d.title,
      mediaType: d.mediaType,
      size: d.size,
      sha256: d.sha256,
      filename: d.filename,
      source: d.source,
      createdBy: d.by,
    });
  return {
    /** A shard's count of started units; the campaign is started when the shards add up to all units. */
    async csizsCampaignProgress(input: { campaignId: string; voivodeship: string | null; started: number }): Promise<void> {
      const shard = input.voivodeship ?? 'all';
      await recordShardProgress(conn(), { campaignId: input.campaignId, shard, started: input.started });
      await recountStartedUnits(conn(), input.campaignId);
    },

    async projectCsizsUnit(p: CsizsUnitProjection): Promise<void> {
      await updateUnitProjection(conn(), {
        campaignId: p.campaignId,
        unitCode: p.unitCode,
        vendor: p.vendor,
        currentStep: p.currentStep,
        lateStep: p.lateStep,
        completed: JSON.stringify(p.completed),
        connected: p.connected,
        packagePasswordHandedOverAt: p.packagePasswordHandedOverAt ?? null,
        notificationStatus: p.notificationStatus ?? null,
        notificationDocumentId: p.notificationDocumentId ?? null,
        notificationScanId: p.notificationScanId ?? null,
        notificationReason: p.notificationReason ?? null,
        localAdminAccountId: p.localAdminAccountId ?? null,
        packageDocumentId: p.packageDocumentId ?? null,
        packageSentAt: p.packageSentAt ?? null,
        passwordChangedAt: p.passwordChangedAt ?? null,
      });
    },

    /** seed 004 pkt 2, Załącznik 2: the connection notification as a PDF for the head to sign. */
    async renderCsizsNotification(input: { workflowId: string; documentId: string; campaignId: string; unitCode: string; data: CsizsNotificationData; by: string }): Promise<void> {
      const em = orm.em.fork();
      const [exists] = await documentExists(em.getConnection(), input.documentId);
      if (exists) return;
      const [campaign] = await campaignName(em.getConnection(), input.campaignId);
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
      await insertUndatedTaskOnce(em, {
        id: input.taskId,
        caseId: input.workflowId,
        kind: input.kind,
        title: input.title,
        role: input.role,
        voivodeship: input.voivodeship,
        unitCode: input.unitCode,
      });
      if (input.mail) {
        const content = renderMail(templates, input.mail.template, { case: { id: input.workflowId }, publicUrl, ...input.mail.vars });
        await deliver(em, mailer, mailFrom, { key: `${input.taskId}:mail`, caseId: input.workflowId, to: input.mail.to, template: input.mail.template, ...content, letter: asLetter(input.mail.template, publicUrl) });
      }
    },

    async closeCsizsTask(input: { taskId: string; outcome: string; comment: string; by: string }): Promise<void> {
      await completeOpenTaskAsDone(conn(), { id: input.taskId, outcome: input.outcome, comment: input.comment.slice(0, 2000), completedBy: input.by });
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
      const [done] = await sentPackageOf(em.getConnection(), input.campaignId, input.unitCode);
      if (done) {
        const a = await em.findOneOrFail(AccountSchema, { id: done.local_admin_account_id });
        return { documentId, accountId: a.id, login: a.login, sentAt: new Date(done.package_sent_at).toISOString() };
      }

      const secrets = store();
      const finish = async (accountId: string, login: string) => {
        await secrets.erase(em, input.domainSystems.map((d) => d.certificateSecretId));
        const sentAt = new Date();
        await recordPackageSent(em.getConnection(), { campaignId: input.campaignId, unitCode: input.unitCode, accountId, documentId, sentAt });
        return { documentId, accountId, login, sentAt: sentAt.toISOString() };
      };
      // A retry after the mail went out must not issue another password: the file mailed is the one that counts.
      const [mailed] = await outboxMailSent(em.getConnection(), mailKey);
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
      await deleteDocument(em.getConnection(), documentId);
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
        letter: asLetter('csizs-package', publicUrl),
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
      await upsertCheckpoint(conn(), input);
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
      await insertCallOnce(conn(), input);
    },

    /** seed 004 Uwaga 5: a unit not connected on 30 March: the ministry contacts its mayor for the reasons. */
    async recordCsizsEscalationState(input: { campaignId: string; unitCode: string; reason: string | null; by: string | null; at: string }): Promise<void> {
      await recordEscalation(conn(), input);
    },
  };
}

export type CsizsActivities = ReturnType<typeof createCsizsActivities>;
