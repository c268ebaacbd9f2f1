import { openTestDatabase, TestDialect } from '@crescent/test-support';
import { LeaseStore } from './lease-store';

describe.each<TestDialect>(['postgres', 'sqlite'])('the %s lease store', (dialect) => {
  it('grants a lease to one holder at a time, renews it for that holder, and hands it over once it expires', async () => {
    const sql = await openTestDatabase(dialect);
    const leases = await LeaseStore.create(sql);
    const t0 = 1_000_000;

    expect(await leases.acquire('relay', 'a', 1000, t0)).toBe(true);
    expect(await leases.acquire('relay', 'b', 1000, t0 + 10)).toBe(false);
    expect(await leases.acquire('relay', 'a', 1000, t0 + 900)).toBe(true);
    expect(await leases.acquire('relay', 'b', 1000, t0 + 1800)).toBe(false);
    expect(await leases.acquire('relay', 'b', 1000, t0 + 1901)).toBe(true);
    expect(await leases.acquire('relay', 'a', 1000, t0 + 1902)).toBe(false);
    expect(await leases.acquire('other', 'a', 1000, t0 + 1902)).toBe(true);
    await sql.close();
  });

  it('lets a standby take a released lease at once', async () => {
    const sql = await openTestDatabase(dialect);
    const leases = await LeaseStore.create(sql);

    expect(await leases.acquire('relay', 'a', 60_000)).toBe(true);
    await leases.release('relay', 'a');
    expect(await leases.acquire('relay', 'b', 60_000)).toBe(true);
    await leases.release('relay', 'a');
    expect(await leases.acquire('relay', 'a', 60_000)).toBe(false);
    await sql.close();
  });
});
