import { ActorKind, Agency, ConsentPurpose, Guardian, GuardianRelationship, RecordEvent, RecordType, SharingPolicyVersion, SubscriptionStatus, SubscriptionTerms } from '@crescent/domain';
import { PersistentMap } from './persistent-map';

/** One event of the store's global feed, read at its current schema version (`DECIDERS[recordType].readEvent`). */
export interface FeedEvent {
  readonly recordType: RecordType;
  readonly recordId: string;
  readonly event: RecordEvent;
}

/** A consent as the engine needs it: who, why, what, until when, and whether it still stands. */
export interface ConsentFacts {
  readonly consentId: string;
  readonly referralId: string;
  readonly recipientAgencyIds: ReadonlySet<string>;
  readonly purposes: ReadonlySet<ConsentPurpose>;
  readonly fields: readonly string[];
  readonly writtenAndInformed: boolean;
  readonly expiresAtMs: number;
  readonly revoked: boolean;
  readonly victimIsMinor: boolean;
  readonly guardian?: Guardian;
  readonly recordingAgencyId: string;
}

/** Who started a record, and the facts about it that statute turns on. */
export interface RecordFacts {
  readonly originatorAgencyId: string;
  readonly originatorKind: ActorKind;
  /** A referral's addressee; a consent's named recipients. */
  readonly addressees: readonly string[];
  /** The referrals of the victims the record concerns. */
  readonly victimReferralIds: readonly string[];
  readonly victimIsMinor: boolean;
  readonly sealedOrExpunged: boolean;
  /** An arrest record's arrestee as the victims' relative or guardian, when recorded (the latest finding). */
  readonly arresteeRelationship?: GuardianRelationship;
  /** A case's linked arrest records. */
  readonly linkedArrestIds: readonly string[];
  /** Where the record happened (a victim found, an arrest made, a case opened): what a parish filter matches. */
  readonly parish?: string;
  /** The cases the record is linked to (a case: itself): what a case filter matches. */
  readonly caseIds: readonly string[];
  /** A case's team: the partner agencies its originator added (28 CFR Part 23 need to know). */
  readonly team: readonly string[];
  /** A referral of a person who applied for or holds immigration relief, not finally denied: 8 U.S.C. 1367 applies. */
  readonly immigrationProtected: boolean;
  /** A referral's 1367 exceptions: the agencies named under (b)(7) or (b)(2), and an adult's (b)(4) waiver. */
  readonly immigrationExceptionRecipientIds: readonly string[];
  readonly immigrationWaived: boolean;
  readonly immigrationFinallyDenied: boolean;
}

/** A subscription as the relay needs it: its terms and whether it delivers now. */
export interface SubscriptionFacts extends SubscriptionTerms {
  readonly status: SubscriptionStatus;
}

/** Whether an agency takes part in the exchange now: only an active one is authenticated and receives deliveries. */
export const AGENCY_LIFECYCLES = ['active', 'suspended', 'revoked'] as const;
export type AgencyLifecycle = (typeof AGENCY_LIFECYCLES)[number];

/** When one of an agency's credentials works: from its issue until `validUntil` (exclusive), or until a rotation sets one. */
export interface CredentialWindow {
  readonly issuedAt: string;
  readonly validUntil?: string;
}

interface Credential extends CredentialWindow {
  readonly credentialSha256: string;
}

interface Registered extends Agency {
  readonly status: AgencyLifecycle;
  /** Oldest first; the last is the one issued most recently. */
  readonly credentials: readonly Credential[];
}

/** Everything the feed has said so far that decides who may receive what. Immutable; share it freely. */
export interface DisclosureState {
  readonly agencies: PersistentMap<Registered>;
  /** Every credential ever issued -> its agency; whether it still works is the agency's to say. */
  readonly agencyIdByCredential: PersistentMap<string>;
  /** Every published version of each policy, oldest first. */
  readonly policies: PersistentMap<readonly SharingPolicyVersion[]>;
  /** `agency:<id>:<recordType>` or `kind:<kind>:<recordType>` -> the policy published most recently for it. */
  readonly policyIndex: PersistentMap<string>;
  readonly consents: PersistentMap<ConsentFacts>;
  readonly consentIdsByReferral: PersistentMap<readonly string[]>;
  /** `<recordType>/<recordId>` -> its facts. */
  readonly records: PersistentMap<RecordFacts>;
  readonly arrestIdsByReferral: PersistentMap<readonly string[]>;
  readonly caseIdsByReferral: PersistentMap<readonly string[]>;
  readonly subscriptions: PersistentMap<SubscriptionFacts>;
}

