import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { errorBodySchema, HttpError, type ErrorDetail } from './errors';
import type { Principal } from './access';
import type { AuditInput } from '../lib/audit';
import { warsawToInstant } from '../workflows/rules/csizs-campaign';
import { noteRoute } from './request-log';
import { FORBIDDEN_KEYS, rejectUnsafeInput, TEXT_MESSAGES, unguardedStrings } from './text';
import { withFlash } from './flash';

// Routes are declared once, with the zod schemas that validate them; /openapi.json is generated from
// the same declarations, so the document cannot drift from what the API accepts.

z.config(z.locales.pl());

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  /** 'signed-in': a session or API token is required; access to the resource is then decided in access.ts. */
  auth: 'public' | 'signed-in';
  /** Reachable while the caller must still change a temporary or expired password. */
  allowWithPasswordChangePending?: boolean;
  /**
   * 'json-preflight': a session needs no CSRF token when the body is JSON (a cross-origin JSON POST needs a
   * CORS preflight, which only the configured origin passes); for the remote codec the Temporal UI calls.
   */
  csrf?: 'json-preflight';
  /** Name of the action in the audit trail; every call is recorded, allowed or refused. */
  audit?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The body is multipart/form-data: `body` validates its fields; `file` names the file part. */
  multipart?: { file: string; fileDescription: string };
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

export interface Ctx<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal | null;
  req: Request;
  res: Response;
}

export interface RegisteredRoute {
  spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>;
}

/**
 * An action: a route whose handler returns its answer instead of sending it, so the API (JSON) and a
 * page form (a redirect with a message) run the same handler, the same checks and write the same audit row.
 */
export interface Action<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R> {
  spec: RouteSpec<P, Q, B>;
  /** The answer's status on success: the one 2xx status the spec declares (or the first, with statusOf). */
  status: number;
  /** Where the spec declares two 2xx answers (created / already there): which one this result is. */
  statusOf?: (result: R) => number;
  /** The route's own middleware (an upload's multipart parser): its page form runs it too. */
  middleware?: RequestHandler[];
  run: (ctx: Ctx<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<R>;
}

/** How a page form answers: where it goes back to and what it says. */
export interface FormSpec<P, B, R> {
  /** The page path the form posts to. */
  path: string;
  /** Where the person goes back to, with the flash message. */
  back: string | ((req: Request) => string);
  /** The message on success; `{ error }` when the action ran but the person should read it as a warning. */
  ok?: (result: R, input: { params: P; body: B }) => string | { error: string };
  /** A redirect other than back (sign-in, password change). */
  redirect?: (result: R, req: Request) => string;
  /** The twin's path parameters from the page's (default: the same names). May refuse (404, 409). */
  params?: (pageParams: Record<string, string>, principal: Principal | null) => Promise<Record<string, string>>;
  /** Fields the page sends for itself (not the action's input), removed before validation. */
  pageFields?: string[];
  /** Show a refusal on a page of its own instead of going back with a message. */
  onError?: (err: HttpError, req: Request, res: Response, principal: Principal | null) => void;
}

export interface RegisteredForm {
  path: string;
  /** The API route this form is the page twin of: the same handler, validation, access and audit. */
  twin: RouteSpec<z.ZodType, z.ZodType, z.ZodType>;
}

const unwrap = (schema: z.ZodType): z.ZodType => {
  let s = schema as z.ZodType & { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } } };
  for (;;) {
    const d = s._zod.def;
    if ((d.type === 'optional' || d.type === 'nullable' || d.type === 'default' || d.type === 'prefault') && d.innerType) s = d.innerType as typeof s;
    else if (d.type === 'pipe' && d.in) s = d.in as typeof s;
    else return s;
  }
};

const LOCAL_MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/**
 * A urlencoded form body as the action's JSON body: the one place where form strings are coerced. An
 * empty field is an absent one; `a.b` names a nested field; numbers, booleans (checkboxes) and arrays
 * follow the schema; a date-time field filled in a datetime-local input is Warsaw local time.
 */
