import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { secretText, text } from '../text';
import { audit } from '../../lib/audit';
import { hashPassword, verifyPassword } from '../../lib/passwords';
import type { Config } from '../../lib/config';
import { signalWithStartWorkflow, startWorkflow } from '../../lib/workflow-types';
import { csizsPasswordChanged, PASSWORD_REMINDER_LINK_MINUTES, passwordChanged, passwordExpiryWorkflowId, passwordReminderLinkOpened, passwordReminderWorkflowId } from '../../workflows/messages';
import { passwordViolations, PASSWORD_POLICY_MESSAGE, PASSWORD_RULE_TEXT } from '../../workflows/rules/password-policy';
import { afterFailedSignIn, isLocked, passwordTooOld, signInRefusedForTemporaryPassword, SIGN_IN_MESSAGES, type TemporaryPasswordRule } from '../../workflows/rules/accounts';
import { hashToken, newApiToken, newSessionSecret, SESSION_COOKIE, setSessionCookie } from '../auth';
import type { Principal } from '../access';
import type { ApiDeps } from '../deps';
import { HttpError, notFound } from '../errors';
import type { Api } from '../http';
import { rateLimits } from '../rate-limits';

// Raw queries return timestamps as strings.
const ms = (v: Date | string | null | undefined): number | null => (v ? new Date(v).getTime() : null);
const isoOrNull = (v: Date | string | null | undefined): string | null => (v ? new Date(v).toISOString() : null);

// A valid argon2id hash of a random string: unknown logins are verified against it so that the answer
// takes as long as for a known login.
let dummyHash: Promise<string> | null = null;
const timingDummy = () => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));

const loginBody = z.object({ login: text(100), password: secretText(200) }).strict();
const passwordBody = z.object({ currentPassword: secretText(200), newPassword: secretText(200) }).strict();
const REPEAT_DIFFERS = 'Powtórzone hasło różni się od nowego hasła';
const temporaryPasswordBody = z
  .object({
    login: text(100),
    currentPassword: secretText(200).meta({ description: 'The temporary password ("Stare hasło")' }),
    newPassword: secretText(200),
    repeatPassword: secretText(200).optional().meta({ description: '"Powtórz hasło"; when given it must equal newPassword' }),
  })
  .strict();
const reminderBody = z.object({ login: text(100) }).strict();
const tokenBody = z.object({ name: text(100) }).strict();
const reminderLinkBody = z.object({ token: text(43).regex(/^[A-Za-z0-9_-]{43}$/, 'Niepełny odnośnik: skopiuj cały adres z wiadomości') }).strict();

export const REMINDER_ACCEPTED = `Jeśli konto o podanym loginie istnieje, na adres e-mail podany przy rejestracji wysłaliśmy odnośnik do nowego hasła tymczasowego (ważny ${PASSWORD_REMINDER_LINK_MINUTES} minut). Dotychczasowe hasło działa, dopóki nie skorzystasz z odnośnika.`;
const REMINDER_LINK_INVALID = 'Odnośnik jest nieważny: wygasł, został już użyty albo jest niepełny. Poproś o nowe przypomnienie hasła.';
const meView = z.object({
  accountId: z.string(),
  login: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  mustChangePassword: z.boolean(),
  passwordExpiresAt: z.string().nullable(),
  assignments: z.array(z.object({ role: z.string(), voivodeship: z.string().nullable(), unitCode: z.string().nullable(), area: z.string().nullable() })),
});

/** Restarts the account's 30-day password cycle (starting the workflow if it is not running). */
export async function restartPasswordCycle(temporal: Client, config: Config, accountId: string, changedAt: Date): Promise<void> {
  const input = { accountId, changedAt: changedAt.toISOString(), policy: { maxAgeDays: config.PASSWORD_MAX_AGE_DAYS, reminderDaysBefore: [...config.PASSWORD_EXPIRY_REMINDER_DAYS] } };
  await signalWithStartWorkflow(temporal, 'passwordExpiryWorkflow', {
    workflowId: passwordExpiryWorkflowId(accountId),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [input],
    signal: passwordChanged,
    signalArgs: [{ changedAt: input.changedAt }],
  });
}

