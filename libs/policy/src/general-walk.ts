import type { FieldDecision, FieldOutcome, ProjectionRun } from './compile-policy';
import { consentCovering } from './consent-evaluation';
import { CompiledRule, memoizedChild, PathNode } from './policy-trie';
import { STATUTE } from './statute';

/** What decides a field no rule names. */
export const DEFAULT_DENY = 'default deny';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Where the wire walk sends the general walk's output for keys under no grant: nothing is ever written there. */
const WITHHELD_SINK: Record<string, unknown> = Object.freeze({});

/** One projection: the disclosures counted, the consents that granted them, and the ledger as decisions (the general walk) or as paths (the wire walk). */
/** Most projections rest on no consent: they share one empty list instead of making their own. */
const NO_CONSENTS: readonly string[] = Object.freeze([]);

export class Walk {
  readonly sink = WITHHELD_SINK;
  readonly fields: FieldDecision[] | undefined;
  readonly disclosedPaths: string[] = [];
  readonly withheldPaths: string[] = [];
  private consentIds: Set<string> | undefined;
  disclosed = 0;

  constructor(
    readonly run: ProjectionRun,
    keepDecisions: boolean,
  ) {
    this.fields = keepDecisions ? [] : undefined;
  }

  private record(path: string, outcome: FieldOutcome, decidedBy: string): void {
    if (this.fields !== undefined) this.fields.push({ path, outcome, decidedBy });
    else (outcome === 'withheld' ? this.withheldPaths : this.disclosedPaths).push(path);
  }

  consentIdList(): readonly string[] {
    return this.consentIds === undefined ? NO_CONSENTS : [...this.consentIds];
  }

  object(
    source: Record<string, unknown>,
    node: PathNode | undefined,
    inherited: CompiledRule | undefined,
    prefix: string,
    immigration: boolean,
    vawa: boolean,
    target: Record<string, unknown>,
  ): void {
    const keys = Object.keys(source);
    for (let index = 0; index < keys.length; index++) this.member(source, keys[index], node, inherited, prefix, immigration, vawa, target);
  }

  /** Decides one key of an object of the event's data (and what lies under it). */
  member(
    source: Record<string, unknown>,
    key: string,
    node: PathNode | undefined,
    inherited: CompiledRule | undefined,
    prefix: string,
    immigration: boolean,
    vawa: boolean,
    target: Record<string, unknown>,
  ): void {
    if (key === '__proto__') {
      this.record(prefix === '' ? key : `${prefix}.${key}`, 'withheld', DEFAULT_DENY);
      return;
    }
    const value = source[key];
    const child = node === undefined ? undefined : (node.children.get(key) ?? memoizedChild(node, key, prefix));
    const own = child?.rule;
    if (own?.wholeValue) {
      this.decide(value, child!.path, own, immigration || child!.readsImmigration, vawa || child!.readsVawa, target, key);
      return;
    }
    const rule = own ?? inherited;
    if (isPlainObject(value)) {
      const nested: Record<string, unknown> = {};
      const path = child !== undefined ? child.path : prefix === '' ? key : `${prefix}.${key}`;
      this.object(value, child, rule, path, immigration || (child?.immigration ?? false), vawa || (child?.vawa ?? false), nested);
      for (const _ in nested) {
        target[key] = nested;
        break;
      }
      return;
    }
    const path = child !== undefined ? child.path : prefix === '' ? key : `${prefix}.${key}`;
    this.decide(value, path, rule, immigration || (child?.immigration ?? false), vawa || (child?.vawa ?? false), target, key);
  }

