import { createHash, timingSafeEqual } from 'node:crypto';
import { Agency } from '@crescent/domain';
import { RecordType, SharingPolicy } from '@crescent/policy';

/** An agency's API credential, kept only as the SHA-256 of the bearer token. */
export interface AgencyCredential {
  readonly agencyId: string;
  readonly tokenSha256: string;
}

export interface DirectoryContents {
  readonly agencies: readonly Agency[];
  readonly credentials: readonly AgencyCredential[];
  readonly policies: readonly SharingPolicy[];
}

/** Who takes part in the exchange, how they authenticate, and what each may receive. */
export class AgencyDirectory {
  constructor(private readonly contents: DirectoryContents) {}

  agencies(): readonly Agency[] {
    return this.contents.agencies;
  }

  find(agencyId: string): Agency | undefined {
    return this.contents.agencies.find((agency) => agency.id === agencyId);
  }

  authenticate(token: string): Agency | undefined {
    const presented = sha256(token);
    const credential = this.contents.credentials.find(({ tokenSha256 }) =>
      timingSafeEqual(Buffer.from(tokenSha256, 'hex'), presented),
    );
    return credential && this.find(credential.agencyId);
  }

  policyFor(agencyId: string, recordType: RecordType): SharingPolicy | undefined {
    return this.contents.policies.find(
      (policy) => policy.recipientAgencyId === agencyId && policy.recordType === recordType,
    );
  }
}

export const AGENCY_DIRECTORY = Symbol('AgencyDirectory');

export function sha256(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