export function formToBody(schema: z.ZodType | undefined, raw: Record<string, unknown>, pageFields: string[] = []): Record<string, unknown> {
  const nested: Record<string, unknown> = {};
  const refuse = (key: string, message: string) => {
    throw new HttpError(400, 'VALIDATION_FAILED', 'Dane żądania są niepoprawne', [{ path: `body.${key.replace(/[^\w.-]/g, '?')}`, message }]);
  };
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (key === '_csrf' || pageFields.includes(key) || value === '' || value === undefined) continue;
    const path = key.split('.');
    // `__proto__.x` would otherwise write onto Object.prototype itself (prototype pollution).
    if (path.some((part) => FORBIDDEN_KEYS.has(part))) refuse(key, TEXT_MESSAGES.key);
    let at = nested;
    for (const part of path.slice(0, -1)) {
      const inner = Object.hasOwn(at, part) ? at[part] : (at[part] = {});
      // `a=x&a.b=y`: one field both a value and a group of fields.
      if (!inner || typeof inner !== 'object' || Array.isArray(inner)) refuse(key, 'Pole podane jednocześnie jako wartość i jako grupa pól');
      at = inner as Record<string, unknown>;
    }
    at[path[path.length - 1]] = value;
  }
  const coerce = (s: z.ZodType | undefined, v: unknown): unknown => {
    if (!s) return v;
    const inner = unwrap(s) as z.ZodType & { _zod: { def: { type: string; format?: string; element?: z.ZodType } } };
    const def = inner._zod.def;
    if (def.type === 'object' && v && typeof v === 'object' && !Array.isArray(v)) {
      const shape = (inner as unknown as z.ZodObject).shape as Record<string, z.ZodType>;
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, coerce(shape[k], x)]));
    }
    if (def.type === 'array') return (Array.isArray(v) ? v : [v]).map((x) => coerce(def.element, x));
    if (typeof v !== 'string') return v;
    if (def.type === 'number' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
    if (def.type === 'boolean') return v === 'on' || v === 'true' || v === '1';
    if (def.type === 'string' && def.format === 'datetime' && LOCAL_MINUTE.test(v)) return new Date(warsawToInstant(v)).toISOString();
    return v;
  };
  return coerce(schema, nested) as Record<string, unknown>;
}

const enc = encodeURIComponent;
/** A refusal as a person reads it: the message, and what is wrong with each field. */
export const refusalText = (err: HttpError) => (err.details?.length ? `${err.message}: ${err.details.map((d) => d.message).join('; ')}` : err.message);

export function issuesToDetails(error: z.ZodError, prefix: string): ErrorDetail[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.message,
  }));
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> | undefined {
  if (!schema) return undefined;
  // Whatever the schema: nothing PostgreSQL cannot store, no prototype keys (api/text.ts).
  rejectUnsafeInput(value, where);
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new HttpError(400, 'VALIDATION_FAILED', 'Dane żądania są niepoprawne', issuesToDetails(result.error, where));
  }
  return result.data;
}

/** Every string field of a route's input is a `text` (api/text.ts) or a fixed format; else the route is not registered. */
function assertGuarded(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>): void {
  const loose = (['params', 'query', 'body'] as const).flatMap((where) => (spec[where] ? unguardedStrings(spec[where]).map((p) => `${where}.${p}`) : []));
  if (loose.length) throw new Error(`${spec.method.toUpperCase()} ${spec.path}: string fields without the shared text type (api/text.ts): ${loose.join(', ')}`);
}

export class Api {
  /** The API routes (JSON), each in /openapi.json. */
  readonly routes: RegisteredRoute[] = [];
  /** The page forms, each the twin of an API route; not in /openapi.json (they answer with redirects). */
  readonly forms: RegisteredForm[] = [];

  constructor(
    private readonly router: Router,
    readonly authenticate: (req: Request) => Promise<Principal | null>,
    private readonly auditor: (e: AuditInput) => Promise<void>,
  ) {}

  /** The audit row of one call: the same for an API call and its page form (target: the twin's path parameters). */
  private record(e: { principal: Principal | null; action: string; req: Request; params?: Record<string, unknown>; outcome: AuditInput['outcome']; status: number; code?: string }) {
    const target = Object.values(e.params ?? e.req.params ?? {}).join('/') || null;
    return this.auditor({
      actor: e.principal?.login ?? 'anonymous',
      accountId: e.principal?.accountId ?? null,
      action: e.action,
      target,
      outcome: e.outcome,
      status: e.status,
      ip: e.req.ip,
      detail: e.code ? { code: e.code } : {},
    });
  }

  route<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
    spec: RouteSpec<P, Q, B>,
    handler: (ctx: Ctx<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<void>,
    middleware: RequestHandler[] = [],
  ): void {
    assertGuarded(spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType>);
    this.routes.push({ spec: spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType> });
    this.router[spec.method](spec.path, ...middleware, async (req: Request, res: Response) => {
      let principal: Principal | null = null;
      noteRoute(req, res, spec.path);
      try {
        principal = await this.authenticate(req).catch((err: unknown) => {
          // A public route serves anyone: an ended or malformed session cookie makes the caller anonymous.
          if (spec.auth === 'public' && err instanceof HttpError && err.status === 401 && !req.get('authorization')) return null;
          throw err;
        });
        this.gate(spec, principal, req);
        const params = parse(spec.params, req.params, 'params');
        const query = parse(spec.query, req.query, 'query');
        const body = parse(spec.body, req.body, spec.multipart ? '' : 'body');
        await handler({ params, query, body, principal, req, res } as Ctx<z.infer<P>, z.infer<Q>, z.infer<B>>);
        if (spec.audit) await this.record({ principal, action: spec.audit, req, outcome: 'ok', status: res.statusCode });
      } catch (err) {
        await this.recordFailure(spec, principal, req, err);
        throw err;
      }
    });
  }

