/** A grant for one field path of a record (`victim.phone`); a path no rule names is never disclosed. */
export type FieldRule =
  | { readonly path: string; readonly action: 'include' }
  /** Discloses how many entries a list holds, never the entries. */
  | { readonly path: string; readonly action: 'generalize'; readonly to: 'count' };

export type RecordType = 'VictimReferral';

export interface SharingPolicy {
  readonly recipientAgencyId: string;
  readonly recordType: RecordType;
  readonly version: number;
  /** When set, the grants apply only to records addressed to the recipient (a referral's addressee). */
  readonly addresseeOnly: boolean;
  readonly rules: readonly FieldRule[];
}
