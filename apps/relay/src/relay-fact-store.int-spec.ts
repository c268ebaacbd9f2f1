import { EVENT_STORE_MIGRATIONS, LeaseLostError } from '@crescent/event-store';
import { SqlClient } from '@crescent/sql';
import { heldLease, openTestDatabase, TestDialect } from '@crescent/test-support';
import { RELAY_FACT_MIGRATIONS, RelayFactStore, StoredFact } from './relay-fact-store';

const fact = (facts: string, key: string, value: string, dueMs: number | null = null): StoredFact => ({ facts, key, value, dueMs });

describe.each<TestDialect>(['postgres', 'sqlite'])("the relay's %s fact store", (dialect) => {
  let sql: SqlClient;
  let store: RelayFactStore;

  beforeEach(async () => {
    sql = await openTestDatabase(dialect, [...EVENT_STORE_MIGRATIONS, ...RELAY_FACT_MIGRATIONS]);
    store = await RelayFactStore.create(sql);
  });

  afterEach(() => sql.close());

  it('keeps the last value saved for each key of each map, and answers only for the keys it keeps', async () => {
    await store.save([fact('records', 'victim-referral/a', '{"v":1}'), fact('reached', 'victim-referral/a', '0')], '10');
    await store.save([fact('records', 'victim-referral/a', '{"v":2}'), fact('records', 'case/b', '{"v":3}')], '11');
    // More keys than one statement asks for.
    const many = Array.from({ length: 600 }, (_, index) => `victim-referral/${index}`);
    await store.save(many.map((key, index) => fact('records', key, String(index))), '12');

    const wanted = [
      { facts: 'records', key: 'victim-referral/a' },
      { facts: 'records', key: 'case/b' },
      { facts: 'records', key: 'victim-referral/none' },
      { facts: 'reached', key: 'victim-referral/a' },
      { facts: 'reached', key: 'case/b' },
      { facts: 'records', key: 'victim-referral/599' },
    ];
    const byKey = (rows: StoredFact[]) => [...rows].sort((a, b) => `${a.facts}/${a.key}`.localeCompare(`${b.facts}/${b.key}`));
    expect(byKey(await store.load(wanted))).toEqual(
      byKey([fact('records', 'victim-referral/a', '{"v":2}'), fact('records', 'case/b', '{"v":3}'), fact('reached', 'victim-referral/a', '0'), fact('records', 'victim-referral/599', '599')]),
    );
    expect(await store.load(many.map((key) => ({ facts: 'records', key })))).toHaveLength(600);
    expect(await store.load([])).toEqual([]);
    expect(await store.loadAll('reached')).toEqual([['victim-referral/a', '0']]);
    expect(await store.at()).toBe('12');
  });

  it('saves in the transaction it is given: nothing of it, position included, when that transaction fails', async () => {
    await store.save([fact('records', 'case/b', '1')], '10');
    const failed = sql.transaction(async (tx) => {
      await store.within(tx).save([fact('records', 'case/b', '2'), fact('records', 'case/c', '3')], '11');
      throw new Error('the rest of the transaction failed');
    });
    await expect(failed).rejects.toThrow('the rest of the transaction failed');
    expect(await store.loadAll('records')).toEqual([['case/b', '1']]);
    expect(await store.at()).toBe('10');
  });

  it('finds the keys due by a time, in order, until they are settled or saved again not due', async () => {
    await store.save([fact('consents', 'c1', '{}', 1_000), fact('consents', 'c2', '{}', 2_000), fact('consents', 'c3', '{}', 3_000), fact('records', 'r', '{}')], '10');
    expect(await store.due('consents', 2_000)).toEqual(['c1', 'c2']);

    const fence = await heldLease(sql);
    // Settled only where still due by the time given: c2 is not.
    await store.settle('consents', ['c1', 'c2'], 1_500, fence);
    expect(await store.due('consents', 5_000)).toEqual(['c2', 'c3']);
    await store.save([fact('consents', 'c3', '{"revoked":true}')], '11');
    expect(await store.due('consents', 5_000)).toEqual(['c2']);
  });

  it('replaces every fact and the position they stand at, under the fence, or none of them', async () => {
    await store.save([fact('records', 'case/b', '1'), fact('consents', 'c1', '{}', 1)], '10');
    const fence = await heldLease(sql);
    await store.replace([fact('records', 'case/c', '2')], '20', fence);
    expect([await store.loadAll('records'), await store.loadAll('consents'), await store.at()]).toEqual([[['case/c', '2']], [], '20']);

    await store.replace([], undefined, fence);
    expect([await store.loadAll('records'), await store.at()]).toEqual([[], undefined]);

    await store.save([fact('records', 'case/d', '4')], '30');
    const lost = { check: async () => Promise.reject(new LeaseLostError('relay')) };
    await expect(store.replace([], undefined, lost)).rejects.toThrow(LeaseLostError);
    await expect(store.settle('records', ['case/d'], 0, lost)).rejects.toThrow(LeaseLostError);
    expect([await store.loadAll('records'), await store.at()]).toEqual([[['case/d', '4']], '30']);
  });
});
