export { DomainError, type DomainErrorKind } from './domain-error';
export type { ActorKind, CommandMetadata, EventMetadata } from './message';
export { RECORD_TYPES } from './decider';
export type { Decider, DomainCommand, DomainEvent, EventSchemaVersions, RecordType, RecordView, SerializedEvent } from './decider';
export { DECIDERS, deciderFor, recordTypeOfCommand, type AnyDecider, type RecordCommand, type RecordEvent } from './deciders';
export {
  AGENCY_KINDS,
  CRIMINAL_JUSTICE_KINDS,
  credentialGraceEnd,
  FEDERAL_COMPONENT_KINDS,
  FEDERAL_DEPARTMENTS,
  isAgencyKind,
  isCriminalJustice,
  isLawEnforcement,
  LAW_ENFORCEMENT_KINDS,
  MAX_AGENCY_REASON_LENGTH,
  MAX_CREDENTIAL_GRACE_SECONDS,
  MAX_JURISDICTION_PARISHES,
  withinImmigrationConfidentiality,
} from './agency/agency';
export type {
  Agency,
  AgencyCommand,
  AgencyCredentialRotated,
  AgencyCredentialRotation,
  AgencyEvent,
  AgencyKind,
  AgencyRecord,
  AgencyRegistered,
  AgencyRegistration,
  AgencyReinstated,
  AgencyRevoked,
  AgencyState,
  AgencyStatus,
  AgencySuspended,
  FederalDepartment,
  RegisterAgency,
  ReinstateAgency,
  RevokeAgency,
  RotateAgencyCredential,
  SetAgencyJurisdiction,
  SuspendAgency,
} from './agency/agency';
export { agencyDecider } from './agency/agency.decider';
export { GUARDIAN_RELATIONSHIPS, isGuardianRelationship } from './values';
export type { GuardianRelationship, Officer, Place } from './values';
export {
  isBirthDate,
  isCalendarDate,
  isInstant,
  isPlainText,
  isPlausibleDate,
  PLAIN_TEXT_RULE,
  PLAUSIBLE_DATE_RULE,
} from './validation';

export * from './case/case';
export { caseDecider } from './case/case.decider';
export * from './victim-referral/victim-referral';
export { victimReferralDecider } from './victim-referral/victim-referral.decider';
export {
  downcastVictimReferralSubmittedToV1,
  splitVictimName,
  upcastVictimReferralSubmittedV1,
  VICTIM_REFERRAL_SUBMITTED_VERSION,
  type VictimReferralSubmittedV1,
  type VictimV1,
} from './victim-referral/victim-referral-submitted.versions';
export * from './arrest-record/arrest-record';
export { arrestRecordDecider } from './arrest-record/arrest-record.decider';
export * from './consent/consent';
export { consentDecider, consentReferralOf } from './consent/consent.decider';
export * from './consent/consent-recorded.versions';
export * from './arrest-record/arrest-recorded.versions';
export { FIELD_ACTIONS, GENERALIZATIONS, SHARABLE_RECORD_TYPES } from './sharing-policy/sharing-policy';
export type {
  FieldAction,
  FieldRule,
  Generalization,
  PolicyAppliesTo,
  PublishSharingPolicy,
  RuleCondition,
  SharableRecordType,
  SharingPolicy,
  SharingPolicyCommand,
  SharingPolicyEvent,
  SharingPolicyPublished,
  SharingPolicyRecord,
  SharingPolicyState,
  SharingPolicyStatus,
  SharingPolicyVersion,
} from './sharing-policy/sharing-policy';
export { sharingPolicyDecider } from './sharing-policy/sharing-policy.decider';
export { validateSharingPolicy } from './sharing-policy/sharing-policy.validation';
export * from './subscription/subscription';
export { subscriptionDecider } from './subscription/subscription.decider';
