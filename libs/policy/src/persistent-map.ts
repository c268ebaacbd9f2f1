/**
 * An immutable string-keyed map with structural sharing (a hash trie, 32 ways per level): `set`
 * copies one path of at most seven small nodes, so folding a long feed stays linear.
 *
 * A window (`PersistentMap.window`) holds only part of a map kept elsewhere (the relay's facts in its
 * database): the keys loaded into it, present or known to be absent, and those set since. Reading a
 * key it does not hold, or the whole of it, throws `FactsNotLoaded` rather than answer "absent":
 * what was not loaded is never taken for nothing.
 */
type Entry<V> = readonly [key: string, value: V];
/** One key: the whole node is one object, as nearly every key's is. */
interface Leaf<V> {
  readonly hash: number;
  readonly key: string;
  readonly value: V;
}
/** Keys whose hashes are equal. */
interface Bucket<V> {
  readonly hash: number;
  readonly entries: readonly Entry<V>[];
}
type Branch<V> = readonly (Trie<V> | undefined)[];
type Trie<V> = Leaf<V> | Bucket<V> | Branch<V>;

/** Thrown by a window asked for what it does not hold: load `key` (or, without one, every key) of `facts`, then ask again. */
export class FactsNotLoaded extends Error {
  override readonly name = 'FactsNotLoaded';

  constructor(
    readonly facts: string,
    readonly key?: string,
  ) {
    super(key === undefined ? `the whole of ${facts} is not loaded` : `a key of ${facts} is not loaded`);
  }
}

/** A key a window holds as known to be absent. */
const ABSENT: unique symbol = Symbol('absent');
type Held<V> = V | typeof ABSENT;

const isLeaf = <V>(node: Leaf<V> | Bucket<V>): node is Leaf<V> => 'key' in node;
const entriesOf = <V>(node: Leaf<V> | Bucket<V>): readonly Entry<V>[] => (isLeaf(node) ? [[node.key, node.value]] : node.entries);

const BITS = 5;
const WIDTH = 1 << BITS;

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a over `text`, continuing from `hash`: hashing the parts of a key in turn hashes the key. */
function hashMore(hash: number, text: string): number {
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash;
}

const hashOf = (key: string): number => hashMore(FNV_OFFSET, key) >>> 0;

/** Whether `key` is `${head}${separator}${tail}`. */
const isJoined = (key: string, head: string, separator: string, tail: string) =>
  key.length === head.length + separator.length + tail.length && key.startsWith(head) && key.startsWith(separator, head.length) && key.endsWith(tail);

const slotOf = (hash: number, depth: number) => (hash >>> (depth * BITS)) & (WIDTH - 1);

function setIn<V>(node: Trie<V> | undefined, hash: number, depth: number, key: string, value: V): Trie<V> {
  if (node === undefined) return { hash, key, value };
  if (!Array.isArray(node)) {
    const bucket = node as Leaf<V> | Bucket<V>;
    if (bucket.hash === hash) {
      if (isLeaf(bucket) && bucket.key === key) return { hash, key, value };
      return { hash, entries: [...entriesOf(bucket).filter(([existing]) => existing !== key), [key, value]] };
    }
    // Two hashes differ in some 5-bit slot within the seven levels, so splitting always ends.
    const branch: (Trie<V> | undefined)[] = new Array(WIDTH);
    branch[slotOf(bucket.hash, depth)] = bucket;
    return setIn(branch, hash, depth, key, value);
  }
  const branch = (node as Branch<V>).slice();
  const slot = slotOf(hash, depth);
  branch[slot] = setIn(branch[slot], hash, depth + 1, key, value);
  return branch;
}

/** Every entry, absent ones included. */
function visitHeld<V>(node: Trie<V> | undefined, each: (entry: Entry<V>) => void): void {
  if (node === undefined) return;
  if (!Array.isArray(node)) return entriesOf(node as Leaf<V> | Bucket<V>).forEach(each);
  for (const child of node as Branch<V>) visitHeld(child, each);
}

/** Every entry present: none a window holds as absent. */
function visit<V>(node: Trie<Held<V>> | undefined, each: (entry: Entry<V>) => void): void {
  visitHeld(node, (entry) => entry[1] !== ABSENT && each(entry as Entry<V>));
}

/** Each entry of `now` whose value is not the very one `then` holds for its key: `then` is an earlier version of `now`. */
function differences<V>(now: Trie<Held<V>> | undefined, then: Trie<Held<V>> | undefined, each: (entry: Entry<V>) => void): void {
  if (now === then || now === undefined) return;
  if (Array.isArray(now) && Array.isArray(then)) {
    for (let slot = 0; slot < WIDTH; slot++) differences((now as Branch<Held<V>>)[slot], (then as Branch<Held<V>>)[slot], each);
    return;
  }
  const before = new Map<string, Held<V>>();
  visitHeld(then, ([key, value]) => before.set(key, value));
  visit(now, (entry) => {
    if (before.get(entry[0]) !== entry[1]) each(entry);
  });
}

export class PersistentMap<V> {
  private static readonly EMPTY = new PersistentMap<never>(undefined, undefined);

  /** `facts`: the name of what a window holds part of; undefined for a whole map. */
  private constructor(
    private readonly root: Trie<Held<V>> | undefined,
    private readonly facts: string | undefined,
  ) {}

  static empty<V>(): PersistentMap<V> {
    return PersistentMap.EMPTY as PersistentMap<V>;
  }

  /** A window onto `facts`, holding nothing yet: load into it what is to be read. */
  static window<V>(facts: string): PersistentMap<V> {
    return new PersistentMap<V>(undefined, facts);
  }

