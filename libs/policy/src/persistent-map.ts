/**
 * An immutable string-keyed map with structural sharing (a hash trie, 32 ways per level): `set`
 * copies one path of at most seven small nodes, so folding a long feed stays linear.
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

function visit<V>(node: Trie<V> | undefined, each: (entry: Entry<V>) => void): void {
  if (node === undefined) return;
  if (!Array.isArray(node)) {
    entriesOf(node as Leaf<V> | Bucket<V>).forEach(each);
    return;
  }
  for (const child of node as Branch<V>) visit(child, each);
}

export class PersistentMap<V> {
  private static readonly EMPTY = new PersistentMap<never>(undefined);

  private constructor(private readonly root: Trie<V> | undefined) {}

  static empty<V>(): PersistentMap<V> {
    return PersistentMap.EMPTY as PersistentMap<V>;
  }

  get(key: string): V | undefined {
    const hash = hashOf(key);
    let node = this.root;
    for (let depth = 0; node !== undefined; depth++) {
      if (!Array.isArray(node)) {
        const bucket = node as Leaf<V> | Bucket<V>;
        if (bucket.hash !== hash) return undefined;
        if (isLeaf(bucket)) return bucket.key === key ? bucket.value : undefined;
        const { entries } = bucket;
        for (let index = 0; index < entries.length; index++) if (entries[index][0] === key) return entries[index][1];
        return undefined;
      }
      node = (node as Branch<V>)[slotOf(hash, depth)];
    }
    return undefined;
  }

  /** `get(\`${head}${separator}${tail}\`)`, without building that key string. */
  getJoined(head: string, separator: string, tail: string): V | undefined {
    // The map never changes, so what was found stays found: one recipient after another asks for the same
    // record. Only what is found is remembered, so the memo never holds more than the map.
    let byTail: Map<string, V> | undefined;
    if (this.lastHead === head && this.lastSeparator === separator) {
      byTail = this.lastByTail as Map<string, V>;
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
    let found = byTail.get(tail);
    if (found === undefined) {
      found = this.lookUpJoined(head, separator, tail);
      if (found !== undefined) byTail.set(tail, found);
    }
    return found;
  }

  private joined: Map<string, Map<string, Map<string, V>>> | undefined;
  /** The head and separator asked for last, and their memo: the same record type is asked for again and again. */
  private lastHead: string | undefined;
  private lastSeparator: string | undefined;
  private lastByTail: Map<string, V> | undefined;

  private lookUpJoined(head: string, separator: string, tail: string): V | undefined {
    const hash = hashMore(hashMore(hashMore(FNV_OFFSET, head), separator), tail) >>> 0;
    let node = this.root;
    for (let depth = 0; node !== undefined; depth++) {
      if (!Array.isArray(node)) {
        const bucket = node as Leaf<V> | Bucket<V>;
        if (bucket.hash !== hash) return undefined;
        if (isLeaf(bucket)) return isJoined(bucket.key, head, separator, tail) ? bucket.value : undefined;
        return bucket.entries.find(([key]) => isJoined(key, head, separator, tail))?.[1];
      }
      node = (node as Branch<V>)[slotOf(hash, depth)];
    }
    return undefined;
  }

  set(key: string, value: V): PersistentMap<V> {
    return new PersistentMap(setIn(this.root, hashOf(key), 0, key, value));
  }

  /** Updates an entry from its current value (undefined when absent). */
  update(key: string, change: (current: V | undefined) => V): PersistentMap<V> {
    return this.set(key, change(this.get(key)));
  }

  /** Every value, in no particular order. */
  values(): V[] {
    const values: V[] = [];
    visit(this.root, ([, value]) => values.push(value));
    return values;
  }

  /** Every key and its value, in no particular order. */
  entries(): Entry<V>[] {
    const entries: Entry<V>[] = [];
    visit(this.root, (entry) => entries.push(entry));
    return entries;
  }
}
