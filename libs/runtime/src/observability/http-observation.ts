import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger as Pino } from 'pino';
import type { Context } from '@opentelemetry/api';
import { contextOf, correlationIdOf, metrics, RequestIds, SpanKind, SpanStatusCode, startSpan, traceIdOf, withRequestIds, withTraceContext } from '@crescent/observability';

const SCOPE = Symbol('requestScope');
type ObservedRequest = Request & { [SCOPE]?: { ids: RequestIds; trace: Context } };

/**
 * The first middleware: gives the request its ids (answered as X-Request-Id) and its server span,
 * and once it is over logs one line and observes its latency, by route template, never by path: a
 * path holds record ids.
 */
export function observeHttp(logger: Pino): RequestHandler {
  return (request: ObservedRequest, response: Response, next: NextFunction): void => {
    const traceId = traceIdOf(request.header('traceparent'));
    // A server span, when tracing is on, continuing the caller's trace.
    const { span, context: trace } = startSpan(request.method, { kind: SpanKind.SERVER, parent: contextOf(traceId && request.header('traceparent')) });
    const ids: RequestIds = {
      requestId: randomUUID(),
      correlationId: correlationIdOf(request.header('x-correlation-id')),
      traceId: traceId ?? (span.isRecording() ? span.spanContext().traceId : undefined),
    };
    request[SCOPE] = { ids, trace };
    response.setHeader('X-Request-Id', ids.requestId);
    const started = process.hrtime.bigint();
    response.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route: unknown = request.route?.path;
      const labels = { method: request.method, route: typeof route === 'string' ? route : 'unmatched', status: String(response.statusCode) };
      metrics.httpRequestDuration.observe(labels, seconds);
      span.updateName(`${labels.method} ${labels.route}`);
      span.setAttributes({ 'http.request.method': labels.method, 'http.route': labels.route, 'http.response.status_code': response.statusCode });
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      withRequestIds(ids, () =>
        logger.info({ context: 'http', ...labels, status: response.statusCode, durationMs: Math.round(seconds * 1000), completed: response.writableFinished }, 'request'),
      );
    });
    withTraceContext(trace, () => withRequestIds(ids, next));
  };
}

/**
 * Enters the request's ids and span again after the body parsers: a body read from the socket's
 * stream continues in the socket's async context, not the request's.
 */
export function reenterRequestContext(): RequestHandler {
  return (request: ObservedRequest, _: Response, next: NextFunction): void => {
    const scope = request[SCOPE];
    if (scope) withTraceContext(scope.trace, () => withRequestIds(scope.ids, next));
    else next();
  };
}