  /** Whether this is a window: a part of a map kept elsewhere. */
  get isWindow(): boolean {
    return this.facts !== undefined;
  }

  get(key: string): V | undefined {
    return this.present(key, this.lookUp(key));
  }

  /** Whether a read of `key` would answer: a whole map always does, a window when it holds the key. */
  holds(key: string): boolean {
    return this.facts === undefined || this.lookUp(key) !== undefined;
  }

  private lookUp(key: string): Held<V> | undefined {
    const hash = hashOf(key);
    let node = this.root;
    for (let depth = 0; node !== undefined; depth++) {
      if (!Array.isArray(node)) {
        const bucket = node as Leaf<Held<V>> | Bucket<Held<V>>;
        if (bucket.hash !== hash) return undefined;
        if (isLeaf(bucket)) return bucket.key === key ? bucket.value : undefined;
        const { entries } = bucket;
        for (let index = 0; index < entries.length; index++) if (entries[index][0] === key) return entries[index][1];
        return undefined;
      }
      node = (node as Branch<Held<V>>)[slotOf(hash, depth)];
    }
    return undefined;
  }

  /** What a lookup of `key` found, as a read answers it. */
  private present(key: string, held: Held<V> | undefined): V | undefined {
    if (held === undefined && this.facts !== undefined) throw new FactsNotLoaded(this.facts, key);
    return held === ABSENT ? undefined : held;
  }

  /** `get(\`${head}${separator}${tail}\`)`, without building that key string. */
  getJoined(head: string, separator: string, tail: string): V | undefined {
    // The map never changes, so what was found stays found: one recipient after another asks for the same
    // record. Only what is found is remembered, so the memo never holds more than the map.
    let byTail: Map<string, Held<V>> | undefined;
    if (this.lastHead === head && this.lastSeparator === separator) {
      byTail = this.lastByTail;
    } else {
      this.joined ??= new Map();
      let byHead = this.joined.get(separator);
      if (byHead === undefined) this.joined.set(separator, (byHead = new Map()));
      byTail = byHead.get(head);
      if (byTail === undefined) byHead.set(head, (byTail = new Map()));
      this.lastHead = head;
      this.lastSeparator = separator;
      this.lastByTail = byTail;
    }
    let found = byTail!.get(tail);
    if (found === undefined) {
      found = this.lookUpJoined(head, separator, tail);
      if (found !== undefined) byTail!.set(tail, found);
    }
    return this.present(`${head}${separator}${tail}`, found);
  }

  private joined: Map<string, Map<string, Map<string, Held<V>>>> | undefined;
  /** The head and separator asked for last, and their memo: the same record type is asked for again and again. */
  private lastHead: string | undefined;
  private lastSeparator: string | undefined;
  private lastByTail: Map<string, Held<V>> | undefined;

  private lookUpJoined(head: string, separator: string, tail: string): Held<V> | undefined {
    const hash = hashMore(hashMore(hashMore(FNV_OFFSET, head), separator), tail) >>> 0;
    let node = this.root;
    for (let depth = 0; node !== undefined; depth++) {
      if (!Array.isArray(node)) {
        const bucket = node as Leaf<Held<V>> | Bucket<Held<V>>;
        if (bucket.hash !== hash) return undefined;
        if (isLeaf(bucket)) return isJoined(bucket.key, head, separator, tail) ? bucket.value : undefined;
        return bucket.entries.find(([key]) => isJoined(key, head, separator, tail))?.[1];
      }
      node = (node as Branch<Held<V>>)[slotOf(hash, depth)];
    }
    return undefined;
  }

  set(key: string, value: V): PersistentMap<V> {
    return new PersistentMap(setIn(this.root, hashOf(key), 0, key, value as Held<V>), this.facts);
  }

  /** Updates an entry from its current value (undefined when absent). */
  update(key: string, change: (current: V | undefined) => V): PersistentMap<V> {
    return this.set(key, change(this.get(key)));
  }

  /**
   * A window holding, besides what it holds, each key loaded that it did not hold: with its value, or
   * as absent where that is undefined. A key it holds keeps its value: it may have been set since.
   */
  withLoaded(loaded: Iterable<readonly [key: string, value: V | undefined]>): PersistentMap<V> {
    let root = this.root;
    for (const [key, value] of loaded) {
      if (this.lookUp(key) === undefined) root = setIn(root, hashOf(key), 0, key, value === undefined ? ABSENT : value);
    }
    return new PersistentMap(root, this.facts);
  }

  /** A window that has had every key of its facts loaded: the whole map. */
  whole(): PersistentMap<V> {
    return new PersistentMap(this.root, undefined);
  }

  /** Each key whose value is not the one `earlier` (a version this map was made from) holds: what was set since. */
  changesSince(earlier: PersistentMap<V>): Entry<V>[] {
    const changes: Entry<V>[] = [];
    differences(this.root, earlier.root, (entry) => changes.push(entry));
    return changes;
  }

  /** Every value, in no particular order. */
  values(): V[] {
    const values: V[] = [];
    visit(this.wholeRoot(), ([, value]) => values.push(value));
    return values;
  }

  /** Every key and its value, in no particular order. */
  entries(): Entry<V>[] {
    const entries: Entry<V>[] = [];
    visit(this.wholeRoot(), (entry) => entries.push(entry));
    return entries;
  }

  private wholeRoot(): Trie<Held<V>> | undefined {
    if (this.facts !== undefined) throw new FactsNotLoaded(this.facts);
    return this.root;
  }
}
