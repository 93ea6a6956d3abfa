import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { errorBodySchema, HttpError, type ErrorDetail } from './errors';
import type { Principal } from './access';
import type { AuditInput } from '../lib/audit';

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

export function issuesToDetails(error: z.ZodError, prefix: string): ErrorDetail[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.message,
  }));
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new HttpError(400, 'VALIDATION_FAILED', 'Dane żądania są niepoprawne', issuesToDetails(result.error, where));
  }
  return result.data;
}

export class Api {
  readonly routes: RegisteredRoute[] = [];

  constructor(
    private readonly router: Router,
    private readonly authenticate: (req: Request) => Promise<Principal | null>,
    private readonly auditor: (e: AuditInput) => Promise<void>,
  ) {}

  private record(e: { principal: Principal | null; action: string; req: Request; outcome: AuditInput['outcome']; status: number; code?: string }) {
    const target = Object.values(e.req.params ?? {}).join('/') || null;
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
    this.routes.push({ spec: spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType> });
    this.router[spec.method](spec.path, ...middleware, async (req: Request, res: Response) => {
      let principal: Principal | null = null;
      try {
        principal = await this.authenticate(req);
        if (spec.auth === 'signed-in' && !principal) {
          throw new HttpError(401, 'UNAUTHENTICATED', 'Wymagane zalogowanie: zaloguj się albo podaj token w nagłówku Authorization: Bearer');
        }
        if (principal?.mustChangePassword && !spec.allowWithPasswordChangePending) {
          throw new HttpError(403, 'PASSWORD_CHANGE_REQUIRED', 'Przed dalszą pracą zmień hasło tymczasowe lub wygasłe (POST /api/auth/password).');
        }
        // A browser session must prove the request comes from our own pages; API tokens need not.
        if (principal?.via === 'session' && spec.method !== 'get' && req.get('x-csrf-token') !== principal.csrfToken && req.body?._csrf !== principal.csrfToken) {
          throw new HttpError(403, 'CSRF_TOKEN_INVALID', 'Brak lub niepoprawny token CSRF: odśwież stronę i spróbuj ponownie.');
        }
        const params = parse(spec.params, req.params, 'params');
        const query = parse(spec.query, req.query, 'query');
        const body = parse(spec.body, req.body, spec.multipart ? '' : 'body');
        await handler({ params, query, body, principal, req, res } as Ctx<z.infer<P>, z.infer<Q>, z.infer<B>>);
        if (spec.audit) await this.record({ principal, action: spec.audit, req, outcome: 'ok', status: res.statusCode });
      } catch (err) {
        const status = err instanceof HttpError ? err.status : 500;
        if (spec.audit || status === 401 || status === 403 || status === 423) {
          await this.record({ principal, action: spec.audit ?? `${spec.method} ${spec.path}`, req, outcome: status === 401 || status === 403 ? 'denied' : 'failed', status, code: err instanceof HttpError ? err.code : 'INTERNAL' }).catch(() => undefined);
        }
        throw err;
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