export const initialDisclosureState: DisclosureState = {
  agencies: PersistentMap.empty(),
  agencyIdByCredential: PersistentMap.empty(),
  policies: PersistentMap.empty(),
  policyIndex: PersistentMap.empty(),
  consents: PersistentMap.empty(),
  consentIdsByReferral: PersistentMap.empty(),
  records: PersistentMap.empty(),
  arrestIdsByReferral: PersistentMap.empty(),
  caseIdsByReferral: PersistentMap.empty(),
  subscriptions: PersistentMap.empty(),
};

export const recordKey = (recordType: RecordType, recordId: string) => `${recordType}/${recordId}`;

/** The ids of every record of the type the feed has told of. */
export function recordIdsOf(state: DisclosureState, recordType: RecordType): string[] {
  const prefix = recordKey(recordType, '');
  return state.records
    .entries()
    .filter(([key]) => key.startsWith(prefix))
    .map(([key]) => key.slice(prefix.length));
}
export const normalizedName = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

const append = (value: string) => (list: readonly string[] | undefined) => (list?.includes(value) ? list : [...(list ?? []), value]);

function newRecord(originatorAgencyId: string, originatorKind: ActorKind, facts: Partial<RecordFacts> = {}): RecordFacts {
  return {
    originatorAgencyId,
    originatorKind,
    addressees: [],
    victimReferralIds: [],
    victimIsMinor: false,
    sealedOrExpunged: false,
    linkedArrestIds: [],
    caseIds: [],
    team: [],
    immigrationProtected: false,
    immigrationExceptionRecipientIds: [],
    immigrationWaived: false,
    immigrationFinallyDenied: false,
    ...facts,
  };
}

function updateRecord(state: DisclosureState, key: string, change: (facts: RecordFacts) => RecordFacts): DisclosureState {
  const facts = state.records.get(key);
  return facts ? { ...state, records: state.records.set(key, change(facts)) } : state;
}

function updateAgency(state: DisclosureState, agencyId: string, change: (agency: Registered) => Registered): DisclosureState {
  const agency = state.agencies.get(agencyId);
  return agency ? { ...state, agencies: state.agencies.set(agencyId, change(agency)) } : state;
}

/** A credential already ending sooner keeps its end: a rotation never extends an earlier grace. */
function earlier(validUntil: string | undefined, proposed: string): string {
  return validUntil !== undefined && Date.parse(validUntil) <= Date.parse(proposed) ? validUntil : proposed;
}

/**
 * The events that change who takes part (the agencies and their credentials), the sharing policies
 * and the subscriptions, and the only ones that do: a state folded from them alone holds those parts
 * as the whole feed's fold does.
 */
export const DIRECTORY_EVENT_TYPES: readonly RecordEvent['type'][] = [
  'AgencyRegistered',
  'AgencyCredentialRotated',
  'AgencySuspended',
  'AgencyReinstated',
  'AgencyRevoked',
  'AgencyJurisdictionSet',
  'SharingPolicyPublished',
  'SubscriptionCreated',
  'SubscriptionPaused',
  'SubscriptionResumed',
  'SubscriptionEnded',
];

