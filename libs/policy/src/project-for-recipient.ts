import { Agency, SHARABLE_RECORD_TYPES, SharableRecordType, SharingPolicy, SharingPolicyVersion, withinImmigrationConfidentiality } from '@crescent/domain';
import { CompiledPolicy, CompiledProjection, FieldDecision, ProjectionRun } from './compile-policy';
import { ActiveConsents, activeConsents } from './consent-evaluation';
import { DisclosureState, FeedEvent, RecordFacts } from './disclosure-state';
import { ProjectionCache } from './projection-cache';
import { immigrationBarred, RecipientFacts, wholeEventRefusal } from './record-gates';
import { ARRESTEE_RELATIONSHIP_PATH, isAtOrUnder } from './statute';
import { PseudonymKeys } from './transforms';

/** What one recipient receives of one event, and the ledger's account of every field. */
export interface Projection {
  readonly recipientAgencyId: string;
  readonly policyId: string;
  /** The policy version applied; 0 for a draft under preview. */
  readonly policyVersion: number;
  /** The consents that granted a field. */
  readonly consentIds: readonly string[];
  readonly payload: Record<string, unknown>;
  /**
   * The payload as the JSON text that goes on the wire: exactly `JSON.stringify(payload)`, written
   * while the event was walked. Optional so that a projection made by hand (a test's) still types.
   */
  readonly payloadJson?: string;
  /** Every leaf path of the event's data (or the path a whole-value rule took), disclosed or withheld, and which rule or statute decided it. */
  readonly fields: readonly FieldDecision[];
  /** The paths of `fields` disclosed (transformed or not) and withheld: what the disclosure ledger records. */
  readonly disclosedFields: readonly string[];
  readonly withheldFields: readonly string[];
}

const SHARABLE: ReadonlySet<string> = new Set(SHARABLE_RECORD_TYPES);
const isSharable = (recordType: string): recordType is SharableRecordType => SHARABLE.has(recordType);

export interface ProjectionOptions {
  /** A draft that replaces the recipient's policy, for the admin preview. */
  readonly draft?: SharingPolicy;
  /**
   * When the disclosure is made: consents are judged in force at this instant (the relay passes the
   * time it publishes, so a replay after a consent expired discloses nothing under it). Default: the
   * event's own time, as the admin preview of a stored event shows it.
   */
  readonly disclosedAt?: string;
  /** What to remember between calls: one that projects event after event (the relay) passes its own. Default: a fresh one. */
  readonly cache?: ProjectionCache;
}

/**
 * Projects one feed event for one recipient, under its policy (or a draft that replaces it), statute
 * and the consents in force. `state` is the state after the event itself, so a revocation or a seal
 * applies to its own event. Undefined when the recipient is to receive nothing.
 */
export function projectForRecipient(
  { recordType, recordId, event }: FeedEvent,
  recipient: Agency,
  state: DisclosureState,
  keys: PseudonymKeys,
  { draft, disclosedAt = event.metadata.now, cache = new ProjectionCache() }: ProjectionOptions = {},
): Projection | undefined {
  if (!isSharable(recordType)) return undefined;
  const policy = draft ?? cache.policyFor(state, recipient, recordType);
  if (!policy || policy.recordType !== recordType) return undefined;
  // The record's key (`recordKey`) is not built per call: the map hashes and compares its parts.
  const facts = state.records.getJoined(recordType, '/', recordId);
  // A record's originator holds what it wrote of it; what others write on it (a shelter's answer to its referral) it may receive.
  // Anyone else receives its own steps back too: a shelter's inbox learns it acknowledged.
  if (!facts || facts.sealedOrExpunged || (facts.originatorAgencyId === recipient.id && event.metadata.agencyId === recipient.id)) return undefined;
  if (policy.addresseeOnly && !facts.addressees.includes(recipient.id)) return undefined;
  // A case's link to a sealed arrest record says that the record exists: that is from the record too.
  if (event.type === 'RecordLinkedToCase' && state.records.getJoined(event.data.recordType, '/', event.data.recordId)?.sealedOrExpunged) {
    return undefined;
  }

  const run = new RecipientRun(recordType, recipient, event.metadata.now, disclosedAt, facts, event.metadata.agencyKind === 'victim-service-provider', state, policy.purpose, keys);
  if (wholeEventRefusal(recordType, event, facts, recipient, state, run) !== undefined) return undefined;

  const compiledVersion = cache.compiledPolicy(policy, draft !== undefined);
  const data = event.data as unknown as Record<string, unknown>;
  const result = compiledVersion.projectWire(data, run);
  if (result.disclosed === 0 || (event.type === 'ArresteeRelationshipRecorded' && !discloses(result.disclosedFields, ARRESTEE_RELATIONSHIP_PATH))) return undefined;
  return new WireProjection(
    recipient.id,
    policy.policyId,
    draft ? 0 : (policy as SharingPolicyVersion).version,
    result.consentIds,
    result.json,
    result.disclosedFields,
    result.withheldFields,
    compiledVersion,
    data,
    run,
  );
}

