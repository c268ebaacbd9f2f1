import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Agency, DomainError } from '@crescent/domain';
import type { Request } from 'express';
import { AGENCY_AUTHENTICATOR, AgencyAuthenticator } from '../auth/agency-authenticator';
import { noteRefusedAgency } from '@crescent/audit';
import { AgencyNotActiveError } from '../directory/agency-directory';
import { bearerToken } from './bearer-token';

type AuthenticatedRequest = Request & { agency?: Agency };

/** Admits a request bearing an agency's token and remembers which agency it is. */
@Injectable()
export class AgencyAuthGuard implements CanActivate {
  constructor(@Inject(AGENCY_AUTHENTICATOR) private readonly authenticator: AgencyAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    const agency = token ? await this.authenticate(request, token) : undefined;
    if (!agency) {
      throw new DomainError('unauthenticated', 'AUTH.UNKNOWN_CREDENTIAL', 'send an agency token as "Authorization: Bearer <token>"');
    }
    request.agency = agency;
    return true;
  }

  private async authenticate(request: AuthenticatedRequest, token: string): Promise<Agency | undefined> {
    try {
      return await this.authenticator.authenticate(token);
    } catch (error) {
      if (error instanceof AgencyNotActiveError) noteRefusedAgency(request, error.agencyId);
      throw error;
    }
  }
}

export const CurrentAgency = createParamDecorator((_: unknown, context: ExecutionContext): Agency => {
  const { agency } = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!agency) throw new Error('CurrentAgency used on a route without AgencyAuthGuard');
  return agency;
});
