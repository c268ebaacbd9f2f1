export { DomainError, type DomainErrorKind } from './domain-error';
export type { CommandMetadata, EventMetadata } from './message';
export type { Agency, AgencyKind } from './agency/agency';
export * from './victim-referral/victim-referral';
export { decideVictimReferral, evolveVictimReferral } from './victim-referral/victim-referral.decider';
export { readVictimReferralEvent, type SerializedEvent } from './victim-referral/victim-referral.codec';
