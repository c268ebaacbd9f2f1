export { DomainError, DomainErrorKind } from './domain-error';
export { CommandMetadata, EventMetadata } from './message';
export { Agency, AgencyKind } from './agency/agency';
export * from './victim-referral/victim-referral';
export { decideVictimReferral, evolveVictimReferral } from './victim-referral/victim-referral.decider';
export { readVictimReferralEvent, SerializedEvent } from './victim-referral/victim-referral.codec';
