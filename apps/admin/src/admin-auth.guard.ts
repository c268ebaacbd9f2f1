import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { markAdmin } from '@crescent/audit';
import { DomainError } from '@crescent/domain';
import { bearerToken, RUNTIME_CONFIG, RuntimeConfig, sha256Hex } from '@crescent/runtime';

/** Admits the exchange's administrators: their bearer token's SHA-256 is configured, never the token. */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(RUNTIME_CONFIG) config: RuntimeConfig) {
    this.expected = Buffer.from(config.adminTokenSha256, 'hex');
  }

  canActivate(context: ExecutionContext): boolean {
    const token = bearerToken(context.switchToHttp().getRequest<Request>().headers.authorization);
    const presented = Buffer.from(sha256Hex(token ?? ''), 'hex');
    if (!token || presented.length !== this.expected.length || !timingSafeEqual(presented, this.expected)) {
      throw new DomainError('unauthenticated', 'AUTH.NOT_AN_ADMIN', 'send the administrators\' token as "Authorization: Bearer <token>"');
    }
    // The access audit names the principal of every request once it is over.
    markAdmin(context.switchToHttp().getRequest());
    return true;
  }
}
