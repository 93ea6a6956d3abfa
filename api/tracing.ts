import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { RequestHandler, Response } from 'express';
import { requestFacts } from './request-log';

// With tracing on (lib/tracing.ts), one server span per request: the method, the declared route (never the
// path with its ids, nor the query string, which may carry search text) and the status, like the request's
// log line. Every request begins a trace of its own: a caller's traceparent header is not followed (the API
// is public; a caller would choose our trace ids and whether we record).

export function traceRequests(tracer: Tracer): RequestHandler {
  return (req, res, next) => {
    const span = tracer.startSpan(req.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, ROOT_CONTEXT);
    const active = trace.setSpan(ROOT_CONTEXT, span);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = requestFacts(res as Response).route;
      if (route) {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    // The body parsers and the handlers continue from the request's and the response's events: bound to
    // the request's context, they (and the Temporal client's interceptor) see its span as the active one.
    context.bind(active, req);
    context.bind(active, res);
    context.with(active, next);
  };
}
