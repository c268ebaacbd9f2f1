import { ActorKind, AgencyKind, FieldRule, SharableRecordType, SharingPolicy } from '@crescent/domain';
import type { FieldOutcome } from './compile-policy';
import { IMMIGRATION_RELIEF_PATHS, isAtOrUnder, VAWA_PII_PATHS } from './statute';
import { copyJson, generalize, mask, pseudonymize, TransformContext } from './transforms';

type Apply = (value: unknown, path: string, run: TransformContext) => unknown;

export interface CompiledRule {
  readonly label: string;
  readonly withheldLabel: { readonly condition: string; readonly consent: string; readonly shape: string };
  readonly drop: boolean;
  readonly outcome: FieldOutcome;
  /** Applied to the value at the rule's own path as a whole (mask, pseudonymize, generalize). */
  readonly wholeValue: boolean;
  /** include or drop: the value goes as a copy of itself. */
  readonly copies: boolean;
  readonly apply: Apply;
  readonly recipientKinds?: ReadonlySet<AgencyKind>;
  readonly originKinds?: ReadonlySet<ActorKind>;
  readonly requiresConsent: boolean;
  /** `generalize to parish` reads a place's parish and nothing else of it. */
  readonly readsParishOnly: boolean;
}

/** A node of the path trie: one per rule path, statutory path and their prefixes. */
export interface PathNode {
  readonly path: string;
  readonly children: Map<string, PathNode>;
  rule?: CompiledRule;
  /** This path is 1367 information or VAWA PII (or lies under some). */
  immigration: boolean;
  vawa: boolean;
  /** What a whole-value rule here reads is protected (the node, what lies under it, or for `parish` the parish alone). */
  readsImmigration: boolean;
  readsVawa: boolean;
  /** Some rule under this path grants something: without one, a withheld object here is withheld whole. */
  grantsBelow: boolean;
  /** Shared by every node of one trie: how many nodes the walks have added for keys no rule names. */
  readonly trie: { memoized: number };
}

/**
 * The trie of one policy's rule and statutory paths (the root is the event's data), each node with
 * its precomputed rule, transform and statutory flags.
 */
export function policyTrie(policy: SharingPolicy, labelPrefix: string): PathNode {
  const top = newNode('', { memoized: 0 });
  policy.rules.forEach((rule, index) => {
    const compiled = compileRule(rule, `${labelPrefix} rule ${index + 1}`);
    nodeAt(top, rule.path).rule = compiled;
    if (!compiled.drop) markGrantsAbove(top, rule.path);
  });
  const { recordType } = policy;
  for (const path of [...IMMIGRATION_RELIEF_PATHS[recordType], ...VAWA_PII_PATHS[recordType]]) nodeAt(top, path);
  markStatutes(top, recordType);
  return top;
}

const newNode = (path: string, trie: { memoized: number }): PathNode => ({
  path,
  trie,
  children: new Map(),
  immigration: false,
  vawa: false,
  readsImmigration: false,
  readsVawa: false,
  grantsBelow: false,
});

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
    copies: rule.action === 'include' || rule.action === 'drop',
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
      child = newNode(node.path === '' ? segment : `${node.path}.${segment}`, node.trie);
      node.children.set(segment, child);
    }
    node = child;
  }
  return node;
}

/** Whether anything protected is read by reading `read`: it lies under a protected path, or a protected path lies under it. */
const touches = (read: string, protectedPaths: readonly string[]) =>
  protectedPaths.some((protectedPath) => isAtOrUnder(read, protectedPath) || isAtOrUnder(protectedPath, read));

/** Sets the statutory flags of every node under `node`: called again once the walks have added nodes. */
export function markStatutes(node: PathNode, recordType: SharableRecordType): void {
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

/** Marks every node strictly above `path` as having a grant below it. */
function markGrantsAbove(top: PathNode, path: string): void {
  let node = top;
  for (const segment of path.split('.')) {
    node.grantsBelow = true;
    node = node.children.get(segment) as PathNode;
  }
}

/** Data keys no rule names get a node too, the first time they are seen, so their paths are not rebuilt per event. */
const MAX_MEMOIZED_CHILDREN = 64;

export function memoizedChild(node: PathNode | undefined, key: string, prefix: string): PathNode | undefined {
  if (node === undefined || node.children.size >= MAX_MEMOIZED_CHILDREN || key === '__proto__') return undefined;
  const child = newNode(prefix === '' ? key : `${prefix}.${key}`, node.trie);
  node.children.set(key, child);
  node.trie.memoized++;
  return child;
}
