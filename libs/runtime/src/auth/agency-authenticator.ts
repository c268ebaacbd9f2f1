import { Agency } from '@crescent/domain';

/** Who an agency's bearer token belongs to, if anyone: the exchange answers from its directory, a connector asks the exchange. */
export interface AgencyAuthenticator {
  authenticate(token: string): Promise<Agency | undefined> | Agency | undefined;
}

export const AGENCY_AUTHENTICATOR = Symbol('AgencyAuthenticator');
