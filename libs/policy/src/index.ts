export { DEMO_POLICIES } from './demo-policies';
export { diffPolicies, narrows } from './diff-policies';
export type { PolicyDiff } from './diff-policies';
export {
  AGENCY_LIFECYCLES,
  agenciesOf,
  agencyByCredential,
  agencyById,
  agencyStatus,
  credentialHolder,
  credentialWindowsOf,
  DIRECTORY_EVENT_TYPES,
  evolveDisclosureState,
  initialDisclosureState,
  policiesOf,
  policyFor,
  policyVersions,
  recordIdsOf,
  recordKey,
} from './disclosure-state';
export type { AgencyLifecycle, ConsentFacts, CredentialWindow, DisclosureState, FeedEvent, RecordFacts, SubscriptionFacts } from './disclosure-state';
export { subscriptionsFor, subscriptionsOf } from './subscriptions';
export { DEFAULT_DENY } from './general-walk';
export { FIELD_OUTCOMES, type FieldDecision, type FieldOutcome } from './compile-policy';
export { projectForRecipient } from './project-for-recipient';
export { consentsLosingTheirGuardian, MATTER_LINK_EVENT_TYPES, type MatterLink, matterLinksOf, type ReadRecord, referralMatterState, referralStatusReleasedTo } from './consent-evaluation';
export { needToKnowHolds } from './record-gates';
export type { Projection, ProjectionOptions } from './project-for-recipient';
export { ProjectionCache } from './projection-cache';
export { FactsNotLoaded, PersistentMap } from './persistent-map';
export { IMMIGRATION_RELIEF_PATHS, STATUTE, VAWA_PII_PATHS } from './statute';
export type { StatuteName } from './statute';
export { AGE_BANDS, ageOn, generalize, mask, pseudonymize } from './transforms';
export type { PseudonymKeys } from './transforms';
export type { FieldAction, FieldRule, Generalization, RuleCondition, SharingPolicy, SharingPolicyVersion } from '@crescent/domain';