/** Checks the credentials under the account rules and opens a session. Throws an HttpError otherwise. */
export async function signIn(orm: MikroORM, config: Config, body: { login: string; password: string }, ip: string | undefined) {
  const req = { ip };
  const em = orm.em.fork();
  const conn = em.getConnection();
  const now = Date.now();
  const record = (accountId: string | null, action: string, outcome: 'ok' | 'denied' | 'failed', status: number) =>
    audit(em, { actor: body.login, accountId, action, outcome, status, ip: req.ip });

  const [{ active }] = await conn.execute<{ active: number }[]>(
    `select count(*)::int as active from sessions where ended_at is null and last_seen_at > now() - make_interval(mins => ?)`,
    [config.SESSION_IDLE_MINUTES],
  );
  if (active >= config.MAX_ACTIVE_SESSIONS) {
    await record(null, 'sign_in_limited', 'denied', 503);
    throw new HttpError(503, 'LOGINS_LIMITED', SIGN_IN_MESSAGES.limited);
  }
  const rows = await conn.execute<{ id: string; login: string; status: string; password_hash: string | null; failed_logins: number; locked_until: string | null; must_change_password: boolean; password_changed_at: string | null }[]>(
    'select id, login, status, password_hash, failed_logins, locked_until, must_change_password, password_changed_at from accounts where login = ?',
    [body.login],
  );
  const account = rows[0];
  if (!account || account.status !== 'active' || !account.password_hash) {
    await verifyPassword(await timingDummy(), body.password);
    await record(account?.id ?? null, 'sign_in', 'failed', 401);
    throw new HttpError(401, 'BAD_CREDENTIALS', SIGN_IN_MESSAGES.badCredentials);
  }
  if (isLocked(ms(account.locked_until), now)) {
    await record(account.id, 'sign_in_while_locked', 'denied', 423);
    throw new HttpError(423, 'ACCOUNT_LOCKED', SIGN_IN_MESSAGES.locked);
  }
  const fail = async (action: string): Promise<never> => {
    const next = afterFailedSignIn(account.failed_logins, { maxFailures: config.LOGIN_MAX_FAILURES, lockMinutes: config.LOGIN_LOCK_MINUTES }, now);
    await conn.execute('update accounts set failed_logins = ?, locked_until = ? where id = ?', [next.failedLogins, next.lockedUntil ? new Date(next.lockedUntil) : null, account.id]);
    if (next.lockedUntil) {
      await record(account.id, 'account_locked', 'denied', 423);
      throw new HttpError(423, 'ACCOUNT_LOCKED', SIGN_IN_MESSAGES.locked);
    }
    await record(account.id, action, 'failed', 401);
    throw new HttpError(401, 'BAD_CREDENTIALS', SIGN_IN_MESSAGES.badCredentials);
  };
  if (!(await verifyPassword(account.password_hash, body.password))) await fail('sign_in');
  // seed 004 pkt 6b: a CSIZS (PI-MZT) temporary password signs nobody in; it counts as a failed attempt.
  if (signInRefusedForTemporaryPassword(await temporaryPasswordRule(conn, account.id), account.must_change_password)) await fail('sign_in_temporary_password');
  const mustChange = account.must_change_password || passwordTooOld(ms(account.password_changed_at), now, config.PASSWORD_MAX_AGE_DAYS);
  const secret = newSessionSecret();
  const csrfToken = randomBytes(24).toString('base64url');
  await conn.execute('update accounts set failed_logins = 0, locked_until = null, must_change_password = ? where id = ?', [mustChange, account.id]);
  await conn.execute('insert into sessions (id, account_id, csrf_token, created_at, last_seen_at) values (?, ?, ?, now(), now())', [hashToken(secret), account.id, csrfToken]);
  await record(account.id, 'sign_in', 'ok', 200);
  return { login: account.login, mustChangePassword: mustChange, csrfToken, secret };
}

