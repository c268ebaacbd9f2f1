import { ActorKind, Agency, AgencyKind, FieldRule, SharableRecordType, SharingPolicy } from '@crescent/domain';
import { ActiveConsents, consentCovering } from './consent-evaluation';
import { IMMIGRATION_RELIEF_PATHS, isAtOrUnder, STATUTE, VAWA_PII_PATHS } from './statute';
import { copyJson, generalize, mask, pseudonymize, TransformContext } from './transforms';

export type FieldOutcome = 'included' | 'masked' | 'pseudonymized' | 'generalized' | 'withheld';

/** One line of the disclosure ledger: what happened to one path of the event's data, and which rule or statute decided it. */
export interface FieldDecision {
  readonly path: string;
  readonly outcome: FieldOutcome;
  readonly decidedBy: string;
}

export const DEFAULT_DENY = 'default deny';

/** What one projection needs to know about the event, the recipient and the consents in force. */
export interface ProjectionRun extends TransformContext {
  readonly recipient: Agency;
  readonly originKind: ActorKind;
  /** The record was contributed by a victim service provider, so VAWA guards its PII. */
  readonly vawaApplies: boolean;
  /** The referrals of the victims the record concerns, whose consents count. */
  readonly victimReferralIds: readonly string[];
  readonly consentsOf: (referralId: string) => ActiveConsents;
}

export interface CompiledProjection {
  readonly payload: Record<string, unknown>;
  readonly fields: FieldDecision[];
  readonly consentIds: string[];
  readonly disclosed: number;
}

/** A policy version turned once into a function of the event's data. */
export interface CompiledPolicy {
  readonly policy: SharingPolicy;
  readonly recordType: SharableRecordType;
  project(data: Record<string, unknown>, run: ProjectionRun): CompiledProjection;
}

type Apply = (value: unknown, path: string, run: ProjectionRun) => unknown;

interface CompiledRule {
  readonly label: string;
  readonly withheldLabel: { readonly condition: string; readonly consent: string; readonly shape: string };
  readonly drop: boolean;
  readonly outcome: FieldOutcome;
  /** Applied to the value at the rule's own path as a whole (mask, pseudonymize, generalize). */
  readonly wholeValue: boolean;
  readonly apply: Apply;
  readonly recipientKinds?: ReadonlySet<AgencyKind>;
  readonly originKinds?: ReadonlySet<ActorKind>;
  readonly requiresConsent: boolean;
  /** `generalize to parish` reads a place's parish and nothing else of it. */
  readonly readsParishOnly: boolean;
}

/** A node of the path trie: one per rule path, statutory path and their prefixes. */
interface PathNode {
  readonly path: string;
  readonly children: Map<string, PathNode>;
  rule?: CompiledRule;
  /** This path is 1367 information or VAWA PII (or lies under some). */
  immigration: boolean;
  vawa: boolean;
  /** What a whole-value rule here reads is protected (the node, what lies under it, or for `parish` the parish alone). */
  readsImmigration: boolean;
  readsVawa: boolean;
}

const OUTCOME = { include: 'included', mask: 'masked', pseudonymize: 'pseudonymized', generalize: 'generalized', drop: 'withheld' } as const;

function applyOf(rule: FieldRule): Apply {
  switch (rule.action) {
    case 'include':
    case 'drop':
      return copyJson;
    case 'mask': {
      const keepLast = rule.keepLast ?? 4;
      return (value) => mask(value, keepLast);
    }
    case 'pseudonymize':
      return (value, path, run) => pseudonymize(value, path, run.key());
    case 'generalize': {
      const to = rule.to ?? 'count';
      return (value, _path, run) => generalize(value, to, run.now);
    }
  }
}

function compileRule(rule: FieldRule, label: string): CompiledRule {
  const when = rule.when ?? {};
  return {
    label,
    withheldLabel: { condition: `${label} (condition not met)`, consent: `${label} (no active consent)`, shape: `${label} (value not of the expected shape)` },
    drop: rule.action === 'drop',
    outcome: OUTCOME[rule.action],
    wholeValue: rule.action === 'mask' || rule.action === 'pseudonymize' || rule.action === 'generalize',
    apply: applyOf(rule),
    recipientKinds: when.recipientKinds && new Set(when.recipientKinds),
    originKinds: when.originKinds && new Set(when.originKinds),
    requiresConsent: when.requiresConsent === true,
    readsParishOnly: rule.action === 'generalize' && rule.to === 'parish',
  };
}

function nodeAt(root: PathNode, path: string): PathNode {
  let node = root;
  for (const segment of path.split('.')) {
    let child = node.children.get(segment);
    if (!child) {
      child = { path: node.path === '' ? segment : `${node.path}.${segment}`, children: new Map(), immigration: false, vawa: false, readsImmigration: false, readsVawa: false };
      node.children.set(segment, child);
    }
    node = child;
  }
  return node;
}

/** Whether anything protected is read by reading `read`: it lies under a protected path, or a protected path lies under it. */
const touches = (read: string, protectedPaths: readonly string[]) =>
  protectedPaths.some((protectedPath) => isAtOrUnder(read, protectedPath) || isAtOrUnder(protectedPath, read));

