import fc from 'fast-check';
import { FactsNotLoaded, PersistentMap } from './persistent-map';

/** Pairs of keys with one FNV-1a hash (found by a search over `referral-<n>`): they share a node of the trie. */
const COLLIDING = ['referral-77289', 'referral-756104', 'referral-77288', 'referral-756105'];
const KEYS = [...COLLIDING, ...Array.from({ length: 60 }, (_, index) => `referral-${index}`), 'victim-referral/a', 'case/b', ''];

type Operation = { readonly key: string; readonly value: number };

/** The map after each operation, beside a plain Map holding the same: the reference model. */
function apply(operations: readonly Operation[]): { versions: PersistentMap<number>[]; models: Map<string, number>[] } {
  const versions = [PersistentMap.empty<number>()];
  const models = [new Map<string, number>()];
  for (const { key, value } of operations) {
    const [previous, model] = [versions[versions.length - 1], models[models.length - 1]];
    // Both ways of writing: a plain set, and an update, which is handed the current value.
    const updated = (current: number | undefined) => {
      expect(current).toBe(model.get(key));
      return value;
    };
    versions.push(value % 2 === 0 ? previous.set(key, value) : previous.update(key, updated));
    models.push(new Map(model).set(key, value));
  }
  return { versions, models };
}

const sorted = (entries: readonly (readonly [string, number])[]) => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('PersistentMap', () => {
  const operations = fc.array(fc.record({ key: fc.constantFrom(...KEYS), value: fc.integer() }), { maxLength: 200 });

  it('answers get, entries and values as a plain Map does, after any sequence of writes, colliding keys included', () => {
    fc.assert(
      fc.property(operations, (ops) => {
        const { versions, models } = apply(ops);
        const [map, model] = [versions[versions.length - 1], models[models.length - 1]];
        for (const key of KEYS) expect(map.get(key)).toBe(model.get(key));
        expect(sorted(map.entries())).toEqual(sorted([...model.entries()]));
        expect(map.values().sort((a, b) => a - b)).toEqual([...model.values()].sort((a, b) => a - b));
      }),
    );
  });

  it('leaves every earlier version as it was', () => {
    fc.assert(
      fc.property(operations, (ops) => {
        const { versions, models } = apply(ops);
        versions.forEach((version, index) => expect(sorted(version.entries())).toEqual(sorted([...models[index].entries()])));
      }),
    );
  });

  it('finds a joined key by its parts as get finds the whole key, colliding keys included', () => {
    fc.assert(
      fc.property(operations, (ops) => {
        const { versions } = apply(ops);
        const map = versions[versions.length - 1];
        for (const key of KEYS.filter((candidate) => candidate.includes('-'))) {
          const at = key.indexOf('-');
          // Twice: the second answer comes from the memo.
          expect(map.getJoined(key.slice(0, at), '-', key.slice(at + 1))).toBe(map.get(key));
          expect(map.getJoined(key.slice(0, at), '-', key.slice(at + 1))).toBe(map.get(key));
        }
      }),
    );
  });

  it('holds many keys over several levels of the trie, and finds each and only those', () => {
    const keys = Array.from({ length: 5_000 }, (_, index) => `victim-referral/${index}`);
    const map = keys.reduce((built, key, index) => built.set(key, index), PersistentMap.empty<number>());
    keys.forEach((key, index) => expect(map.get(key)).toBe(index));
    expect(map.get('victim-referral/5000')).toBeUndefined();
    expect(map.entries()).toHaveLength(keys.length);
    expect(new Set(map.values()).size).toBe(keys.length);
  });

  it('keeps both of two keys whose hashes are equal, and replaces each alone', () => {
    const [first, second] = COLLIDING;
    const both = PersistentMap.empty<number>().set(first, 1).set(second, 2);
    expect([both.get(first), both.get(second)]).toEqual([1, 2]);
    const replaced = both.set(first, 3);
    expect([replaced.get(first), replaced.get(second), both.get(first)]).toEqual([3, 2, 1]);
    expect(sorted(replaced.entries())).toEqual(sorted([[first, 3], [second, 2]]));
  });

  it('reports as changed since an earlier version exactly the keys whose value differs from it, whatever was loaded between', () => {
    fc.assert(
      fc.property(operations, operations, fc.subarray(KEYS), (first, second, loaded) => {
        const earlier = apply(first);
        const [base, baseModel] = [earlier.versions.at(-1)!, earlier.models.at(-1)!];
        // Loading adds keys the map did not hold, and none of them is a change.
        let map = base.withLoaded(loaded.map((key) => [key, undefined] as const));
        const model = new Map(baseModel);
        for (const { key, value } of second) {
          map = map.set(key, value);
          model.set(key, value);
        }
        const expected = [...model.entries()].filter(([key, value]) => baseModel.get(key) !== value);
        expect(sorted(map.changesSince(base))).toEqual(sorted(expected));
      }),
    );
  });

  describe('as a window onto facts kept elsewhere', () => {
    it('refuses to answer for a key it does not hold, or for all of them, rather than call it absent', () => {
      const window = PersistentMap.window<number>('records').set('victim-referral/a', 1);
      expect(window.get('victim-referral/a')).toBe(1);
      expect(() => window.get('victim-referral/b')).toThrow(FactsNotLoaded);
      expect(() => window.getJoined('victim-referral', '/', 'b')).toThrow(expect.objectContaining({ facts: 'records', key: 'victim-referral/b' }));
      expect(() => window.update('victim-referral/b', (current) => (current ?? 0) + 1)).toThrow(FactsNotLoaded);
      expect(() => window.entries()).toThrow(expect.objectContaining({ facts: 'records', key: undefined }));
      expect(() => window.values()).toThrow(FactsNotLoaded);
      expect([window.holds('victim-referral/a'), window.holds('victim-referral/b'), PersistentMap.empty().holds('victim-referral/b')]).toEqual([true, false, true]);
    });

    it('answers for what was loaded into it, present or absent, and keeps what was set in it over what is loaded later', () => {
      const window = PersistentMap.window<number>('reached')
        .set('case/c', 7)
        .withLoaded([
          ['victim-referral/a', 1],
          ['victim-referral/b', undefined],
          ['case/c', 3],
        ]);
      expect(['victim-referral/a', 'victim-referral/b', 'case/c'].map((key) => window.get(key))).toEqual([1, undefined, 7]);
      expect(window.getJoined('victim-referral', '/', 'b')).toBeUndefined();
      expect(window.holds('victim-referral/b')).toBe(true);
      expect(() => window.get('victim-referral/d')).toThrow(FactsNotLoaded);
      // Whole once everything was loaded: what is known absent is in no listing.
      expect(sorted(window.whole().entries())).toEqual(sorted([['victim-referral/a', 1], ['case/c', 7]]));
      expect(window.whole().get('victim-referral/d')).toBeUndefined();
    });
  });
});
