import { AgencyKind } from '../agency/agency';
import { ConsentPurpose } from '../consent/consent';
import { DomainCommand, DomainEvent } from '../decider';
import { RecordState } from '../record-state';

/** The records whose events are projected to other agencies; agencies and policies stay inside the exchange. */
export const SHARABLE_RECORD_TYPES = ['case', 'victim-referral', 'arrest-record', 'consent'] as const;
export type SharableRecordType = (typeof SHARABLE_RECORD_TYPES)[number];

export const FIELD_ACTIONS = ['include', 'mask', 'pseudonymize', 'generalize', 'drop'] as const;
export type FieldAction = (typeof FIELD_ACTIONS)[number];

/** What `generalize` turns a value into: a place into its parish, an instant into its day, a date of birth into a year or an age band, a list into its length. */
export const GENERALIZATIONS = ['birth-year', 'age-band', 'parish', 'day', 'count', 'relationship-and-age-band'] as const;
export type Generalization = (typeof GENERALIZATIONS)[number];

/** When a rule applies; every condition given must hold. */
export interface RuleCondition {
  readonly recipientKinds?: readonly AgencyKind[];
  /** The kind of the agency that originated the record. */
  readonly originKinds?: readonly AgencyKind[];
  /** An active consent of the victim for this recipient, the policy's purpose and this field. */
  readonly requiresConsent?: boolean;
}

/** A grant (or an explicit refusal) for one dotted path of an event's data, such as `victim.phone`, and everything under it. */
export interface FieldRule {
  readonly path: string;
  readonly action: FieldAction;
  /** `mask`: how many trailing characters stay readable (default 4). */
  readonly keepLast?: number;
  /** `generalize`: into what. */
  readonly to?: Generalization;
  readonly when?: RuleCondition;
}

export type PolicyAppliesTo = { readonly agencyId: string } | { readonly agencyKind: AgencyKind };

export interface SharingPolicy {
  readonly policyId: string;
  readonly appliesTo: PolicyAppliesTo;
  readonly recordType: SharableRecordType;
  /** Why the recipient receives the data; a consent must name this purpose for fields that need one. */
  readonly purpose: ConsentPurpose;
  /** Grants apply only to records addressed to the recipient (a referral's addressee, a consent's named recipients). */
  readonly addresseeOnly: boolean;
  readonly rules: readonly FieldRule[];
}

export interface SharingPolicyVersion extends SharingPolicy {
  readonly version: number;
  readonly publishedAt: string;
}

export type PublishSharingPolicy = DomainCommand<'PublishSharingPolicy', SharingPolicy>;
export type SharingPolicyCommand = PublishSharingPolicy;

export type SharingPolicyPublished = DomainEvent<'SharingPolicyPublished', SharingPolicyVersion>;
export type SharingPolicyEvent = SharingPolicyPublished;

export type SharingPolicyStatus = 'published';
/** The policy as it stands: its latest version, and how many there have been. */
export type SharingPolicyRecord = SharingPolicyVersion;
export type SharingPolicyState = RecordState<SharingPolicyStatus, SharingPolicyRecord>;
