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
  /** 8 U.S.C. 1367 withholds the record's immigration-relief paths from this recipient. */
  readonly immigrationWithheld: boolean;
  /** The record was contributed by a victim service provider, so VAWA guards its PII. */
  readonly vawaApplies: boolean;
  /** The referrals of the victims the record concerns, whose consents count. */
  readonly victimReferralIds: readonly string[];
  readonly consentsOf: (referralId: string) => ActiveConsents;
}

/** What a recipient receives (the payload, the consents that granted some of it, how many fields it discloses) and the ledger's account of every field. */
export interface CompiledProjection {
  readonly payload: Record<string, unknown>;
  readonly consentIds: string[];
  readonly disclosed: number;
  readonly fields: FieldDecision[];
}

/** What the relay needs of one projection: the payload as its wire JSON text, and the paths the disclosure ledger records. */
export interface WireProjection {
  /** Exactly `JSON.stringify(payload)` of the payload the general walk builds. */
  readonly json: string;
  /** The paths of `fields` disclosed and withheld, each in the same order. */
  readonly disclosedFields: string[];
  readonly withheldFields: string[];
  readonly consentIds: string[];
  readonly disclosed: number;
}

/** A policy version turned once into a function of the event's data. */
export interface CompiledPolicy {
  readonly policy: SharingPolicy;
  readonly recordType: SharableRecordType;
  /** The payload and the ledger's account of every field: the general walk. */
  project(data: Record<string, unknown>, run: ProjectionRun): CompiledProjection;
  /** The payload as wire JSON text and the ledger's paths, in one generated walk that builds no payload object. */
  projectWire(data: Record<string, unknown>, run: ProjectionRun): WireProjection;
}

type Apply = (value: unknown, path: string, run: ProjectionRun) => unknown;

interface CompiledRule {
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
  /** Some rule under this path grants something: without one, a withheld object here is withheld whole. */
  grantsBelow: boolean;
  /** Shared by every node of one trie: how many nodes the walks have added for keys no rule names. */
  readonly trie: { memoized: number };
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
  const top = newNode('', { memoized: 0 });
  policy.rules.forEach((rule, index) => {
    const compiled = compileRule(rule, `${labelPrefix} rule ${index + 1}`);
    nodeAt(top, rule.path).rule = compiled;
    if (!compiled.drop) markGrantsAbove(top, rule.path);
  });
  const { recordType } = policy;
  for (const path of [...IMMIGRATION_RELIEF_PATHS[recordType], ...VAWA_PII_PATHS[recordType]]) nodeAt(top, path);
  markStatutes(top, recordType);
  let wireProjector = generateWireProjector(top);
  // The wire walk is generated again once the walks have given nodes to keys no rule names (a few
  // times at most): those keys then get their own cases, their ledger paths written out, instead of
  // the general walk. Their statutory flags are marked first, as for the policy's own paths.
  let wireMemoized = top.trie.memoized;
  let wireRegenerations = 0;
  return {
    policy,
    recordType,
    project: (data, run) => {
      const walk = new Walk(run, true);
      const payload: Record<string, unknown> = {};
      walk.object(data, top, undefined, '', false, false, payload);
      return { payload, fields: walk.fields as FieldDecision[], consentIds: walk.consentIdList(), disclosed: walk.disclosed };
    },
    projectWire: (data, run) => {
      if (top.trie.memoized !== wireMemoized && wireRegenerations < MAX_WIRE_REGENERATIONS) {
        wireRegenerations++;
        markStatutes(top, recordType);
        wireMemoized = top.trie.memoized;
        wireProjector = generateWireProjector(top);
      }
      const walk = new Walk(run, false);
      const members = wireProjector(data, walk);
      return { json: `{${members}}`, disclosedFields: walk.disclosedPaths, withheldFields: walk.withheldPaths, consentIds: walk.consentIdList(), disclosed: walk.disclosed };
    },
  };
}

