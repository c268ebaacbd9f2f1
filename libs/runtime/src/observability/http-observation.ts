import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger as Pino } from 'pino';
import { correlationIdOf, metrics, RequestIds, traceIdOf, withRequestIds } from '@crescent/observability';

const IDS = Symbol('requestIds');
type ObservedRequest = Request & { [IDS]?: RequestIds };

/**
 * The first middleware: gives the request its ids (answered as X-Request-Id), and once it is over
 * logs one line and observes its latency, by route template, never by path: a path holds record ids.
 */
export function observeHttp(logger: Pino): RequestHandler {
  return (request: ObservedRequest, response: Response, next: NextFunction): void => {
    const ids: RequestIds = {
      requestId: randomUUID(),
      correlationId: correlationIdOf(request.header('x-correlation-id')),
      traceId: traceIdOf(request.header('traceparent')),
    };
    request[IDS] = ids;
    response.setHeader('X-Request-Id', ids.requestId);
    const started = process.hrtime.bigint();
    response.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route: unknown = request.route?.path;
      const labels = { method: request.method, route: typeof route === 'string' ? route : 'unmatched', status: String(response.statusCode) };
      metrics.httpRequestDuration.observe(labels, seconds);
      withRequestIds(ids, () =>
        logger.info({ context: 'http', ...labels, status: response.statusCode, durationMs: Math.round(seconds * 1000), completed: response.writableFinished }, 'request'),
      );
    });
    withRequestIds(ids, next);
  };
}

/**
 * Enters the request's ids again after the body parsers: a body read from the socket's stream
 * continues in the socket's async context, not the request's.
 */
export function reenterRequestContext(): RequestHandler {
  return (request: ObservedRequest, _: Response, next: NextFunction): void => {
    const ids = request[IDS];
    if (ids) withRequestIds(ids, next);
    else next();
  };
}
