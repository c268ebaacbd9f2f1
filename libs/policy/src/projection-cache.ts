import { Agency, RecordType, SharingPolicy, SharingPolicyVersion } from '@crescent/domain';
import { CompiledPolicy, compilePolicy } from './compile-policy';
import { DisclosureState, policyFor } from './disclosure-state';
import { PersistentMap } from './persistent-map';

/**
 * What projecting event after event remembers: each policy compiled, and which policy governs each
 * recipient. Owned by whoever projects (the relay's Deliveries, one admin preview), so a draft under
 * preview never lands in the relay's cache.
 */
export class ProjectionCache {
  /** Compiled once per policy version (the state keeps each version object alive and unchanged) or per draft object. */
  private readonly compiled = new WeakMap<SharingPolicy, CompiledPolicy>();
  /** The policy compiled last, asked for again event after event: looked up without the WeakMap. */
  private lastPolicy: SharingPolicy | undefined;
  private lastCompiled: CompiledPolicy | undefined;
  /** Per (unchanged) index and policy set, keyed by recipient id, kind and record type in turn so no key string is built per call. */
  private readonly policyLookups = new WeakMap<
    PersistentMap<string>,
    {
      policies: PersistentMap<readonly SharingPolicyVersion[]>;
      found: Map<string, Map<string, Map<RecordType, SharingPolicyVersion | undefined>>>;
    }
  >();
  /** The last answer of `policyFor`: the relay asks for the same recipient and record type event after event. */
  private lastPolicyLookup:
    | {
        readonly policyIndex: PersistentMap<string>;
        readonly policies: PersistentMap<readonly SharingPolicyVersion[]>;
        readonly recipientId: string;
        readonly recipientKind: string;
        readonly recordType: RecordType;
        readonly found: SharingPolicyVersion | undefined;
      }
    | undefined;

  compiledPolicy(policy: SharingPolicy | SharingPolicyVersion, draft: boolean): CompiledPolicy {
    if (policy === this.lastPolicy) return this.lastCompiled as CompiledPolicy;
    let found = this.compiled.get(policy);
    if (!found) {
      const label = draft ? `draft policy ${policy.policyId}` : `policy ${policy.policyId} v${(policy as SharingPolicyVersion).version}`;
      found = compilePolicy(policy, label);
      this.compiled.set(policy, found);
    }
    this.lastPolicy = policy;
    this.lastCompiled = found;
    return found;
  }

  /** `policyFor`, remembered: asked for every recipient of every event. */
  policyFor(state: DisclosureState, recipient: Agency, recordType: RecordType): SharingPolicyVersion | undefined {
    const last = this.lastPolicyLookup;
    if (
      last !== undefined &&
      last.policyIndex === state.policyIndex &&
      last.policies === state.policies &&
      last.recipientId === recipient.id &&
      last.recipientKind === recipient.kind &&
      last.recordType === recordType
    ) {
      return last.found;
    }
    const found = this.rememberedPolicy(state, recipient, recordType);
    this.lastPolicyLookup = { policyIndex: state.policyIndex, policies: state.policies, recipientId: recipient.id, recipientKind: recipient.kind, recordType, found };
    return found;
  }

  private rememberedPolicy(state: DisclosureState, recipient: Agency, recordType: RecordType): SharingPolicyVersion | undefined {
    let known = this.policyLookups.get(state.policyIndex);
    if (known?.policies !== state.policies) this.policyLookups.set(state.policyIndex, (known = { policies: state.policies, found: new Map() }));
    let byKind = known.found.get(recipient.id);
    if (!byKind) known.found.set(recipient.id, (byKind = new Map()));
    let byType = byKind.get(recipient.kind);
    if (!byType) byKind.set(recipient.kind, (byType = new Map()));
    if (byType.has(recordType)) return byType.get(recordType);
    const found = policyFor(state, recipient, recordType);
    byType.set(recordType, found);
    return found;
  }
}
