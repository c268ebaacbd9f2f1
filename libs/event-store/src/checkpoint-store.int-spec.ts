import { openTestDatabase, TestDialect } from '@crescent/test-support';
import { CheckpointStore } from './checkpoint-store';

describe.each<TestDialect>(['postgres', 'sqlite'])('the %s checkpoint store', (dialect) => {
  it('starts at 0 and keeps the last position saved under each name', async () => {
    const sql = await openTestDatabase(dialect);
    const checkpoints = await CheckpointStore.create(sql);

    expect(await checkpoints.load('relay')).toBe(0);
    await checkpoints.save('relay', 41);
    await checkpoints.save('relay', 42);
    await checkpoints.save('other', 7);
    expect(await checkpoints.load('relay')).toBe(42);
    expect(await checkpoints.load('other')).toBe(7);
    await sql.close();
  });
});