  /** Authentication, the password-change gate and CSRF: the same for API calls and page forms. */
  private gate(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>, principal: Principal | null, req: Request): void {
    if (spec.auth === 'signed-in' && !principal) {
      throw new HttpError(401, 'UNAUTHENTICATED', 'Wymagane zalogowanie: zaloguj się albo podaj token w nagłówku Authorization: Bearer');
    }
    if (principal?.mustChangePassword && !spec.allowWithPasswordChangePending) {
      throw new HttpError(403, 'PASSWORD_CHANGE_REQUIRED', 'Przed dalszą pracą zmień hasło tymczasowe lub wygasłe (POST /api/auth/password).');
    }
    // A browser session must prove the request comes from our own pages; API tokens need not.
    const preflighted = spec.csrf === 'json-preflight' && !!req.is('application/json');
    if (principal?.via === 'session' && spec.method !== 'get' && !preflighted && req.get('x-csrf-token') !== principal.csrfToken && req.body?._csrf !== principal.csrfToken) {
      throw new HttpError(403, 'CSRF_TOKEN_INVALID', 'Brak lub niepoprawny token CSRF: odśwież stronę i spróbuj ponownie.');
    }
  }

  private async recordFailure(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>, principal: Principal | null, req: Request, err: unknown, params?: Record<string, unknown>): Promise<void> {
    const status = err instanceof HttpError ? err.status : 500;
    if (spec.audit || status === 401 || status === 403 || status === 423) {
      await this.record({ principal, action: spec.audit ?? `${spec.method} ${spec.path}`, req, params, outcome: status === 401 || status === 403 ? 'denied' : 'failed', status, code: err instanceof HttpError ? err.code : 'INTERNAL' }).catch(() => undefined);
    }
  }