/** How many times one policy's wire walk is generated again for keys the walks have met since. */
const MAX_WIRE_REGENERATIONS = 4;

type WireProjector = (data: Record<string, unknown>, walk: Walk) => string;

/**
 * The general walk (`project`) specialised to the policy's trie, as fast-redact specialises its paths,
 * writing the payload straight as JSON text: one function per object node returns its members
 * (`"key":value,...`), with a `switch` over the keys the policy or statute names, what the rule and
 * statute decide written out, and only what turns on the recipient, origin or consents left to run.
 * The ledger keeps paths only (the disclosure ledger's lists), pushed as string literals. It reads
 * every key, as the ledger must account for each leaf; keys no rule names go to the general walk.
 * Members come in `Object.keys` order, as JSON.stringify writes the object the general walk builds.
 * Keys and paths enter the source only as JSON string literals, and rules and nodes only as indexes
 * into arrays passed in, so no path can inject code. The property tests hold it to the general walk.
 */
function generateWireProjector(top: PathNode): WireProjector {
  const rules: CompiledRule[] = [];
  const nodes: PathNode[] = [];
  const indexOf = <T>(list: T[], item: T) => {
    const found = list.indexOf(item);
    return found >= 0 ? found : list.push(item) - 1;
  };
  const functions: string[] = [];
  const lit = (text: string) => JSON.stringify(text);
  const append = (memberKey: string, value: string) => `s += (s === "" ? ${lit(memberKey)} : ${lit(`,${memberKey}`)}) + ${value};`;

  /** One leaf at `node` under `rule`: its ledger path and, when it goes, its member text. Mirrors `Walk.decide`. */
  const decision = (node: PathNode, rule: CompiledRule | undefined, immigration: boolean, vawa: boolean, memberKey: string): string => {
    const path = lit(node.path);
    if (rule === undefined || rule.drop) return `wl.push(${path});`;
    const r = `r[${indexOf(rules, rule)}]`;
    // Statute, consent and conditions go through the general walk's own refusal, so both walks withhold the same.
    const dynamic = immigration || vawa || rule.requiresConsent || rule.recipientKinds !== undefined || rule.originKinds !== undefined;
    // include copies the value: its JSON is the JSON of that copy, written without making it.
    const value = rule.copies ? 'v' : `${r}.apply(v, ${path}, run)`;
    return [
      dynamic ? `if (w.refusal(${path}, ${r}, ${immigration}, ${vawa}) !== undefined) { wl.push(${path}); break; }` : '',
      `p = ${value};`,
      `if (p === undefined) { wl.push(${path}); break; }`,
      // A string with nothing to escape is written between quotes as it is, without a quoted copy first.
      `if (typeof p === "string" && isPlain(p)) ${append(`${memberKey}"`, 'p + \'"\'')} else { j = ${rule.copies ? 'copiedJsonOf' : 'jsonOf'}(p); if (j !== undefined) ${append(memberKey, 'j')} }`,
      dynamic ? 'w.grantPending();' : 'w.disclosed++;',
      `dl.push(${path});`,
    ].join(' ');
  };

  const objectFunction = (node: PathNode, inherited: CompiledRule | undefined): string => {
    const slot = functions.push('') - 1;
    const name = `o${slot}`;
    const cases: string[] = [];
    for (const [key, child] of node.children) {
      if (key === '__proto__') continue;
      const memberKey = `${JSON.stringify(key)}:`;
      const own = child.rule;
      let body: string;
      if (own?.wholeValue) {
        body = decision(child, own, child.readsImmigration, child.readsVawa, memberKey);
      } else {
        const rule = own ?? inherited;
        body = `if (v !== null && typeof v === "object" && !Array.isArray(v)) { b = w.disclosed; t = ${objectFunction(child, rule)}(v, w); if (w.disclosed !== b) ${append(memberKey, '"{" + t + "}"')} break; } ${decision(child, rule, child.immigration, child.vawa, memberKey)}`;
      }
      cases.push(`case ${lit(key)}: { const v = src[${lit(key)}]; ${body} break; }`);
    }
    const granting = inherited !== undefined && !inherited.drop;
    const general = `w.member(src, k, n[${indexOf(nodes, node)}], ${inherited === undefined ? 'undefined' : `r[${indexOf(rules, inherited)}]`}, ${lit(node.path)}, ${node.immigration}, ${node.vawa}, o);`;
    // Under no grant, a key no rule names is withheld whole: its leaves' paths are kept on their nodes.
    const unnamed = granting
      ? `{ const o = {}; ${general} p = Object.hasOwn(o, k) ? o[k] : undefined; if (p !== undefined) { j = jsonOf(p); if (j !== undefined) ${append('', 'JSON.stringify(k) + ":" + j')} } }`
      : `if (!w.withheld(src[k], k, n[${indexOf(nodes, node)}], ${inherited === undefined ? 'undefined' : `r[${indexOf(rules, inherited)}]`})) { const o = w.sink; ${general} }`;
    functions[slot] = `function ${name}(src, w) {
  const run = w.run; const dl = w.disclosedPaths; const wl = w.withheldPaths; const keys = Object.keys(src); let s = ""; let p; let j; let t; let b;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    switch (k) {
      ${cases.join('\n      ')}
      default: ${unnamed}
    }
  }
  return s;
}`;
    return name;
  };

  const root = objectFunction(top, undefined);
  const source = `"use strict";\n${functions.join('\n')}\nreturn ${root};`;
  return new Function('r', 'n', 'copyJson', 'jsonOf', 'copiedJsonOf', 'isPlain', source)(rules, nodes, copyJson, jsonOf, copiedJsonOf, isPlain) as WireProjector;
}

/** `JSON.stringify(value)`, without its per-call cost for the plain strings, numbers and booleans most leaves are. */
function jsonOf(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return quoted(value);
    case 'number':
      return Number.isFinite(value) ? `${value}` : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return JSON.stringify(value);
  }
}

/** `JSON.stringify(copyJson(value))`: arrays are written element by element; other objects are copied first (the copy drops `__proto__`). */
function copiedJsonOf(value: unknown): string | undefined {
  if (typeof value === 'string') return quoted(value);
  if (value === null || typeof value !== 'object') return jsonOf(value);
  if (!Array.isArray(value)) return JSON.stringify(copyJson(value));
  let text = '[';
  for (let index = 0; index < value.length; index++) {
    const element: unknown = value[index];
    if (typeof element === 'string' && isPlain(element)) text += (index === 0 ? '"' : ',"') + element + '"';
    else text += (index === 0 ? '' : ',') + (copiedJsonOf(element) ?? 'null');
  }
  return text + ']';
}

/** A string with nothing JSON escapes (quote, backslash, control characters, surrogates) is quoted as it is. */
function quoted(text: string): string {
  return isPlain(text) ? `"${text}"` : JSON.stringify(text);
}

function isPlain(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return false;
  }
  return true;
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

function memoizedChild(node: PathNode | undefined, key: string, prefix: string): PathNode | undefined {
  if (node === undefined || node.children.size >= MAX_MEMOIZED_CHILDREN || key === '__proto__') return undefined;
  const child = newNode(prefix === '' ? key : `${prefix}.${key}`, node.trie);
  node.children.set(key, child);
  node.trie.memoized++;
  return child;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Where the wire walk sends the general walk's output for keys under no grant: nothing is ever written there. */
const WITHHELD_SINK: Record<string, unknown> = Object.freeze({});

/** One projection: the disclosures counted, the consents that granted them, and the ledger as decisions (the general walk) or as paths (the wire walk). */
class Walk {
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

  consentIdList(): string[] {
    return this.consentIds === undefined ? [] : [...this.consentIds];
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