function markStatutes(node: PathNode, recordType: SharableRecordType): void {
  const immigration = IMMIGRATION_RELIEF_PATHS[recordType];
  const vawa = VAWA_PII_PATHS[recordType];
  for (const child of node.children.values()) {
    child.immigration = immigration.some((path) => isAtOrUnder(child.path, path));
    child.vawa = vawa.some((path) => isAtOrUnder(child.path, path));
    const read = child.rule?.readsParishOnly ? `${child.path}.parish` : child.path;
    child.readsImmigration = touches(read, immigration);
    child.readsVawa = touches(read, vawa);
    markStatutes(child, recordType);
  }
}

/**
 * Compiles one policy (a published version, or a draft under preview) into its projection: a trie of
 * the rule and statutory paths, each with its precomputed rule, transform and statutory flags. The
 * event's data is then walked once.
 */
export function compilePolicy(policy: SharingPolicy, labelPrefix: string): CompiledPolicy {
  const top: PathNode = { path: '', children: new Map(), immigration: false, vawa: false, readsImmigration: false, readsVawa: false };
  policy.rules.forEach((rule, index) => {
    const compiled = compileRule(rule, `${labelPrefix} rule ${index + 1}`);
    nodeAt(top, rule.path).rule = compiled;
  });
  const { recordType } = policy;
  for (const path of [...IMMIGRATION_RELIEF_PATHS[recordType], ...VAWA_PII_PATHS[recordType]]) nodeAt(top, path);
  markStatutes(top, recordType);
  return {
    policy,
    recordType,
    project: (data, run) => {
      const walk = new Walk(run);
      walk.object(data, top, undefined, '', false, false, walk.payload);
      return { payload: walk.payload, fields: walk.fields, consentIds: [...walk.consentIds], disclosed: walk.disclosed };
    },
  };
}

/** Data keys no rule names get a node too, the first time they are seen, so their paths are not rebuilt per event. */
const MAX_MEMOIZED_CHILDREN = 64;

function memoizedChild(node: PathNode | undefined, key: string, prefix: string): PathNode | undefined {
  if (node === undefined || node.children.size >= MAX_MEMOIZED_CHILDREN || key === '__proto__') return undefined;
  const child: PathNode = { path: prefix === '' ? key : `${prefix}.${key}`, children: new Map(), immigration: false, vawa: false, readsImmigration: false, readsVawa: false };
  node.children.set(key, child);
  return child;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

class Walk {
  readonly payload: Record<string, unknown> = {};
  readonly fields: FieldDecision[] = [];
  readonly consentIds = new Set<string>();
  disclosed = 0;

  constructor(private readonly run: ProjectionRun) {}

  object(
    source: Record<string, unknown>,
    node: PathNode | undefined,
    inherited: CompiledRule | undefined,
    prefix: string,
    immigration: boolean,
    vawa: boolean,
    target: Record<string, unknown>,
  ): void {
    for (const key of Object.keys(source)) {
      const value = source[key];
      const child = node?.children.get(key) ?? memoizedChild(node, key, prefix);
      const path = child ? child.path : prefix === '' ? key : `${prefix}.${key}`;
      if (key === '__proto__') {
        this.fields.push({ path, outcome: 'withheld', decidedBy: DEFAULT_DENY });
        continue;
      }
      const own = child?.rule;
      if (own?.wholeValue) {
        this.decide(value, path, own, immigration || child!.readsImmigration, vawa || child!.readsVawa, target, key);
        continue;
      }
      const rule = own ?? inherited;
      const underImmigration = immigration || (child?.immigration ?? false);
      const underVawa = vawa || (child?.vawa ?? false);
      if (isPlainObject(value)) {
        const nested: Record<string, unknown> = {};
        this.object(value, child, rule, path, underImmigration, underVawa, nested);
        for (const _ in nested) {
          target[key] = nested;
          break;
        }
        continue;
      }
      this.decide(value, path, rule, underImmigration, underVawa, target, key);
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
      this.fields.push({ path, outcome: 'withheld', decidedBy });
      return;
    }
    const granting = rule as CompiledRule;
    const projected = granting.apply(value, path, this.run);
    if (projected === undefined) {
      this.fields.push({ path, outcome: 'withheld', decidedBy: granting.withheldLabel.shape });
      return;
    }
    target[key] = projected;
    this.disclosed++;
    this.fields.push({ path, outcome: granting.outcome, decidedBy: granting.label });
    for (const consentId of this.pendingConsents) this.consentIds.add(consentId);
  }

  /** Consents that will have granted the field being decided, once it is disclosed. */
  private pendingConsents: readonly string[] = [];

  /** Why the field is withheld (the rule or statute that says so), or undefined when it may go. Statute is asked first. */
  private refusal(path: string, rule: CompiledRule | undefined, immigration: boolean, vawa: boolean): string | undefined {
    this.pendingConsents = [];
    if (rule === undefined) return DEFAULT_DENY;
    if (rule.drop) return rule.label;
    const { run } = this;
    if (immigration && !run.recipient.dhsComponent) return STATUTE.immigrationRelief;
    if ((vawa && run.vawaApplies) || rule.requiresConsent) {
      const consent = this.consentFor(path);
      if (!consent.granted) {
        if (consent.refusedForGuardian) return STATUTE.minorGuardian;
        if (vawa && run.vawaApplies) return STATUTE.vawa;
      }
      this.pendingConsents = consent.consentIds;
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
