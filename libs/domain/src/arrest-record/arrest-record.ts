import { DomainCommand, DomainEvent } from '../decider';
import { RecordState } from '../record-state';
import { GuardianRelationship, Place } from '../values';

export interface Arrestee {
  readonly givenName: string;
  readonly familyName: string;
  /** `YYYY-MM-DD`. */
  readonly dateOfBirth: string;
  /**
   * How the arrestee stands to the victims the arrest concerns (their mother, say), when known: a minor's
   * consent given by a guardian of that relationship is no longer in force (34 U.S.C. 12291(b)(2)).
   */
  readonly relationshipToVictim?: GuardianRelationship;
}

export interface Charge {
  /** The statute as cited, such as `La. R.S. 14:46.2` or `18 U.S.C. 1591`. */
  readonly statute: string;
  readonly description: string;
}

export interface ArrestDetails {
  readonly arrestRecordId: string;
  readonly arrestee: Arrestee;
  readonly charges: readonly Charge[];
  readonly bookingNumber: string;
  readonly arrestedAt: string;
  readonly place: Place;
  /** Referrals of the victims this arrest concerns, by id only: their content stays in their own streams. */
  readonly victimReferralIds: readonly string[];
}

export interface CourtOrder {
  readonly arrestRecordId: string;
  readonly courtOrderReference: string;
}

export type RecordArrest = DomainCommand<'RecordArrest', ArrestDetails>;
export type AmendCharges = DomainCommand<'AmendCharges', { readonly arrestRecordId: string; readonly charges: readonly Charge[] }>;
export type SealArrestRecord = DomainCommand<'SealArrestRecord', CourtOrder>;
export type ExpungeArrestRecord = DomainCommand<'ExpungeArrestRecord', CourtOrder>;

/** A later finding that the arrestee is a relative or guardian of the victims the arrest concerns. */
export type RecordArresteeRelationship = DomainCommand<
  'RecordArresteeRelationship',
  { readonly arrestRecordId: string; readonly relationshipToVictim: GuardianRelationship }
>;

export type ArrestRecordCommand = RecordArrest | AmendCharges | SealArrestRecord | ExpungeArrestRecord | RecordArresteeRelationship;

/** Schema version 2: the arrestee's optional `relationshipToVictim`. */
export type ArrestRecorded = DomainEvent<
  'ArrestRecorded',
  ArrestDetails & { readonly arrestingAgencyId: string; readonly recordedAt: string }
>;
export type ArrestChargesAmended = DomainEvent<
  'ArrestChargesAmended',
  { readonly arrestRecordId: string; readonly charges: readonly Charge[]; readonly amendedAt: string }
>;
export type ArrestRecordSealed = DomainEvent<'ArrestRecordSealed', CourtOrder & { readonly sealedAt: string }>;
export type ArrestRecordExpunged = DomainEvent<'ArrestRecordExpunged', CourtOrder & { readonly expungedAt: string }>;

/** The relationship sits at the path ArrestRecorded gives it, so that one policy rule governs both events. */
export type ArresteeRelationshipRecorded = DomainEvent<
  'ArresteeRelationshipRecorded',
  { readonly arrestRecordId: string; readonly arrestee: Pick<Required<Arrestee>, 'relationshipToVictim'>; readonly determinedAt: string }
>;

export type ArrestRecordEvent = ArrestRecorded | ArrestChargesAmended | ArrestRecordSealed | ArrestRecordExpunged | ArresteeRelationshipRecorded;

export type ArrestRecordStatus = 'recorded' | 'sealed' | 'expunged';

export interface ArrestRecordContent extends Omit<ArrestRecorded['data'], never> {
  readonly chargesAmendedAt?: string;
  readonly relationshipDeterminedAt?: string;
  readonly sealing?: { readonly courtOrderReference: string; readonly sealedAt: string };
  readonly expungement?: { readonly courtOrderReference: string; readonly expungedAt: string };
}

export type ArrestRecordState = RecordState<ArrestRecordStatus, ArrestRecordContent>;