/**
 * Whose rule a temporary password follows: PI-MZT for the CSIZS local administrator whose package's
 * temporary password is not changed yet (seed 004 pkt 5b, 6b), CAS otherwise.
 */
async function temporaryPasswordRule(conn: ReturnType<MikroORM['em']['getConnection']>, accountId: string): Promise<TemporaryPasswordRule> {
  const rows = await conn.execute<{ n: number }[]>('select count(*)::int as n from csizs_units where local_admin_account_id = ? and password_changed_at is null', [accountId]);
  return rows[0].n > 0 ? 'pi-mzt' : 'cas';
}

/**
 * PI-MZT's "Zmiana hasła" on the sign-in screen (seed 004 pkt 6b): login, the temporary password as
 * "Stare hasło", the new one twice; no session. A wrong old password answers "Stare hasło nie jest
 * poprawne" and counts as a failed attempt (the 5th locks), as a sign-in would.
 */
export async function changeTemporaryPassword(
  orm: MikroORM,
  temporal: Client,
  config: Config,
  body: { login: string; currentPassword: string; newPassword: string; repeatPassword?: string },
  ip: string | undefined,
): Promise<{ accountId: string }> {
  const em = orm.em.fork();
  const conn = em.getConnection();
  const now = Date.now();
  const record = (accountId: string | null, action: string, outcome: 'ok' | 'denied' | 'failed', status: number) => audit(em, { actor: body.login, accountId, action, outcome, status, ip });
  const oldWrong = () => new HttpError(400, 'OLD_PASSWORD_INVALID', SIGN_IN_MESSAGES.oldPasswordWrong, [{ path: 'body.currentPassword', message: SIGN_IN_MESSAGES.oldPasswordWrong }]);
  const rows = await conn.execute<{ id: string; status: string; password_hash: string | null; failed_logins: number; locked_until: string | null }[]>(
    'select id, status, password_hash, failed_logins, locked_until from accounts where login = ?',
    [body.login],
  );
  const account = rows[0];
  if (!account || account.status !== 'active' || !account.password_hash) {
    await verifyPassword(await timingDummy(), body.currentPassword);
    await record(account?.id ?? null, 'temporary_password_change', 'failed', 400);
    throw oldWrong();
  }
  if (isLocked(ms(account.locked_until), now)) {
    await record(account.id, 'temporary_password_change_while_locked', 'denied', 423);
    throw new HttpError(423, 'ACCOUNT_LOCKED', SIGN_IN_MESSAGES.locked);
  }
  if (!(await verifyPassword(account.password_hash, body.currentPassword))) {
    const next = afterFailedSignIn(account.failed_logins, { maxFailures: config.LOGIN_MAX_FAILURES, lockMinutes: config.LOGIN_LOCK_MINUTES }, now);
    await conn.execute('update accounts set failed_logins = ?, locked_until = ? where id = ?', [next.failedLogins, next.lockedUntil ? new Date(next.lockedUntil) : null, account.id]);
    if (next.lockedUntil) {
      await record(account.id, 'account_locked', 'denied', 423);
      throw new HttpError(423, 'ACCOUNT_LOCKED', SIGN_IN_MESSAGES.locked);
    }
    await record(account.id, 'temporary_password_change', 'failed', 400);
    throw oldWrong();
  }
  if (body.repeatPassword !== undefined && body.repeatPassword !== body.newPassword) {
    throw new HttpError(400, 'PASSWORD_REPEAT_DIFFERS', REPEAT_DIFFERS, [{ path: 'body.repeatPassword', message: REPEAT_DIFFERS }]);
  }
  await changePassword(orm, temporal, config, { accountId: account.id }, { currentPassword: body.currentPassword, newPassword: body.newPassword });
  await conn.execute('update accounts set failed_logins = 0, locked_until = null where id = ?', [account.id]);
  await record(account.id, 'temporary_password_changed', 'ok', 204);
  return { accountId: account.id };
}

