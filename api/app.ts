import express, { type Express, type RequestHandler, type Router } from 'express';
import { securityHeaders } from './security-headers';
import { useFlashSecret } from './flash';
import { controlInPath, TEXT_MESSAGES } from './text';
import { RequestContext } from '@mikro-orm/core';
import { audit } from '../lib/audit';
import { createAuthenticator } from './auth';
import type { ApiDeps } from './deps';
import { errorHandler, HttpError } from './errors';
import { Api } from './http';
import { createPages } from './pages';
import { loadTemplates } from '../lib/templates';
import { registerAuthRoutes } from './auth/routes';
import { registerCaseRoutes } from './cases/routes';
import { registerCsizsRoutes } from './csizs/routes';
import { registerIdentityMergeRoutes } from './merge/routes';
import { registerRegistrationRoutes } from './registration/routes';
import { registerPermissionRoutes } from './permission/routes';
import { registerReportRoutes } from './report/routes';
import { registerSystemRoutes } from './system/routes';
import { registerUnitPeopleRoutes } from './unit-people/routes';
import { registerOfficeRoutes } from './offices/routes';
import { registerDesignationRoutes } from './report/designations';
import { registerLetterRoutes } from './letters/routes';
import { codecMiddleware, registerCodecRoutes } from './codec/routes';
import { requestLogger } from './request-log';
import { createApiMetrics, registerMetricsRoute } from './metrics';
import { traceRequests } from './tracing';

/** The API actions that page forms are twins of (see Api.form). */
export interface PageTwins {
  auth: ReturnType<typeof registerAuthRoutes>;
  csizs: ReturnType<typeof registerCsizsRoutes>;
  tasks: ReturnType<typeof registerCaseRoutes>;
  cases: ReturnType<typeof registerCaseRoutes>;
  registration: ReturnType<typeof registerRegistrationRoutes>;
  permission: ReturnType<typeof registerPermissionRoutes>;
  reports: ReturnType<typeof registerReportRoutes>;
  unitPeople: ReturnType<typeof registerUnitPeopleRoutes>;
  offices: ReturnType<typeof registerOfficeRoutes>;
  letters: ReturnType<typeof registerLetterRoutes>;
}

export function createApp(deps: ApiDeps): { app: Express; api: Api } {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  if (deps.tracing) app.use(traceRequests(deps.tracing.tracer));
  app.use(securityHeaders());
  useFlashSecret(deps.config.PAYLOAD_KEY);
  const metrics = deps.metrics ?? createApiMetrics(deps.orm);
  app.use(requestLogger(deps.log));
  app.use(metrics.middleware);
  // An address holding NUL or another control character names nothing here: 400 before any route looks
  // anything up with it (PostgreSQL cannot even be asked about NUL). One that does not decode is 400 too.
  app.use((req, _res, next) => {
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return next(new HttpError(400, 'BAD_REQUEST', 'Niepoprawny adres: nie daje się odczytać jako UTF-8'));
    }
    if (controlInPath(path)) return next(new HttpError(400, 'VALIDATION_FAILED', 'Niepoprawny adres', [{ path: 'path', message: TEXT_MESSAGES.control }]));
    next();
  });
  app.use('/codec', ...codecMiddleware(deps.config));
  app.use(express.json({ limit: '256kb' }));
  app.use(express.urlencoded({ extended: false, limit: '256kb' }));
  app.use((_req, _res, next) => RequestContext.create(deps.orm.em, next));

  const router = express.Router();
  const api = new Api(router, createAuthenticator(deps.orm, { idleMinutes: deps.config.SESSION_IDLE_MINUTES }), (e) => audit(deps.orm.em.fork(), e));
  registerSystemRoutes(api, deps);
  const auth = registerAuthRoutes(api, deps);
  const registration = registerRegistrationRoutes(api, deps);
  const permission = registerPermissionRoutes(api, deps);
  registerIdentityMergeRoutes(api, deps);
  const reports = registerReportRoutes(api, deps);
  const unitPeople = registerUnitPeopleRoutes(api, deps);
  const csizs = registerCsizsRoutes(api, deps);
  const cases = registerCaseRoutes(api, deps);
  const offices = registerOfficeRoutes(api, deps);
  registerDesignationRoutes(api, deps);
  const letters = registerLetterRoutes(api, deps);
  registerCodecRoutes(api, deps);
  registerMetricsRoute(api, metrics);
  const twins = { auth, csizs, tasks: cases, cases, registration, permission, reports, unitPeople, offices, letters };

  const document = api.openApi({
    title: 'obieg API',
    version: '0.1.0',
    description: 'Case management for the administrative processes of Polish social-welfare IT (CAS, CSIZS).',
  });
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });

  // Pages skip matching against every API route: the router sees only paths whose first segment one of
  // its routes has (/api, /healthz, ...).
  const firstSegment = (path: string) => path.split('/')[1] ?? '';
  const apiRoots = new Set([...Object.keys(document.paths ?? {}), '/openapi.json'].map(firstSegment));
  const apiGate: RequestHandler & { router?: Router } = (req, res, next) => (apiRoots.has(firstSegment(req.path)) ? router(req, res, next) : next());
  apiGate.router = router; // what serves the API, for the test that lists every route
  app.use(apiGate);
  app.use(createPages(deps, loadTemplates(), api, twins));
  app.use((req, _res, next) => next(new HttpError(404, 'NOT_FOUND', `Nie ma takiego adresu: ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.log, deps.config.UPLOAD_MAX_BYTES));
  return { app, api };
}
