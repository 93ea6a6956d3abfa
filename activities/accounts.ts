import { randomBytes, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AccountSchema, CaseSchema, OutboxMailSchema } from '../db/entities';
import { grantStaffAreaOnce } from '../db/queries/accounts';
import type { Mailer } from '../lib/mailer';
import { generateTemporaryPassword, hashPassword } from '../lib/passwords';
import { renderMail, type Templates } from '../lib/templates';
import { hashToken } from '../lib/tokens';
import { PASSWORD_REMINDER_LINK_MINUTES, type RegistrationApplication } from '../workflows/messages';
import { appendEvent } from './cases';
import { asLetter, deliver } from './mail';

export interface AccountDeps {
  orm: MikroORM;
  mailer: Mailer;
  templates: Templates;
  from: string;
  publicUrl: string;
}

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** "Łucja Żółć" → "lzolc", then "lzolc2", … until free. */
export function loginCandidates(firstName: string, lastName: string): string[] {
  const base = (ascii(firstName).slice(0, 1) + ascii(lastName)).slice(0, 40) || 'uzytkownik';
  return [base, ...Array.from({ length: 98 }, (_, i) => `${base}${i + 2}`)];
}

export function createAccountActivities({ orm, mailer, templates, from, publicUrl }: AccountDeps) {
  return {
    /**
     * seed 000: on acceptance the user is registered. The temporary password is generated here, hashed,
     * and mailed; it never leaves this activity, so it is in no workflow history, log or table.
     * A retry after the mail went out does nothing; a retry before it issues a fresh password.
     */
    async createApplicantAccount(input: { caseId: string; runId: string }): Promise<{ accountId: string; passwordSetAt: string }> {
      const key = `${input.caseId}:${input.runId}:account`;
      const em = orm.em.fork();
      const c = await em.findOneOrFail(CaseSchema, { id: input.caseId });
      const application = c.data.application as RegistrationApplication;
      let accountId = (c.data.accountRunId === input.runId ? c.data.accountId : undefined) as string | undefined;

      if (!accountId) {
        accountId = await em.transactional(async (tx) => {
          const taken = new Set(
            (await tx.find(AccountSchema, { login: { $like: `${loginCandidates(application.applicant.firstName, application.applicant.lastName)[0]}%` } }, { fields: ['login'] })).map((a) => a.login),
          );
          const login = loginCandidates(application.applicant.firstName, application.applicant.lastName).find((l) => !taken.has(l));
          if (!login) throw new Error('no free login');
          const id = randomUUID();
          tx.create(AccountSchema, {
            id,
            login,
            email: application.applicant.email,
            firstName: application.applicant.firstName,
            lastName: application.applicant.lastName,
            mustChangePassword: true,
            status: 'active',
            failedLogins: 0,
            createdAt: new Date(),
            updatedAt: new Date(),
          });
          await tx.flush();
          for (const area of application.areas) {
            await grantStaffAreaOnce(tx, { id: randomUUID(), accountId: id, voivodeship: c.voivodeship, unitCode: c.unitCode, area });
          }
          const fresh = await tx.findOneOrFail(CaseSchema, { id: input.caseId });
          fresh.data = { ...fresh.data, accountId: id, accountRunId: input.runId };
          await tx.flush();
          await appendEvent(tx, input.caseId, {
            key: `${key}:created`,
            type: 'account_created',
            actor: 'system',
            message: `Utworzono konto użytkownika ${login} z uprawnieniami do obszarów: ${application.areas.join(', ')}`,
            data: { accountId: id },
          });
          return id;
        });
      }

      const mailKey = `${key}:credentials`;
      const outbox = await em.findOne(OutboxMailSchema, { id: mailKey });
      if (outbox?.status === 'sent') {
        const existing = await em.findOneOrFail(AccountSchema, { id: accountId });
        return { accountId, passwordSetAt: (existing.passwordChangedAt ?? new Date()).toISOString() };
      }

      const account = await em.findOneOrFail(AccountSchema, { id: accountId });
      const password = generateTemporaryPassword();
      const passwordSetAt = new Date();
      await em.nativeUpdate(AccountSchema, { id: accountId }, { passwordHash: await hashPassword(password), mustChangePassword: true, passwordChangedAt: passwordSetAt });
      const content = renderMail(templates, 'account-created', { case: c, application, login: account.login, password, publicUrl });
      await deliver(em, mailer, from, { key: mailKey, caseId: input.caseId, to: account.email, template: 'account-created', redacted: true, ...content, letter: asLetter('account-created', publicUrl) });
      await appendEvent(em, input.caseId, {
        key: `${mailKey}:sent`,
        type: 'mail_sent',
        actor: 'system',
        message: 'Wysłano do wnioskodawcy login i hasło tymczasowe (hasło do zmiany przy pierwszym logowaniu)',
        data: { mail: mailKey },
      });
      return { accountId, passwordSetAt: passwordSetAt.toISOString() };
    },
  };
}

