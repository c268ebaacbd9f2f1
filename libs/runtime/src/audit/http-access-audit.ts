import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { Agency } from '@crescent/domain';
import { AccessAudit, httpAccessEntry, isAdmin, notedRecordOf, onBehalfOfNoted, personOf, Principal, refusedAgencyOf } from '@crescent/audit';

type GuardedRequest = Request & { agency?: Agency };

/**
 * Records every request in the access audit once it is over. Express middleware, not a Nest
 * interceptor: guards run before interceptors, and a request a guard refused must be recorded too.
 * The answer has gone by then, so a failed write is logged and counted, never turned into an error.
 */
export function auditHttpAccess(audit: AccessAudit): RequestHandler {
  return (request: GuardedRequest, response: Response, next: NextFunction): void => {
    const at = new Date().toISOString();
    // `close` comes for every response, also one the client abandoned before it was finished.
    response.once('close', () => {
      const route: unknown = request.route?.path;
      const entry = httpAccessEntry(
        {
          method: request.method,
          path: request.originalUrl.split('?')[0],
          route: typeof route === 'string' ? route : undefined,
          params: request.params ?? {},
          status: response.writableFinished ? response.statusCode : undefined,
          problemCode: response.locals.problemCode,
          location: response.getHeader('location')?.toString(),
          principal: principalOf(request),
          source: request.ip ?? request.socket.remoteAddress ?? 'unknown',
          at,
          notedRecord: notedRecordOf(request),
          onBehalfOf: onBehalfOfNoted(request),
        },
        randomUUID(),
      );
      if (entry) void audit.recordOrReport(entry);
    });
    next();
  };
}

/** Who the guards admitted: the agency guard attaches the agency, a session guard marks the person, the admin guard the request. */
function principalOf(request: GuardedRequest): Principal {
  if (request.agency) return `agency:${request.agency.id}`;
  const refused = refusedAgencyOf(request);
  if (refused) return `agency:${refused}`;
  const person = personOf(request);
  if (person) return `person:${person}`;
  return isAdmin(request) ? 'admin' : 'anonymous';
}
