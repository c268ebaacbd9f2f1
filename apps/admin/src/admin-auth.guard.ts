import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { markAdmin } from '@crescent/audit';
import { DomainError } from '@crescent/domain';
import { authenticateBySession, PEOPLE_ACCOUNTS, PeopleAccounts } from '@crescent/people';
import { bearerToken, RUNTIME_CONFIG, RuntimeConfig, sha256Hex } from '@crescent/runtime';

/**
 * Admits the exchange's administrators: a person signed in to the admin console (its CSRF token on a
 * change), or a machine with the administrators' bearer token, whose SHA-256 is configured, never the token.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    @Inject(RUNTIME_CONFIG) config: RuntimeConfig,
    @Inject(PEOPLE_ACCOUNTS) private readonly accounts: PeopleAccounts,
  ) {
    this.expected = Buffer.from(config.adminTokenSha256, 'hex');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const token = bearerToken(request.headers.authorization);
    if (token === undefined && (await authenticateBySession(request, this.accounts, 'admin'))?.person.role === 'admin') return true;
    const presented = Buffer.from(sha256Hex(token ?? ''), 'hex');
    if (!token || presented.length !== this.expected.length || !timingSafeEqual(presented, this.expected)) {
      throw new DomainError('unauthenticated', 'AUTH.NOT_AN_ADMIN', 'sign in to the admin console, or send the administrators\' token as "Authorization: Bearer <token>"');
    }
    // The access audit names the principal of every request once it is over.
    markAdmin(request);
    return true;
  }
}
