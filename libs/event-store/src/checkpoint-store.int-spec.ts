import { openTestDatabase, TestDialect } from '@crescent/test-support';
import { CheckpointStore } from './checkpoint-store';
import { EVENT_STORE_MIGRATIONS } from './event-store.migrations';

describe.each<TestDialect>(['postgres', 'sqlite'])('the %s checkpoint store', (dialect) => {
  it('has no position until one is saved, then keeps the last position saved under each name', async () => {
    const sql = await openTestDatabase(dialect, EVENT_STORE_MIGRATIONS);
    const checkpoints = await CheckpointStore.create(sql);

    expect(await checkpoints.load('relay')).toBeUndefined();
    await checkpoints.save('relay', '41');
    await checkpoints.save('relay', '42');
    await checkpoints.save('other', '1234567/1234560');
    expect(await checkpoints.load('relay')).toBe('42');
    expect(await checkpoints.load('other')).toBe('1234567/1234560');
    await sql.close();
  });
});
