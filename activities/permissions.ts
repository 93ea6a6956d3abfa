import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AccountSchema, CaseSchema, UnitSchema } from '../db/entities';
import type { Mailer } from '../lib/mailer';
import { renderMail, type Templates } from '../lib/templates';
import type { PermissionTarget } from '../workflows/messages';
import { appendEvent, type CaseEventInput } from './cases';
import { asLetter, caseLink, deliverCaseMail, type AccountCaseMailInput } from './mail';
import { activeHoldersInVoivodeship, grantStaffAreaOnceCounted } from '../db/queries/accounts';

export interface PermissionDeps {
  orm: MikroORM;
  mailer: Mailer;
  templates: Templates;
  from: string;
  publicUrl: string;
}

export interface GrantPermissionInput {
  caseId: string;
  accountId: string;
  voivodeship: string;
  target: PermissionTarget;
  event: CaseEventInput;
}

export type PermissionMailInput = AccountCaseMailInput;

export function createPermissionActivities({ orm, mailer, templates, from, publicUrl }: PermissionDeps) {
  return {
    /** seed 000: on acceptance the permission is granted at once. A second run inserts nothing. */
    async grantPermission(input: GrantPermissionInput): Promise<{ inserted: boolean }> {
      return orm.em.fork().transactional(async (em) => {
        const inserted = await grantStaffAreaOnceCounted(em, {
          id: randomUUID(),
          accountId: input.accountId,
          voivodeship: input.voivodeship,
          unitCode: input.target.unitCode,
          area: input.target.area,
        });
        await appendEvent(em, input.caseId, input.event);
        return { inserted: inserted > 0 };
      });
    },

    /** The voivodeship administrators of a voivodeship: every active account holding that role there. */
    async voivodeshipAdminRecipients(input: { voivodeship: string }): Promise<string[]> {
      const rows = await activeHoldersInVoivodeship(orm.em.fork(), 'voivodeship_admin', input.voivodeship);
      return rows.map((r) => r.id);
    },

    /** A mail about a permission case to one account; an account no longer active is skipped. */
    async sendPermissionMail(input: PermissionMailInput): Promise<boolean> {
      const em = orm.em.fork();
      const c = await em.findOneOrFail(CaseSchema, { id: input.caseId });
      const recipient = await em.findOneOrFail(AccountSchema, { id: input.accountId });
      if (recipient.status !== 'active') return false;
      const requester = c.accountId ? await em.findOne(AccountSchema, { id: c.accountId }) : null;
      const unit = await em.findOne(UnitSchema, { code: c.unitCode });
      const content = renderMail(templates, input.template, {
        case: c,
        recipient,
        requester,
        target: c.data.target,
        justification: c.data.justification,
        unit: unit ? { code: unit.code, name: `${unit.name} (${unit.nameExtra})` } : { code: c.unitCode, name: c.unitCode },
        caseUrl: caseLink(publicUrl, c.id),
        publicUrl,
        ...input.vars,
      });
      await deliverCaseMail(em, mailer, from, { key: input.key, caseId: input.caseId, to: recipient.email, template: input.template, ...content, letter: asLetter(input.template, publicUrl) }, input.event);
      return true;
    },
  };
}

export type PermissionActivities = ReturnType<typeof createPermissionActivities>;
