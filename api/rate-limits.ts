import type { RequestHandler } from 'express';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { ApiDeps } from './deps';
import { HttpError } from './errors';

// Rate limits on what an anonymous or abusive client can repeat cheaply (issue 14): sign-in, the password
// reminder, registration and uploads. Each counts per client address and per subject (login or e-mail)
// in PostgreSQL (table rate_limits), so every API process shares the counts. RATE_LIMIT_FACTOR multiplies
// every allowance (the tests raise it; the abuse test keeps 1). Over the limit: 429 with Retry-After.

interface Rule {
  /** Requests allowed per window (before RATE_LIMIT_FACTOR). */
  points: number;
  /** The window, seconds. */
  seconds: number;
}

/** Allowances: generous for an office of many people behind one address, tight per login or e-mail. */
export const RATE_LIMIT_RULES = {
  signInByAddress: { points: 300, seconds: 15 * 60 },
  signInByLogin: { points: 20, seconds: 15 * 60 },
  reminderByAddress: { points: 20, seconds: 60 * 60 },
  reminderByLogin: { points: 3, seconds: 60 * 60 },
  registrationByAddress: { points: 60, seconds: 60 * 60 },
  registrationByEmail: { points: 10, seconds: 60 * 60 },
  uploadByAddress: { points: 300, seconds: 60 * 60 },
  uploadByAccount: { points: 120, seconds: 60 * 60 },
} satisfies Record<string, Rule>;
type RuleName = keyof typeof RATE_LIMIT_RULES;

export const tooManyRequests = (retryAfterSeconds: number) => {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new HttpError(429, 'TOO_MANY_REQUESTS', `Zbyt wiele prób w krótkim czasie. Spróbuj ponownie za ${minutes} min.`, undefined, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
};

export interface RateLimits {
  signIn(address: string | undefined, login: string): Promise<void>;
  passwordReminder(address: string | undefined, login: string): Promise<void>;
  registration(address: string | undefined, email: string): Promise<void>;
  /** Per account, in the handler of an upload route (the address is limited before the body is read). */
  upload(address: string | undefined, accountId: string): Promise<void>;
  /** Per address, before a multipart body is read. */
  uploadByAddress: RequestHandler;
}

const cache = new WeakMap<object, RateLimits>();

/** The rate limits of one API (one per ORM, so every route of an app shares them). */
export function rateLimits({ orm, config }: Pick<ApiDeps, 'orm' | 'config'>): RateLimits {
  const cached = cache.get(orm);
  if (cached) return cached;
  const knex = orm.em.getConnection().getKnex();
  const limiters = Object.fromEntries(
    Object.entries(RATE_LIMIT_RULES).map(([name, rule]) => [
      name,
      new RateLimiterPostgres({
        storeClient: knex,
        storeType: 'knex',
        tableName: 'rate_limits',
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: name,
        points: Math.max(1, Math.round(rule.points * config.RATE_LIMIT_FACTOR)),
        duration: rule.seconds,
      }),
    ]),
  ) as Record<RuleName, RateLimiterPostgres>;

  /** Consumes one point of each rule; the longest wait of those over their limit is the answer's. */
  const consume = async (pairs: [RuleName, string][]) => {
    let wait = 0;
    for (const [name, key] of pairs) {
      try {
        await limiters[name].consume(key);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        wait = Math.max(wait, err.msBeforeNext / 1000);
      }
    }
    if (wait > 0) throw tooManyRequests(wait);
  };
  const addr = (a: string | undefined) => a ?? 'unknown';
  const subject = (s: string) => s.trim().toLowerCase().slice(0, 200);

  const limits: RateLimits = {
    signIn: (a, login) => consume([['signInByAddress', addr(a)], ['signInByLogin', subject(login)]]),
    passwordReminder: (a, login) => consume([['reminderByAddress', addr(a)], ['reminderByLogin', subject(login)]]),
    registration: (a, email) => consume([['registrationByAddress', addr(a)], ['registrationByEmail', subject(email)]]),
    upload: (a, accountId) => consume([['uploadByAccount', accountId]]),
    uploadByAddress: (req, _res, next) => {
      consume([['uploadByAddress', addr(req.ip)]]).then(() => next(), next);
    },
  };
  cache.set(orm, limits);
  return limits;
}
