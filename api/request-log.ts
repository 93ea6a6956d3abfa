import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../lib/logger';

// One JSON line per request: its id (the caller's X-Request-Id when it is a sane one, else made here, and
// sent back), method, route (the declared path, never the query string, which may carry search text), the
// case / task / workflow id where the route has one, status, outcome, error code and duration.

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Path parameters that name a case, task or workflow, copied into the request's log line. */
const ID_PARAMS = ['caseId', 'taskId', 'reportId', 'campaignId', 'id', 'unitCode', 'mailId', 'requestId', 'formCode'];

/** What the route kit learns about a request, for its log line and metrics (res.locals.obieg). */
export interface RequestFacts {
  route?: string;
  ids?: Record<string, string>;
  errorCode?: string;
}

export const requestFacts = (res: Response): RequestFacts => ((res.locals.obieg as RequestFacts | undefined) ?? (res.locals.obieg = {}));

/** The route kit notes the declared route and the ids in its path parameters. */
export function noteRoute(req: Request, res: Response, route: string): void {
  const facts = requestFacts(res);
  facts.route = route;
  const ids: Record<string, string> = {};
  for (const k of ID_PARAMS) if (typeof req.params?.[k] === 'string') ids[k] = req.params[k];
  if (Object.keys(ids).length) facts.ids = ids;
}

export const outcomeOf = (status: number): 'ok' | 'redirect' | 'client_error' | 'server_error' =>
  status >= 500 ? 'server_error' : status >= 400 ? 'client_error' : status >= 300 ? 'redirect' : 'ok';

function finished(res: Response) {
  const facts = res.locals?.obieg as RequestFacts | undefined;
  return { route: facts?.route, ...facts?.ids, status: res.statusCode, outcome: outcomeOf(res.statusCode), code: facts?.errorCode };
}

export function requestLogger(log: Logger): RequestHandler {
  return pinoHttp({
    logger: log.pino,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    quietReqLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request failed',
    customAttributeKeys: { responseTime: 'durationMs', reqId: 'requestId' },
    serializers: {
      req: (req: { method: string; url: string; raw?: Request }) => ({ method: req.method, path: (req.raw?.originalUrl ?? req.url).split('?')[0] }),
      res: () => undefined,
      err: (err: Error) => ({ type: err.name, message: err.message }),
    },
    // Added when the response is finished (customProps would be fixed at the request's start).
    customSuccessObject: (_req, res, line: Record<string, unknown>) => ({ ...line, ...finished(res as unknown as Response) }),
    customErrorObject: (_req, res, _err, line: Record<string, unknown>) => ({ ...line, ...finished(res as unknown as Response) }),
  }) as unknown as RequestHandler;
}
