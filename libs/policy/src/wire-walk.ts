import { SharableRecordType } from '@crescent/domain';
import type { Walk } from './general-walk';
import { CompiledRule, markStatutes, PathNode } from './policy-trie';
import { copyJson } from './transforms';

/** Writes the members of the data's projection as JSON text, the ledger's paths into `walk`. */
type WireProjector = (data: Record<string, unknown>, walk: Walk) => string;

/** How many times one policy's wire walk is generated again for keys the walks have met since. */
const MAX_WIRE_REGENERATIONS = 4;

/**
 * The wire walk of one policy's trie. It is generated again once the walks have given nodes to keys no
 * rule names (a few times at most): those keys then get their own cases, their ledger paths written
 * out, instead of the general walk. Their statutory flags are marked first, as for the policy's own paths.
 */
export function wireWalk(top: PathNode, recordType: SharableRecordType): WireProjector {
  let projector = generateWireProjector(top);
  let memoized = top.trie.memoized;
  let regenerations = 0;
  return (data, walk) => {
    if (top.trie.memoized !== memoized && regenerations < MAX_WIRE_REGENERATIONS) {
      regenerations++;
      markStatutes(top, recordType);
      memoized = top.trie.memoized;
      projector = generateWireProjector(top);
    }
    return projector(data, walk);
  };
}

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
    const conditional = rule.requiresConsent || rule.recipientKinds !== undefined || rule.originKinds !== undefined;
    // A statutory path alone asks for the refusal only when its statute applies to this projection.
    const statute = [immigration ? 'run.immigrationWithheld' : '', vawa ? 'run.vawaApplies' : ''].filter(Boolean).join(' || ');
    const asks = conditional ? 'true' : statute;
    const refusal = `w.refusal(${path}, ${r}, ${immigration}, ${vawa}) !== undefined`;
    // include copies the value: its JSON is the JSON of that copy, written without making it.
    const value = rule.copies ? 'v' : `${r}.apply(v, ${path}, run)`;
    return [
      asks === '' ? '' : asks === 'true' ? `if (${refusal}) { wl.push(${path}); break; }` : `g = ${asks}; if (g && ${refusal}) { wl.push(${path}); break; }`,
      `p = ${value};`,
      `if (p === undefined) { wl.push(${path}); break; }`,
      // A string with nothing to escape is written between quotes as it is, without a quoted copy first.
      `if (typeof p === "string" && isPlain(p)) ${append(`${memberKey}"`, 'p + \'"\'')} else { j = ${rule.copies ? 'copiedJsonOf' : 'jsonOf'}(p); if (j !== undefined) ${append(memberKey, 'j')} }`,
      asks === '' ? 'w.disclosed++;' : asks === 'true' ? 'w.grantPending();' : 'if (g) w.grantPending(); else w.disclosed++;',
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
  const run = w.run; const dl = w.disclosedPaths; const wl = w.withheldPaths; const keys = Object.keys(src); let s = ""; let p; let j; let t; let b; let g;
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