/** Changes a password under the policy, with the seed's messages, and restarts the 30-day cycle. */
export async function changePassword(orm: MikroORM, temporal: Client, config: Config, principal: Pick<Principal, 'accountId'>, body: { currentPassword: string; newPassword: string }) {
  const conn = orm.em.fork().getConnection();
  const [a] = await conn.execute<{ password_hash: string | null }[]>('select password_hash from accounts where id = ?', [principal.accountId]);
  if (!a.password_hash || !(await verifyPassword(a.password_hash, body.currentPassword))) {
    throw new HttpError(400, 'OLD_PASSWORD_INVALID', SIGN_IN_MESSAGES.oldPasswordWrong, [{ path: 'body.currentPassword', message: SIGN_IN_MESSAGES.oldPasswordWrong }]);
  }
  const broken = passwordViolations(body.newPassword);
  if (broken.length) {
    throw new HttpError(400, 'PASSWORD_POLICY', PASSWORD_POLICY_MESSAGE, broken.map((r) => ({ path: 'body.newPassword', message: `Wymagane: ${PASSWORD_RULE_TEXT[r]}` })));
  }
  if (body.newPassword === body.currentPassword) {
    throw new HttpError(400, 'PASSWORD_REUSED', 'Nowe hasło musi różnić się od dotychczasowego', [{ path: 'body.newPassword', message: 'Takie samo jak obecne' }]);
  }
  const changedAt = new Date();
  await conn.execute('update accounts set password_hash = ?, must_change_password = false, password_changed_at = ? where id = ?', [await hashPassword(body.newPassword), changedAt, principal.accountId]);
  await restartPasswordCycle(temporal, config, principal.accountId, changedAt);
  await reportCsizsPasswordChange(orm, temporal, principal.accountId, changedAt);
}

/**
 * seed 004 pkt 6b: a CSIZS local administrator changing the temporary password completes that step of
 * the unit's connection. Only the account and the time travel; the connection keeps running without it
 * if it has ended meanwhile.
 */
async function reportCsizsPasswordChange(orm: MikroORM, temporal: Client, accountId: string, changedAt: Date): Promise<void> {
  const rows = await orm.em.fork().getConnection().execute<{ workflow_id: string }[]>(
    'select workflow_id from csizs_units where local_admin_account_id = ? and password_changed_at is null',
    [accountId],
  );
  for (const r of rows) {
    await temporal.workflow
      .getHandle(r.workflow_id)
      .signal(csizsPasswordChanged, { accountId, changedAt: changedAt.toISOString() })
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
  }
}