  /**
   * For generated code: the withheld paths of a key no rule names, under no grant (`inherited` undefined
   * or a drop), as the general walk records them but from the paths kept on their nodes: false, having
   * recorded nothing, when the key has no node (`__proto__`, or past the memoized children) and must
   * take the general walk.
   */
  withheld(value: unknown, key: string, node: PathNode, inherited: CompiledRule | undefined): boolean {
    const child = key === '__proto__' ? undefined : (node.children.get(key) ?? memoizedChild(node, key, node.path));
    if (child === undefined || child.rule !== undefined || child.grantsBelow) return false;
    if (!isPlainObject(value)) {
      this.withheldPaths.push(child.path);
      return true;
    }
    const keys = Object.keys(value);
    for (let index = 0; index < keys.length; index++) {
      const nested = keys[index];
      if (!this.withheld(value[nested], nested, child, inherited)) this.member(value, nested, child, inherited, child.path, child.immigration, child.vawa, WITHHELD_SINK);
    }
    return true;
  }

  /** For generated code: a field that `refusal` let go was disclosed, under the consents it found. */
  grantPending(): void {
    this.disclosed++;
    const pending = this.pendingConsents;
    if (pending !== undefined) {
      this.consentIds ??= new Set();
      for (const consentId of pending) this.consentIds.add(consentId);
    }
  }

  private decide(
    value: unknown,
    path: string,
    rule: CompiledRule | undefined,
    immigration: boolean,
    vawa: boolean,
    target: Record<string, unknown>,
    key: string,
  ): void {
    const decidedBy = this.refusal(path, rule, immigration, vawa);
    if (decidedBy !== undefined) {
      this.record(path, 'withheld', decidedBy);
      return;
    }
    const granting = rule as CompiledRule;
    const projected = granting.copies && (value === null || typeof value !== 'object') ? value : granting.apply(value, path, this.run);
    if (projected === undefined) {
      this.record(path, 'withheld', granting.withheldLabel.shape);
      return;
    }
    target[key] = projected;
    this.disclosed++;
    this.record(path, granting.outcome, granting.label);
    const pending = this.pendingConsents;
    if (pending !== undefined) {
      this.consentIds ??= new Set();
      for (const consentId of pending) this.consentIds.add(consentId);
    }
  }

  /** Consents that will have granted the field being decided, once it is disclosed. */
  private pendingConsents: readonly string[] | undefined;

  /**
   * Why the field is withheld (the rule or statute that says so), or undefined when it may go. Statute
   * is asked first. Also called by the wire walk's generated code.
   */
  refusal(path: string, rule: CompiledRule | undefined, immigration: boolean, vawa: boolean): string | undefined {
    this.pendingConsents = undefined;
    if (rule === undefined) return DEFAULT_DENY;
    if (rule.drop) return rule.label;
    const { run } = this;
    if (immigration && run.immigrationWithheld) return STATUTE.immigrationRelief;
    if ((vawa && run.vawaApplies) || rule.requiresConsent) {
      const consent = this.consentFor(path);
      if (!consent.granted) {
        if (consent.refusedForGuardian) return STATUTE.minorGuardian;
        if (vawa && run.vawaApplies) return STATUTE.vawa;
      }
      if (consent.consentIds.length > 0) this.pendingConsents = consent.consentIds;
      if (rule.requiresConsent && !consent.granted) return rule.withheldLabel.consent;
    }
    if (rule.recipientKinds && !rule.recipientKinds.has(run.recipient.kind)) return rule.withheldLabel.condition;
    if (rule.originKinds && !rule.originKinds.has(run.originKind)) return rule.withheldLabel.condition;
    return undefined;
  }
  /** Every victim the record concerns must have a consent in force that covers the path. */
  private consentFor(path: string): { granted: boolean; consentIds: string[]; refusedForGuardian: boolean } {
    const { victimReferralIds } = this.run;
    const consentIds: string[] = [];
    for (const referralId of victimReferralIds) {
      const active = this.run.consentsOf(referralId);
      const consent = consentCovering(active, path);
      if (!consent) return { granted: false, consentIds, refusedForGuardian: active.refusedForGuardian };
      consentIds.push(consent.consentId);
    }
    return { granted: victimReferralIds.length > 0, consentIds, refusedForGuardian: false };
  }
}
