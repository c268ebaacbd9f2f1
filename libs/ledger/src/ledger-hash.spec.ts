import { DisclosureEntry } from './disclosure-entry';
import { canonicalRow, GENESIS_HASH, hashRow } from './ledger-hash';

const entry: DisclosureEntry = {
  recipientAgencyId: 'agency-police',
  eventId: 'event-1',
  recordType: 'victim-referral',
  recordId: 'referral-1',
  policyId: 'policy-ngo-to-police',
  policyVersion: 2,
  consentIds: ['consent-1'],
  disclosedFields: ['referralId', 'victim.ageBand'],
  withheldFields: ['victim.name'],
  kind: 'delivery',
  deliveredAt: '2025-03-01T10:00:00.000Z',
};

describe('the canonical hash of a ledger row', () => {
  it('is the SHA-256 of one JSON array in a fixed order, so rows already stored keep verifying', () => {
    expect(canonicalRow(1, GENESIS_HASH, entry)).toBe(
      `["crescent.disclosure-ledger.v1",1,"${GENESIS_HASH}","agency-police","event-1","victim-referral","referral-1",` +
        '"policy-ngo-to-police",2,["consent-1"],["referralId","victim.ageBand"],["victim.name"],"delivery","2025-03-01T10:00:00.000Z"]',
    );
    expect(hashRow(1, GENESIS_HASH, entry)).toBe('0551a742e657d058bbcbc5eaac62638ae70e41b971e71adf392f5d17f8f214c3');
  });

  it('does not depend on the order in which the entry object lists its properties', () => {
    const reordered = Object.fromEntries(Object.entries(entry).reverse()) as unknown as DisclosureEntry;
    expect(hashRow(1, GENESIS_HASH, reordered)).toBe(hashRow(1, GENESIS_HASH, entry));
  });

  const changes: [string, Partial<DisclosureEntry>][] = [
    ['recipientAgencyId', { recipientAgencyId: 'agency-court' }],
    ['eventId', { eventId: 'event-2' }],
    ['recordType', { recordType: 'case' }],
    ['recordId', { recordId: 'referral-2' }],
    ['policyId', { policyId: 'policy-other' }],
    ['policyVersion', { policyVersion: 3 }],
    ['consentIds', { consentIds: [] }],
    ['disclosedFields', { disclosedFields: ['referralId'] }],
    ['withheldFields', { withheldFields: ['victim.name', 'victim.ageBand'] }],
    ['kind', { kind: 'retraction' }],
    ['deliveredAt', { deliveredAt: '2025-03-01T10:00:00.001Z' }],
  ];

  it.each(changes)('changes when %s changes', (_, change) => {
    expect(hashRow(1, GENESIS_HASH, { ...entry, ...change })).not.toBe(hashRow(1, GENESIS_HASH, entry));
  });

  it('changes with the sequence and with the previous hash', () => {
    const hash = hashRow(1, GENESIS_HASH, entry);
    expect(hashRow(2, GENESIS_HASH, entry)).not.toBe(hash);
    expect(hashRow(1, 'f'.repeat(64), entry)).not.toBe(hash);
  });

  it('keeps field boundaries: moving text between neighbouring fields or list items changes it', () => {
    const base = hashRow(1, GENESIS_HASH, entry);
    expect(hashRow(1, GENESIS_HASH, { ...entry, recordType: 'victim-referralreferral-1', recordId: '' })).not.toBe(base);
    expect(hashRow(1, GENESIS_HASH, { ...entry, disclosedFields: ['referralId,victim.ageBand'] })).not.toBe(base);
    expect(
      hashRow(1, GENESIS_HASH, { ...entry, disclosedFields: ['referralId', 'victim.ageBand', 'victim.name'], withheldFields: [] }),
    ).not.toBe(base);
  });
});