/** Folds one feed event into the state; events that change nothing the engine needs leave it as it was. */
export function evolveDisclosureState(state: DisclosureState, { recordType, recordId, event }: FeedEvent): DisclosureState {
  const key = recordKey(recordType, recordId);
  const kind = event.metadata.agencyKind;
  switch (event.type) {
    case 'AgencyRegistered': {
      const { agencyId, name, kind: agencyKind, department, jurisdiction, credentialSha256, registeredAt } = event.data;
      const credentials = [{ credentialSha256, issuedAt: registeredAt }];
      return {
        ...state,
        agencies: state.agencies.set(agencyId, { id: agencyId, name, kind: agencyKind, ...(department ? { department } : {}), jurisdiction, status: 'active', credentials }),
        agencyIdByCredential: state.agencyIdByCredential.set(credentialSha256, agencyId),
      };
    }
    case 'AgencyCredentialRotated': {
      const { agencyId, credentialSha256, rotatedAt, previousCredentialsValidUntil } = event.data;
      const withCredentials = updateAgency(state, agencyId, (agency) => ({
        ...agency,
        credentials: [
          ...agency.credentials
            .filter((credential) => credential.credentialSha256 !== credentialSha256)
            .map((credential) => ({ ...credential, validUntil: earlier(credential.validUntil, previousCredentialsValidUntil) })),
          { credentialSha256, issuedAt: rotatedAt },
        ],
      }));
      return withCredentials === state ? state : { ...withCredentials, agencyIdByCredential: state.agencyIdByCredential.set(credentialSha256, agencyId) };
    }
    case 'AgencySuspended':
      return updateAgency(state, event.data.agencyId, (agency) => ({ ...agency, status: 'suspended' }));
    case 'AgencyReinstated':
      return updateAgency(state, event.data.agencyId, (agency) => ({ ...agency, status: 'active' }));
    case 'AgencyRevoked':
      return updateAgency(state, event.data.agencyId, (agency) => ({ ...agency, status: 'revoked' }));
    case 'AgencyJurisdictionSet':
      return updateAgency(state, event.data.agencyId, (agency) => ({ ...agency, jurisdiction: event.data.jurisdiction }));
    case 'SharingPolicyPublished': {
      const policy = event.data;
      const target = 'agencyId' in policy.appliesTo ? `agency:${policy.appliesTo.agencyId}` : `kind:${policy.appliesTo.agencyKind}`;
      return {
        ...state,
        policies: state.policies.update(policy.policyId, (versions = []) => [...versions, policy]),
        policyIndex: state.policyIndex.set(`${target}:${policy.recordType}`, policy.policyId),
      };
    }
    case 'ConsentRecorded': {
      const data = event.data;
      const consent: ConsentFacts = {
        consentId: data.consentId,
        referralId: data.referralId,
        recipientAgencyIds: new Set(data.recipientAgencyIds),
        purposes: new Set(data.purposes),
        fields: data.fields,
        writtenAndInformed: data.written === true && data.informed === true,
        expiresAtMs: Date.parse(data.expiresAt),
        revoked: false,
        victimIsMinor: data.victimIsMinor,
        guardian: data.guardian,
        recordingAgencyId: data.recordingAgencyId,
      };
      return {
        ...state,
        consents: state.consents.set(data.consentId, consent),
        consentIdsByReferral: state.consentIdsByReferral.update(data.referralId, append(data.consentId)),
        records: state.records.set(
          key,
          newRecord(data.recordingAgencyId, kind, {
            addressees: data.recipientAgencyIds,
            victimReferralIds: [data.referralId],
            victimIsMinor: data.victimIsMinor,
            parish: state.records.get(recordKey('victim-referral', data.referralId))?.parish,
          }),
        ),
      };
    }
    case 'ConsentRevoked': {
      const consent = state.consents.get(event.data.consentId);
      return consent ? { ...state, consents: state.consents.set(consent.consentId, { ...consent, revoked: true }) } : state;
    }
    case 'VictimReferralSubmitted': {
      const { referringAgencyId, referredToAgencyId, victim, foundAt } = event.data;
      const facts = newRecord(referringAgencyId, kind, {
        addressees: [referredToAgencyId],
        victimReferralIds: [recordId],
        victimIsMinor: victim.isMinor,
        parish: foundAt.parish,
        immigrationProtected: event.data.immigrationReliefStatus !== 'none',
        immigrationExceptionRecipientIds: event.data.victimServicesConsent ? [referredToAgencyId] : [],
      });
      return { ...state, records: state.records.set(key, facts) };
    }
    case 'VictimReferralCorrected':
      return updateRecord(state, key, (facts) => ({
        ...facts,
        victimIsMinor: event.data.victim.isMinor,
        parish: event.data.foundAt.parish,
        // A correction can give a status, never take back an application once made: only a final denial ends the protection, for good.
        immigrationProtected: !facts.immigrationFinallyDenied && (facts.immigrationProtected || event.data.immigrationReliefStatus !== 'none'),
        immigrationExceptionRecipientIds: event.data.victimServicesConsent
          ? [...new Set([...facts.immigrationExceptionRecipientIds, ...facts.addressees])]
          : facts.immigrationExceptionRecipientIds,
      }));
    case 'LawEnforcementDisclosureAuthorized':
      return updateRecord(state, key, (facts) => ({ ...facts, immigrationExceptionRecipientIds: append(event.data.recipientAgencyId)(facts.immigrationExceptionRecipientIds) }));
    case 'ImmigrationConfidentialityWaived':
      return updateRecord(state, key, (facts) => ({ ...facts, immigrationWaived: true }));
    case 'ImmigrationReliefFinallyDenied':
      return updateRecord(state, key, (facts) => ({ ...facts, immigrationProtected: false, immigrationFinallyDenied: true }));
    case 'CaseTeamMemberAdded':
      return updateRecord(state, key, (facts) => ({ ...facts, team: append(event.data.agencyId)(facts.team) }));
    case 'CaseTeamMemberRemoved':
      return updateRecord(state, key, (facts) => ({ ...facts, team: facts.team.filter((agencyId) => agencyId !== event.data.agencyId) }));
    case 'ArrestRecorded': {
      const { arrestingAgencyId, victimReferralIds, arrestee, place } = event.data;
      let arrestIdsByReferral = state.arrestIdsByReferral;
      for (const referralId of victimReferralIds) arrestIdsByReferral = arrestIdsByReferral.update(referralId, append(recordId));
      return {
        ...state,
        arrestIdsByReferral,
        // A seal is final: a redelivered ArrestRecorded must not reopen the record.
        records: state.records.set(key, newRecord(arrestingAgencyId, kind, {
          victimReferralIds,
          // A redelivered ArrestRecorded keeps a relationship recorded since.
          arresteeRelationship: arrestee.relationshipToVictim ?? state.records.get(key)?.arresteeRelationship,
          parish: place.parish,
          sealedOrExpunged: state.records.get(key)?.sealedOrExpunged === true,
        })),
      };
    }
    case 'ArresteeRelationshipRecorded':
      return updateRecord(state, key, (facts) => ({ ...facts, arresteeRelationship: event.data.arrestee.relationshipToVictim }));
    case 'ArrestRecordSealed':
    case 'ArrestRecordExpunged':
      return updateRecord(state, key, (facts) => ({ ...facts, sealedOrExpunged: true }));
    case 'CaseOpened':
      return { ...state, records: state.records.set(key, newRecord(event.data.openingAgencyId, kind, { parish: event.data.parish, caseIds: [recordId] })) };
    case 'RecordLinkedToCase': {
      const { recordType: linkedType, recordId: linkedId } = event.data;
      // The linked record now belongs to this case too, for subscriptions filtered by case.
      const withCase = updateRecord(state, recordKey(linkedType, linkedId), (facts) => ({ ...facts, caseIds: append(recordId)(facts.caseIds) }));
      if (linkedType === 'victim-referral') {
        const linked = updateRecord(withCase, key, (facts) => ({ ...facts, victimReferralIds: append(linkedId)(facts.victimReferralIds) }));
        return { ...linked, caseIdsByReferral: linked.caseIdsByReferral.update(linkedId, append(recordId)) };
      }
      return updateRecord(withCase, key, (facts) => ({ ...facts, linkedArrestIds: append(linkedId)(facts.linkedArrestIds) }));
    }
    case 'SubscriptionCreated': {
      const { createdAt: _createdAt, ...terms } = event.data;
      return { ...state, subscriptions: state.subscriptions.set(terms.subscriptionId, { ...terms, status: 'active' }) };
    }
    case 'SubscriptionPaused':
    case 'SubscriptionResumed':
    case 'SubscriptionEnded': {
      const status = event.type === 'SubscriptionPaused' ? 'paused' : event.type === 'SubscriptionResumed' ? 'active' : 'ended';
      const subscription = state.subscriptions.get(event.data.subscriptionId);
      return subscription ? { ...state, subscriptions: state.subscriptions.set(subscription.subscriptionId, { ...subscription, status }) } : state;
    }
    case 'ArrestChargesAmended':
    case 'CaseClosed':
    case 'VictimReferralAcknowledged':
    case 'VictimReferralAccepted':
    case 'VictimReferralDeclined':
    case 'VictimReferralInformationRequested':
    case 'VictimReferralInformationProvided':
    case 'VictimReferralWithdrawn':
    case 'VictimContactUpdated':
      return state;
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled event type: ${String((value as { type?: unknown }).type)}`);
}

function publicAgency({ id, name, kind, department, jurisdiction }: Registered): Agency {
  return { id, name, kind, ...(department ? { department } : {}), jurisdiction };
}

export function agenciesOf(state: DisclosureState): Agency[] {
  return state.agencies.values().map(publicAgency).sort((a, b) => a.id.localeCompare(b.id));
}

export function agencyById(state: DisclosureState, agencyId: string): Agency | undefined {
  const agency = state.agencies.get(agencyId);
  return agency && publicAgency(agency);
}

/**
 * The agency whose token hashes to `credentialSha256` (hex), with its status, when that credential
 * works at `now`: the current one, or an older one still inside its grace period. Whatever the status.
 */
export function credentialHolder(
  state: DisclosureState,
  credentialSha256: string,
  now: string,
): { readonly agency: Agency; readonly status: AgencyLifecycle } | undefined {
  const hash = credentialSha256.toLowerCase();
  const agencyId = state.agencyIdByCredential.get(hash);
  const agency = agencyId === undefined ? undefined : state.agencies.get(agencyId);
  const credential = agency?.credentials.find((candidate) => candidate.credentialSha256 === hash);
  if (!agency || !credential) return undefined;
  const works = credential.validUntil === undefined || Date.parse(credential.validUntil) > Date.parse(now);
  return works ? { agency: publicAgency(agency), status: agency.status } : undefined;
}

/** The agency a working credential (see `credentialHolder`) belongs to, only while that agency is active. */
export function agencyByCredential(state: DisclosureState, credentialSha256: string, now: string): Agency | undefined {
  const holder = credentialHolder(state, credentialSha256, now);
  return holder?.status === 'active' ? holder.agency : undefined;
}

export function agencyStatus(state: DisclosureState, agencyId: string): AgencyLifecycle | undefined {
  return state.agencies.get(agencyId)?.status;
}

/** When each credential the agency was ever issued works, oldest first; never the credential itself. */
export function credentialWindowsOf(state: DisclosureState, agencyId: string): CredentialWindow[] | undefined {
  return state.agencies.get(agencyId)?.credentials.map(({ issuedAt, validUntil }) => (validUntil === undefined ? { issuedAt } : { issuedAt, validUntil }));
}

/** The latest version of every policy. */
export function policiesOf(state: DisclosureState): SharingPolicyVersion[] {
  return state.policies
    .values()
    .map((versions) => versions[versions.length - 1])
    .sort((a, b) => a.policyId.localeCompare(b.policyId));
}

/** Every version of one policy, oldest first (empty when there is no such policy). */
export function policyVersions(state: DisclosureState, policyId: string): readonly SharingPolicyVersion[] {
  return state.policies.get(policyId) ?? [];
}

/**
 * The policy that governs what `recipient` receives of `recordType`: one written for the agency wins
 * over one for its kind; among several for the same target, the one published most recently.
 */
export function policyFor(state: DisclosureState, recipient: Agency, recordType: RecordType): SharingPolicyVersion | undefined {
  const policyId =
    state.policyIndex.get(`agency:${recipient.id}:${recordType}`) ?? state.policyIndex.get(`kind:${recipient.kind}:${recordType}`);
  if (policyId === undefined) return undefined;
  const versions = policyVersions(state, policyId);
  return versions[versions.length - 1];
}
