import { EVENT_STORE_MIGRATIONS, SqlEventStore } from '@crescent/event-store';
import { DisclosureState, initialDisclosureState } from '@crescent/policy';
import { AgencyDirectory } from '@crescent/runtime';
import { openTestDatabase } from '@crescent/test-support';
import { ReferralMatters } from './referral-matters';
import { currentVersionFor, versionsSeenBy } from './seen-versions';

const HSI = { id: 'hsi-new-orleans', name: 'HSI New Orleans', kind: 'federal-law-enforcement', department: 'DHS', jurisdiction: [] } as const;
const SHELTER = { id: 'bayou-haven-shelter', name: 'Bayou Haven', kind: 'victim-service-provider', jurisdiction: [] } as const;
const REFERRAL_ID = '3f1c2b7e-6a0d-4f8e-9b1a-0c2d4e6f8a10';
// No consent in this directory nor in the referral's matter: the sender has no release of the shelter's steps.
const directory = { current: () => initialDisclosureState } as unknown as AgencyDirectory;
const matters = { stateFor: async (state: DisclosureState) => state } as unknown as ReferralMatters;

/** The referral's stream written by hand: who wrote each event is what the versions turn on. */
async function storeWith(events: readonly [type: string, agencyId: string][]) {
  const store = await SqlEventStore.create(await openTestDatabase('sqlite', EVENT_STORE_MIGRATIONS));
  const toAppend = events.map(([type, agencyId], index) => ({ id: `00000000-0000-4000-8000-00000000000${index}`, type, data: {}, metadata: { agencyId } }));
  await store.append(`victim-referral-${REFERRAL_ID}`, toAppend, 'no-stream');
  return store;
}

describe("a referral's versions as its sender sees them (VAWA)", () => {
  const lifecycle: [string, string][] = [
    ['VictimReferralSubmitted', HSI.id],
    ['VictimReferralAcknowledged', SHELTER.id],
    ['VictimReferralInformationRequested', SHELTER.id],
    ['VictimContactUpdated', HSI.id],
    ['VictimReferralAccepted', SHELTER.id],
  ];

  it("counts only the sender's own events, at every version", async () => {
    const seen = await versionsSeenBy(await storeWith(lifecycle), directory, matters, HSI, 'victim-referral', REFERRAL_ID);
    expect(seen?.current).toBe(5);
    expect([1, 2, 3, 4, 5].map((version) => seen!.seen(version))).toEqual([1, 1, 1, 2, 2]);
  });

  it('takes the version the sender saw to the store\'s version now, and any other as a conflict', async () => {
    const seen = (await versionsSeenBy(await storeWith(lifecycle), directory, matters, HSI, 'victim-referral', REFERRAL_ID))!;
    expect(currentVersionFor(seen, 2)).toBe(5);
    for (const stale of [1, 3, 5]) expect(() => currentVersionFor(seen, stale)).toThrow(expect.objectContaining({ code: 'RECORD.VERSION_CONFLICT', kind: 'conflict' }));
  });

  it('leaves the versions alone for the shelter, and for any other record', async () => {
    const store = await storeWith(lifecycle);
    expect(await versionsSeenBy(store, directory, matters, SHELTER, 'victim-referral', REFERRAL_ID)).toBeUndefined();
    expect(await versionsSeenBy(store, directory, matters, HSI, 'case', REFERRAL_ID)).toBeUndefined();
  });
});