export type AccountActivities = ReturnType<typeof createAccountActivities>;

/** Account-level mail and password operations, shared by the password workflows. */
export function createAccountMaintenanceActivities({ orm, mailer, templates, from, publicUrl }: AccountDeps) {
  return {
    /**
     * seed 000 "Przypomnienie hasła": a new temporary password, mailed to the registered address. It also
     * lifts a lock, as the seed offers the reminder to users whose account is blocked.
     */
    async issueTemporaryPassword(input: { accountId: string; key: string }): Promise<void> {
      const em = orm.em.fork();
      const outbox = await em.findOne(OutboxMailSchema, { id: input.key });
      if (outbox?.status === 'sent') return;
      const account = await em.findOneOrFail(AccountSchema, { id: input.accountId });
      const password = generateTemporaryPassword();
      await em.nativeUpdate(
        AccountSchema,
        { id: account.id },
        { passwordHash: await hashPassword(password), mustChangePassword: true, passwordChangedAt: new Date(), failedLogins: 0, lockedUntil: null },
      );
      const content = renderMail(templates, 'password-reminder', { account, login: account.login, password, publicUrl });
      await deliver(em, mailer, from, { key: input.key, caseId: null, to: account.email, template: 'password-reminder', redacted: true, ...content });
    },

    /**
     * The password reminder's single-use link, mailed to the registered address; the password is not
     * touched. Only the token's SHA-256 is stored (a retry before the mail went out replaces it), valid
     * PASSWORD_REMINDER_LINK_MINUTES from now; the mail is not kept in the outbox (it is a key).
     */
    async mailPasswordReminderLink(input: { accountId: string; workflowId: string; key: string }): Promise<void> {
      const em = orm.em.fork();
      const outbox = await em.findOne(OutboxMailSchema, { id: input.key });
      if (outbox?.status === 'sent') return;
      const account = await em.findOneOrFail(AccountSchema, { id: input.accountId });
      if (account.status !== 'active') return;
      const token = randomBytes(32).toString('base64url');
      await em.getConnection().execute(
        `insert into password_reminders (id, account_id, workflow_id, token_hash, expires_at) values (?, ?, ?, ?, now() + make_interval(mins => ?))
         on conflict (workflow_id) do update set token_hash = excluded.token_hash, expires_at = excluded.expires_at where password_reminders.used_at is null`,
        [randomUUID(), account.id, input.workflowId, hashToken(token), PASSWORD_REMINDER_LINK_MINUTES],
      );
      const link = `${publicUrl.replace(/\/$/, '')}/haslo/przypomnienie?token=${token}`;
      const content = renderMail(templates, 'password-reminder-link', { account, login: account.login, link, minutes: PASSWORD_REMINDER_LINK_MINUTES, publicUrl });
      await deliver(em, mailer, from, { key: input.key, caseId: null, to: account.email, template: 'password-reminder-link', redacted: true, ...content });
    },

    async sendAccountMail(input: { accountId: string; key: string; template: string; vars?: Record<string, unknown> }): Promise<void> {
      const em = orm.em.fork();
      const account = await em.findOneOrFail(AccountSchema, { id: input.accountId });
      if (account.status !== 'active') return;
      const content = renderMail(templates, input.template, { account, login: account.login, publicUrl, ...input.vars });
      await deliver(em, mailer, from, { key: input.key, caseId: null, to: account.email, template: input.template, ...content });
    },

    /** seed 001/004: a password older than the limit must be changed before anything else. */
    async forcePasswordChange(input: { accountId: string; changedAt: string }): Promise<boolean> {
      const em = orm.em.fork();
      const n = await em.nativeUpdate(
        AccountSchema,
        { id: input.accountId, passwordChangedAt: { $lte: new Date(input.changedAt) }, status: 'active' },
        { mustChangePassword: true },
      );
      return n > 0;
    },
  };
}
