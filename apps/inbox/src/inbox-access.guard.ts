import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Agency, DomainError } from '@crescent/domain';
import { authenticateBySession, PEOPLE_ACCOUNTS, PeopleAccounts, PersonRequest } from '@crescent/people';
import { AgencyAuthGuard, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';

const READS = new Set(['GET', 'HEAD']);

/**
 * Admits a caseworker or supervisor of the inbox's own agency by session cookie (with its CSRF token
 * on a change), or, for reads only, the agency's own system by its bearer token. Actions are a
 * person's: a bearer token cannot take them.
 */
@Injectable()
export class InboxAccessGuard implements CanActivate {
  constructor(
    @Inject(PEOPLE_ACCOUNTS) private readonly accounts: PeopleAccounts,
    private readonly agencyGuard: AgencyAuthGuard,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<PersonRequest & { agency?: Agency }>();
    const session = await authenticateBySession(request, this.accounts, 'inbox');
    if (session) {
      if (session.person.agencyId !== this.config.inboxAgencyId) throw notYours();
      return true;
    }
    if (request.headers.authorization !== undefined && READS.has(request.method)) {
      await this.agencyGuard.canActivate(context);
      if (request.agency?.id !== this.config.inboxAgencyId) throw notYours();
      return true;
    }
    throw new DomainError('unauthenticated', 'AUTH.NO_SESSION', 'sign in (POST /v1/inbox/session); reads also take the agency\'s bearer token');
  }
}

function notYours(): DomainError {
  return new DomainError('forbidden', 'INBOX.NOT_YOURS', 'this inbox serves another agency');
}