/** Whether a disclosed unit holds `path` or lies under it: an event whose news is withheld is not sent for its ids alone. */
function discloses(disclosedFields: readonly string[], path: string): boolean {
  return disclosedFields.some((field) => isAtOrUnder(path, field) || isAtOrUnder(field, path));
}

/** The event, recipient and consents one projection is made under; consents and the pseudonym key are looked up once, when first needed. */
class RecipientRun implements ProjectionRun, RecipientFacts {
  readonly originKind: ProjectionRun['originKind'];
  readonly outsideImmigration: boolean;
  readonly immigrationWithheld: boolean;
  readonly vawaApplies: boolean;
  readonly victimReferralIds: readonly string[];
  private consents: Map<string, ActiveConsents> | undefined;
  private pseudonymKey: ReturnType<PseudonymKeys> | undefined;

  constructor(
    recordType: SharableRecordType,
    readonly recipient: Agency,
    readonly now: string,
    private readonly disclosedAt: string,
    facts: RecordFacts,
    contributedByVictimServiceProvider: boolean,
    private readonly state: DisclosureState,
    private readonly purpose: SharingPolicy['purpose'],
    private readonly keys: PseudonymKeys,
  ) {
    this.originKind = facts.originatorKind;
    // 1367 paths: a referral's status never leaves DHS, DOJ and State; an arrest's references to a protected victim only with an exception.
    this.outsideImmigration = !withinImmigrationConfidentiality(recipient);
    this.immigrationWithheld = this.outsideImmigration && (recordType !== 'arrest-record' || immigrationBarred(state, facts.victimReferralIds, recipient));
    this.vawaApplies = facts.originatorKind === 'victim-service-provider' || contributedByVictimServiceProvider;
    this.victimReferralIds = facts.victimReferralIds;
  }

  consentsOf(referralId: string): ActiveConsents {
    this.consents ??= new Map();
    let active = this.consents.get(referralId);
    if (!active) this.consents.set(referralId, (active = activeConsents(this.state, referralId, this.recipient.id, this.purpose, Date.parse(this.disclosedAt))));
    return active;
  }

  key(): ReturnType<PseudonymKeys> {
    return (this.pseudonymKey ??= this.keys(this.recipient.id));
  }
}

/**
 * A projection made by the wire walk: the JSON text and the ledger's paths come from that one walk; the
 * payload object and the decisions are made when first read (the admin preview, a pinned subscriber's
 * downcast), by the general walk over the same event and disclosure state (both immutable). `toJSON`
 * gives the admin preview the projection's fields as before (the JSON text and path lists are not
 * repeated there).
 */
class WireProjection implements Projection {
  #general: CompiledProjection | undefined;
  readonly #compiled: CompiledPolicy;
  readonly #data: Record<string, unknown>;
  readonly #run: ProjectionRun;

  constructor(
    readonly recipientAgencyId: string,
    readonly policyId: string,
    readonly policyVersion: number,
    readonly consentIds: readonly string[],
    readonly payloadJson: string,
    readonly disclosedFields: readonly string[],
    readonly withheldFields: readonly string[],
    compiled: CompiledPolicy,
    data: Record<string, unknown>,
    run: ProjectionRun,
  ) {
    this.#compiled = compiled;
    this.#data = data;
    this.#run = run;
  }

  get payload(): Record<string, unknown> {
    return this.general().payload;
  }

  get fields(): readonly FieldDecision[] {
    return this.general().fields;
  }

  private general(): CompiledProjection {
    return (this.#general ??= this.#compiled.project(this.#data, this.#run));
  }

  toJSON(): Omit<Projection, 'payloadJson' | 'disclosedFields' | 'withheldFields'> {
    const { recipientAgencyId, policyId, policyVersion, consentIds, payload, fields } = this;
    return { recipientAgencyId, policyId, policyVersion, consentIds, payload, fields };
  }
}