  /**
   * An API route whose handler returns the answer: sent as JSON here (or no content for 204), and
   * reusable by a page form through `form`. Headers and cookies the handler sets on `res` go out either way.
   */
  action<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined, R = unknown>(
    spec: RouteSpec<P, Q, B>,
    run: (ctx: Ctx<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<R>,
    middleware: RequestHandler[] = [],
    statusOf?: (result: R) => number,
  ): Action<P, Q, B, R> {
    const ok = Object.keys(spec.responses).map(Number).filter((s) => s >= 200 && s < 300);
    if (ok.length !== 1 && !(statusOf && ok.length > 1)) throw new Error(`${spec.method} ${spec.path}: an action declares exactly one 2xx response (or says which with statusOf)`);
    const status = ok[0];
    this.route(
      spec,
      async (ctx) => {
        const result = await run(ctx);
        const s = statusOf ? statusOf(result) : status;
        if (s === 204 || result === undefined) ctx.res.status(s).end();
        else ctx.res.status(s).json(result);
      },
      middleware,
    );
    return { spec, status, statusOf, middleware, run };
  }

  /**
   * A page form as the twin of an API action: the same authentication (a browser session), password-change
   * gate and CSRF check, the twin's zod schemas on the coerced form body, the twin's handler (so the same
   * service and access decision) and the twin's audit row. It answers with a redirect and a Polish message.
   */
  form<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R>(router: Router, twin: Action<P, Q, B, R>, f: FormSpec<z.infer<P>, z.infer<B>, R>): void {
    const spec = twin.spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType>;
    if (spec.method === 'get') throw new Error(`${f.path}: a form posts`);
    this.forms.push({ path: f.path, twin: spec });
    router.post(f.path, ...(twin.middleware ?? []), async (req: Request, res: Response, next: NextFunction) => {
      let principal: Principal | null = null;
      let params: Record<string, unknown> | undefined;
      const back = () => (typeof f.back === 'string' ? f.back : f.back(req));
      noteRoute(req, res, f.path);
      try {
        try {
          principal = await this.authenticate(req);
        } catch (err) {
          // An ended session's cookie does not stand in the way of a public form (signing in again above all).
          if (err instanceof HttpError && err.status === 401 && spec.auth === 'public') principal = null;
          else if (err instanceof HttpError && err.status === 401) return res.redirect(303, withFlash(`/logowanie?powrot=${enc(back())}`, 'blad', err.message));
          else throw err;
        }
        // Pages are for people in a browser: a form needs the session (and its CSRF token), not an API token.
        if (principal && principal.via !== 'session') principal = null;
        try {
          this.gate(spec, principal, req);
        } catch (err) {
          if (err instanceof HttpError && err.code === 'UNAUTHENTICATED') {
            await this.recordFailure(spec, principal, req, err);
            return res.redirect(303, `/logowanie?powrot=${enc(back())}`);
          }
          if (err instanceof HttpError && err.code === 'PASSWORD_CHANGE_REQUIRED') {
            await this.recordFailure(spec, principal, req, err);
            return res.redirect(303, '/haslo');
          }
          throw err;
        }
        // The page's own address first: a page-params lookup runs before the twin's schema does.
        rejectUnsafeInput({ ...req.params }, 'params');
        params = f.params ? await f.params(req.params as Record<string, string>, principal) : { ...req.params };
        const input = {
          params: parse(spec.params, params, 'params'),
          body: parse(spec.body, formToBody(spec.body, req.body ?? {}, f.pageFields), 'body'),
        };
        const result = await twin.run({ ...input, query: undefined, principal, req, res } as Ctx<z.infer<P>, z.infer<Q>, z.infer<B>>);
        if (spec.audit) await this.record({ principal, action: spec.audit, req, params, outcome: 'ok', status: twin.statusOf ? twin.statusOf(result) : twin.status });
        if (f.redirect) return res.redirect(303, f.redirect(result, req));
        const said = f.ok?.(result, input as { params: z.infer<P>; body: z.infer<B> }) ?? 'Zapisano';
        res.redirect(303, typeof said === 'string' ? withFlash(back(), 'ok', said) : withFlash(back(), 'blad', said.error));
      } catch (err) {
        await this.recordFailure(spec, principal, req, err, params);
        if (!(err instanceof HttpError)) return next(err);
        if (f.onError) return f.onError(err, req, res, principal);
        // A stale or missing CSRF token: the form cannot be trusted, so no redirect back; an error page.
        if (err.code === 'CSRF_TOKEN_INVALID') return next(new HttpError(403, err.code, 'Formularz wygasł: odśwież stronę i spróbuj ponownie.'));
        res.redirect(303, withFlash(back(), 'blad', err.code === 'VALIDATION_FAILED' ? `Popraw formularz: ${err.details?.map((d) => d.message).join('; ')}` : refusalText(err)));
      }
    });
  }

  openApi(info: { title: string; version: string; description: string }) {
    const js = (schema: z.ZodType) => {
      const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
      delete out.$schema;
      return out;
    };
    const paths: Record<string, Record<string, unknown>> = {};
    for (const { spec } of this.routes) {
      const path = spec.path.replace(/:(\w+)/g, '{$1}');
      const parameters: unknown[] = [];
      for (const [where, schema] of [['path', spec.params], ['query', spec.query]] as const) {
        if (!schema || !(schema instanceof z.ZodObject)) continue;
        for (const [name, prop] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
          parameters.push({ name, in: where, required: where === 'path' || !prop.safeParse(undefined).success, schema: js(prop) });
        }
      }
      const responses: Record<string, unknown> = {};
      for (const [status, r] of Object.entries(spec.responses)) {
        responses[status] = {
          description: r.description,
          ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: js(r.schema) } } } : {}),
          ...(r.contentType && !r.schema ? { content: { [r.contentType]: { schema: { type: 'string', format: 'binary' } } } } : {}),
        };
      }
      responses.default = { description: 'Błąd', content: { 'application/json': { schema: js(errorBodySchema) } } };
      let requestBody: unknown;
      if (spec.body && !spec.multipart) requestBody = { required: true, content: { 'application/json': { schema: js(spec.body) } } };
      if (spec.body && spec.multipart) {
        const fields = js(spec.body) as { properties?: Record<string, unknown>; required?: string[] };
        requestBody = {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: { ...fields.properties, [spec.multipart.file]: { type: 'string', format: 'binary', description: spec.multipart.fileDescription } },
                required: [...(fields.required ?? []), spec.multipart.file],
              },
            },
          },
        };
      }
      paths[path] ??= {};
      paths[path][spec.method] = {
        summary: spec.summary,
        tags: [spec.tag],
        ...(spec.auth === 'signed-in' ? { security: [{ bearerAuth: [] }, { sessionCookie: [] }] } : { security: [] }),
        ...(parameters.length ? { parameters } : {}),
        ...(requestBody ? { requestBody } : {}),
        responses,
      };
    }
    return {
      openapi: '3.1.0',
      info,
      jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'Personal API token (obg_…)' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'obieg_session', description: 'Session from POST /api/auth/login; state-changing requests also send X-CSRF-Token' },
        },
      },
      paths,
    };
  }
}
