import { AccessEntry, assertValidAccessEntry, outcomeOf } from './access-entry';

const entry: AccessEntry = {
  id: '0b6f2d1e-2a44-4d8e-9c1b-5f3e7a9d2c10',
  at: '2025-03-01T10:00:00.000Z',
  principal: 'agency:hsi-new-orleans',
  action: 'GET /v1/referrals/:id',
  category: 'record-read',
  recordType: 'victim-referral',
  recordId: '7d1f3c2a-4b5e-4f60-8a71-9b2c3d4e5f60',
  source: '::ffff:127.0.0.1',
  outcome: 'success',
  status: 200,
  code: null,
};

describe('an access entry', () => {
  it('is accepted when made of identifiers, from HTTP or from an inbound topic', () => {
    expect(() => assertValidAccessEntry(entry)).not.toThrow();
    const inbound: AccessEntry = { ...entry, action: 'kafka:SubmitVictimReferral', category: 'record-write', source: 'crescent.inbound.hsi-new-orleans', status: null };
    expect(() => assertValidAccessEntry(inbound)).not.toThrow();
  });

  it.each<[string, Partial<Record<keyof AccessEntry, unknown>>, string]>([
    ['a path with its query string', { action: 'GET /v1/admin/ledger?recordId=x' }, 'action'],
    ['free text for a principal', { principal: 'Maria Example' }, 'principal'],
    ['free text for a record id', { recordId: 'Maria Example' }, 'recordId'],
    ['a problem detail for a code', { code: 'no such record, or it is not yours to read' }, 'code'],
    ['an unknown category', { category: 'gossip' }, 'category'],
    ['an unknown record type', { recordType: 'diary' }, 'recordType'],
    ['a time with an offset', { at: '2025-03-01T12:00:00.000+02:00' }, 'at'],
    ['a status that is not HTTP', { status: 42 }, 'status'],
  ])('is refused with %s, naming the field but not its value', (_, change, field) => {
    let refusal: unknown;
    try {
      assertValidAccessEntry({ ...entry, ...change } as AccessEntry);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ kind: 'validation', code: 'AUDIT.INVALID_ENTRY', message: `access entry: invalid ${field}` });
  });
});

describe('the outcome of an answer', () => {
  it.each([
    [200, 'success'],
    [201, 'success'],
    [401, 'denied'],
    [403, 'denied'],
    [429, 'denied'],
    [400, 'failed'],
    [404, 'failed'],
    [409, 'failed'],
    [500, 'failed'],
  ])('with status %i is %s', (status, outcome) => {
    expect(outcomeOf(status)).toBe(outcome);
  });
});
