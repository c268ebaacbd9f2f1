import { SqlClient } from '@crescent/sql';
import { openTestDatabase, TestDialect } from '@crescent/test-support';
import { CheckpointStore } from './checkpoint-store';
import { Lease, LeaseLostError, LeaseStore } from './lease-store';
import { EVENT_STORE_MIGRATIONS } from './event-store.migrations';

describe.each<TestDialect>(['postgres', 'sqlite'])('the %s lease store', (dialect) => {
  let sql: SqlClient;
  let now: number;
  let leases: LeaseStore;

  beforeEach(async () => {
    sql = await openTestDatabase(dialect, EVENT_STORE_MIGRATIONS);
    now = 1_000_000;
    leases = await LeaseStore.create(sql, () => now);
  });

  afterEach(() => sql.close());

  const at = async (time: number, name: string, holder: string): Promise<Lease | undefined> => {
    now = time;
    return leases.acquire(name, holder, 1000);
  };

  it('grants a lease to one holder at a time, renews it for that holder, and hands it over once it expires', async () => {
    expect(await at(1_000_000, 'relay', 'a')).toMatchObject({ holder: 'a', token: 1 });
    expect(await at(1_000_010, 'relay', 'b')).toBeUndefined();
    expect(await at(1_000_900, 'relay', 'a')).toMatchObject({ holder: 'a', token: 1 });
    expect(await at(1_001_800, 'relay', 'b')).toBeUndefined();
    expect(await at(1_001_901, 'relay', 'b')).toMatchObject({ holder: 'b', token: 2 });
    expect(await at(1_001_902, 'relay', 'a')).toBeUndefined();
    expect(await at(1_001_902, 'other', 'a')).toMatchObject({ holder: 'a', token: 1 });
  });

  it('gives a new token to a holder that retakes its own lapsed lease, and keeps tokens growing past a release', async () => {
    const first = await at(1_000_000, 'relay', 'a');
    const retaken = await at(1_001_001, 'relay', 'a');
    expect(retaken?.token).toBe(2);
    expect(first?.continuedBy(retaken)).toBe(false);
    expect(retaken?.continuedBy(await at(1_001_500, 'relay', 'a'))).toBe(true);

    await leases.release('relay', 'a');
    expect(await at(1_001_501, 'relay', 'b')).toMatchObject({ holder: 'b', token: 3 });
    await leases.release('relay', 'a');
    expect(await at(1_001_502, 'relay', 'a')).toBeUndefined();
  });

  it('fences writes: a holder whose lease expired or passed on writes nothing, its successor writes', async () => {
    const checkpoints = await CheckpointStore.create(sql);
    const paused = (await at(1_000_000, 'relay', 'a')) as Lease;
    await checkpoints.save('relay', '10', paused);

    // Expired but not yet taken: still refused, the lease no longer protects the write.
    now = 1_001_001;
    await expect(checkpoints.save('relay', '11', paused)).rejects.toBeInstanceOf(LeaseLostError);

    const successor = (await at(1_001_002, 'relay', 'b')) as Lease;
    await checkpoints.save('relay', '20', successor);
    // The paused holder wakes and writes the older position it was working on: refused.
    await expect(checkpoints.save('relay', '12', paused)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await checkpoints.load('relay')).toBe('20');
  });

  if (dialect === 'postgres') {
    it('holds a takeover back until a fenced write that began in time has committed', async () => {
      const checkpoints = await CheckpointStore.create(sql);
      const holder = (await at(1_000_000, 'relay', 'a')) as Lease;
      let releaseWrite!: () => void;
      const writeMayEnd = new Promise<void>((resolve) => (releaseWrite = resolve));
      let checked!: () => void;
      const fenceChecked = new Promise<void>((resolve) => (checked = resolve));
      const write = sql.transaction(async (tx) => {
        await holder.check(tx);
        checked();
        await writeMayEnd;
        await tx.query("INSERT INTO feed_checkpoints (name, position) VALUES ('relay', '30')");
      });
      await fenceChecked;

      let takenOver = false;
      const takeover = at(1_001_001, 'relay', 'b').then((lease) => ((takenOver = true), lease));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(takenOver).toBe(false);
      releaseWrite();
      await write;
      expect(await takeover).toMatchObject({ holder: 'b', token: 2 });
      expect(await checkpoints.load('relay')).toBe('30');
    });
  }
});
