import { Agency, SHARABLE_RECORD_TYPES, SharableRecordType, SharingPolicy, SharingPolicyVersion } from '@crescent/domain';
import { CompiledPolicy, compilePolicy, FieldDecision } from './compile-policy';
import { ActiveConsents, activeConsents } from './consent-evaluation';
import { DisclosureState, FeedEvent, policyFor, recordKey } from './disclosure-state';
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
  /** Every leaf path of the event's data (or the path a whole-value rule took), disclosed or withheld. */
  readonly fields: readonly FieldDecision[];
}

/** Compiled once per policy version (the state keeps each version object alive and unchanged) or per draft object. */
const compiled = new WeakMap<SharingPolicy, CompiledPolicy>();

function compiledPolicy(policy: SharingPolicy | SharingPolicyVersion, draft: boolean): CompiledPolicy {
  let found = compiled.get(policy);
  if (!found) {
    const label = draft ? `draft policy ${policy.policyId}` : `policy ${policy.policyId} v${(policy as SharingPolicyVersion).version}`;
    found = compilePolicy(policy, label);
    compiled.set(policy, found);
  }
  return found;
}

const isSharable = (recordType: string): recordType is SharableRecordType => (SHARABLE_RECORD_TYPES as readonly string[]).includes(recordType);

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
  draft?: SharingPolicy,
): Projection | undefined {
  if (!isSharable(recordType)) return undefined;
  const policy = draft ?? policyFor(state, recipient, recordType);
  if (!policy || policy.recordType !== recordType) return undefined;
  const facts = state.records.get(recordKey(recordType, recordId));
  if (!facts || facts.sealedOrExpunged || facts.originatorAgencyId === recipient.id) return undefined;
  if (policy.addresseeOnly && !facts.addressees.includes(recipient.id)) return undefined;
  // A case's link to a sealed arrest record says that the record exists: that is from the record too.
  if (event.type === 'RecordLinkedToCase' && state.records.get(recordKey(event.data.recordType, event.data.recordId))?.sealedOrExpunged) {
    return undefined;
  }

  const { now } = event.metadata;
  let consents: Map<string, ActiveConsents> | undefined;
  let key: ReturnType<PseudonymKeys> | undefined;
  const result = compiledPolicy(policy, draft !== undefined).project(event.data as unknown as Record<string, unknown>, {
    recipient,
    now,
    originKind: facts.originatorKind,
    vawaApplies: facts.originatorKind === 'victim-service-provider' || event.metadata.agencyKind === 'victim-service-provider',
    victimReferralIds: facts.victimReferralIds,
    consentsOf: (referralId) => {
      consents ??= new Map();
      let active = consents.get(referralId);
      if (!active) consents.set(referralId, (active = activeConsents(state, referralId, recipient.id, policy.purpose, Date.parse(now))));
      return active;
    },
    key: () => (key ??= keys(recipient.id)),
  });
  if (result.disclosed === 0) return undefined;
  return {
    recipientAgencyId: recipient.id,
    policyId: policy.policyId,
    policyVersion: draft ? 0 : (policy as SharingPolicyVersion).version,
    consentIds: result.consentIds,
    payload: result.payload,
    fields: result.fields,
  };
}
