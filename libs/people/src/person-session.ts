import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { markPerson } from '@crescent/audit';
import { DomainError } from '@crescent/domain';
import type { Request } from 'express';
import { csrfTokenMatches, PeopleAccounts, PeopleRealm, PersonSession } from './people-accounts';

export type PersonRequest = Request & { personSession?: PersonSession };

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session cookie of a realm's app: `crescent_inbox_session`, `crescent_admin_session`. */
export function sessionCookieName(realm: PeopleRealm): string {
  return `crescent_${realm}_session`;
}

/** One cookie's value from the Cookie header; the first wins, as browsers send the most specific first. */
export function cookieValue(request: Request, name: string): string | undefined {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * The live session the request's cookie names, remembered on the request; undefined without one.
 * A state-changing request riding on the cookie must repeat the session's CSRF token, or it is refused.
 */
export async function authenticateBySession(request: PersonRequest, accounts: PeopleAccounts, realm: PeopleRealm): Promise<PersonSession | undefined> {
  const sessionId = cookieValue(request, sessionCookieName(realm));
  const session = sessionId ? await accounts.resume(sessionId) : undefined;
  if (!session) return undefined;
  // The access audit names the person, also when the CSRF check below refuses the request.
  markPerson(request, session.person.id);
  if (!SAFE_METHODS.has(request.method) && !csrfTokenMatches(session, request.header(CSRF_HEADER))) {
    throw new DomainError('forbidden', 'AUTH.CSRF', 'send the session\'s CSRF token as the X-CSRF-Token header');
  }
  request.personSession = session;
  return session;
}

/** The session a guard admitted the request with. */
export const CurrentPersonSession = createParamDecorator((_: unknown, context: ExecutionContext): PersonSession => {
  const { personSession } = context.switchToHttp().getRequest<PersonRequest>();
  if (!personSession) throw new Error('CurrentPersonSession used on a route no session guard admitted');
  return personSession;
});

export function personSessionOf(request: object): PersonSession | undefined {
  return (request as PersonRequest).personSession;
}