export function registerAuthRoutes(api: Api, deps: ApiDeps) {
  const { orm, temporal, config } = deps;
  const secureCookie = config.PUBLIC_URL.startsWith('https://');
  const limits = rateLimits(deps);

  const login = api.action(
    {
      method: 'post',
      path: '/api/auth/login',
      summary: 'Sign in with login and password; sets the session cookie and returns the CSRF token',
      tag: 'auth',
      auth: 'public',
      body: loginBody,
      responses: { 200: { description: 'Signed in', schema: z.object({ login: z.string(), mustChangePassword: z.boolean(), csrfToken: z.string() }) } },
    },
    async ({ body, req, res }) => {
      await limits.signIn(req.ip, body.login);
      const session = await signIn(orm, config, body, req.ip);
      setSessionCookie(res, session.secret, secureCookie);
      return { login: session.login, mustChangePassword: session.mustChangePassword, csrfToken: session.csrfToken };
    },
  );

  const logout = api.action(
    { method: 'post', path: '/api/auth/logout', summary: 'Sign out: ends the session', tag: 'auth', auth: 'signed-in', allowWithPasswordChangePending: true, audit: 'sign_out', responses: { 204: { description: 'Signed out' } } },
    async ({ principal, res }) => {
      if (principal!.sessionId) await orm.em.fork().getConnection().execute("update sessions set ended_at = now(), end_reason = 'logout' where id = ?", [principal!.sessionId]);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
    },
  );

  api.route(
    { method: 'get', path: '/api/me', summary: 'The signed-in account, its roles and scopes', tag: 'auth', auth: 'signed-in', allowWithPasswordChangePending: true, responses: { 200: { description: 'Me', schema: meView } } },
    async ({ principal, res }) => {
      const [a] = await orm.em.fork().getConnection().execute('select first_name, last_name, email, password_changed_at from accounts where id = ?', [principal!.accountId]);
      res.json({
        accountId: principal!.accountId,
        login: principal!.login,
        firstName: a.first_name,
        lastName: a.last_name,
        email: a.email,
        mustChangePassword: principal!.mustChangePassword,
        passwordExpiresAt: a.password_changed_at ? new Date(new Date(a.password_changed_at).getTime() + config.PASSWORD_MAX_AGE_DAYS * 86_400_000).toISOString() : null,
        assignments: principal!.assignments,
      });
    },
  );

  const password = api.action(
    {
      method: 'post',
      path: '/api/auth/password',
      summary: 'Change the password (required first after a temporary or expired one)',
      tag: 'auth',
      auth: 'signed-in',
      allowWithPasswordChangePending: true,
      audit: 'password_changed',
      body: passwordBody,
      responses: { 204: { description: 'Changed' } },
    },
    async ({ body, principal }) => {
      await changePassword(orm, temporal, config, principal!, body);
    },
  );

  const temporaryPassword = api.action(
    {
      method: 'post',
      path: '/api/auth/temporary-password',
      summary: 'Change a temporary password without signing in: login, old (temporary) and new password (PI-MZT "Zmiana hasła", seed 004 pkt 6b)',
      tag: 'auth',
      auth: 'public',
      body: temporaryPasswordBody,
      responses: { 204: { description: 'Changed' } },
    },
    async ({ body, req }) => {
      // It checks a password as signing in does: the same limits, counted together with sign-in.
      await limits.signIn(req.ip, body.login);
      await changeTemporaryPassword(orm, temporal, config, body, req.ip);
    },
  );

  const reminder = api.action(
    {
      method: 'post',
      path: '/api/auth/password-reminder',
      summary: `Password reminder: a single-use link (valid ${PASSWORD_REMINDER_LINK_MINUTES} min) is mailed to the registered address; the password changes only when the link is opened (the answer never says whether the login exists)`,
      tag: 'auth',
      auth: 'public',
      body: reminderBody,
      responses: { 202: { description: 'Accepted', schema: z.object({ message: z.string() }) } },
    },
    async ({ body, req }) => {
      // Limited per address and per login, known or not, so the limit says nothing about the login either.
      await limits.passwordReminder(req.ip, body.login);
      const em = orm.em.fork();
      const rows = await em.getConnection().execute<{ id: string }[]>("select id from accounts where login = ? and status = 'active'", [body.login]);
      if (rows[0]) {
        const requestId = randomUUID();
        await startWorkflow(temporal, 'passwordReminderWorkflow', {
          workflowId: passwordReminderWorkflowId(rows[0].id, requestId),
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          args: [{ accountId: rows[0].id, requestId }],
        });
      }
      await audit(em, { actor: body.login, accountId: rows[0]?.id ?? null, action: 'password_reminder', outcome: rows[0] ? 'ok' : 'failed', status: 202, ip: req.ip });
      return { message: REMINDER_ACCEPTED };
    },
  );

  const reminderLink = api.action(
    {
      method: 'post',
      path: '/api/auth/password-reminder/link',
      summary: 'Open a password reminder link: uses up its token and has a new temporary password mailed (seed 000)',
      tag: 'auth',
      auth: 'public',
      audit: 'password_reminder_link_opened',
      body: reminderLinkBody,
      responses: { 202: { description: 'A temporary password is on its way by mail', schema: z.object({ message: z.string() }) } },
    },
    async ({ body }) => {
      const conn = orm.em.fork().getConnection();
      const tokenHash = hashToken(body.token);
      const [link] = await conn.execute<{ account_id: string; workflow_id: string }[]>(
        'select account_id, workflow_id from password_reminders where token_hash = ? and used_at is null and expires_at > now()',
        [tokenHash],
      );
      if (!link) throw new HttpError(410, 'REMINDER_LINK_INVALID', REMINDER_LINK_INVALID, [{ path: 'body.token', message: REMINDER_LINK_INVALID }]);
      // The workflow first (a second signal is harmless: it issues one password), then the link is used up.
      await temporal.workflow
        .getHandle(link.workflow_id)
        .signal(passwordReminderLinkOpened)
        .catch((err: unknown) => {
          if (err instanceof WorkflowNotFoundError) throw new HttpError(410, 'REMINDER_LINK_INVALID', REMINDER_LINK_INVALID, [{ path: 'body.token', message: REMINDER_LINK_INVALID }]);
          throw err;
        });
      // Every open link of the account is used up: the password mailed now is the one that works.
      await conn.execute('update password_reminders set used_at = now() where account_id = ? and used_at is null', [link.account_id]);
      return { message: 'Nowe hasło tymczasowe zostało wysłane na adres e-mail konta. Przy logowaniu system poprosi o ustawienie nowego hasła.' };
    },
  );

  const tokenView = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() });

  api.route(
    { method: 'get', path: '/api/tokens', summary: 'My personal API tokens (never the secrets)', tag: 'auth', auth: 'signed-in', responses: { 200: { description: 'Tokens', schema: z.array(tokenView) } } },
    async ({ principal, res }) => {
      const rows = await orm.em.fork().getConnection().execute('select id, name, created_at, last_used_at, revoked_at from api_tokens where account_id = ? order by created_at', [principal!.accountId]);
      res.json(rows.map((r) => ({ id: r.id, name: r.name, createdAt: isoOrNull(r.created_at)!, lastUsedAt: isoOrNull(r.last_used_at), revokedAt: isoOrNull(r.revoked_at) })));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/tokens',
      summary: 'Create a personal API token; the secret is shown once',
      tag: 'auth',
      auth: 'signed-in',
      audit: 'token_created',
      body: tokenBody,
      responses: { 201: { description: 'Created', schema: z.object({ id: z.string(), name: z.string(), token: z.string() }) } },
    },
    async ({ body, principal, res }) => {
      const token = newApiToken();
      const id = randomUUID();
      await orm.em.fork().getConnection().execute('insert into api_tokens (id, account_id, name, token_hash, created_at) values (?, ?, ?, ?, now())', [id, principal!.accountId, body.name, hashToken(token)]);
      res.status(201).json({ id, name: body.name, token });
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/api/tokens/:tokenId',
      summary: 'Revoke one of my API tokens',
      tag: 'auth',
      auth: 'signed-in',
      audit: 'token_revoked',
      params: z.object({ tokenId: z.uuid() }),
      responses: { 204: { description: 'Revoked' } },
    },
    async ({ params, principal, res }) => {
      const n = await orm.em.fork().getConnection().execute('update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = ? and account_id = ?', [params.tokenId, principal!.accountId], 'run');
      if (!(n as { affectedRows?: number }).affectedRows) throw notFound(`token ${params.tokenId}`);
      res.status(204).end();
    },
  );

  return { login, logout, password, reminder, temporaryPassword, reminderLink };
}
