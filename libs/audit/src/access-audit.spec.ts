import { AccessEntry } from './access-entry';
import { hashAccessRow } from './access-audit';

const GENESIS = '0'.repeat(64);

const entry: AccessEntry = {
  id: 'access-1',
  at: '2025-03-01T10:00:00.000Z',
  principal: 'agency:hsi-new-orleans',
  action: 'GET /v1/referrals/:id',
  category: 'record-read',
  recordType: 'victim-referral',
  recordId: 'referral-1',
  source: '127.0.0.1',
  outcome: 'success',
  status: 200,
  code: null,
};

describe('the hash of an access audit row', () => {
  // Worked out apart from the code, as the SHA-256 of `["crescent.access-audit.v1", sequence, previous hash, ...fields in column order]`
  // in JSON: rows already stored keep verifying only while these stay.
  it('stays the one rows already stored were written with', () => {
    expect(hashAccessRow(1, GENESIS, entry)).toBe('2f98936b15d733f89d01f01e266d77114c9ee224c98152a6ff12673d4aa6b3b5');
    const refused: AccessEntry = { ...entry, recordType: null, recordId: null, outcome: 'denied', status: null, code: 'AUTH.UNKNOWN_CREDENTIAL' };
    expect(hashAccessRow(2, 'f'.repeat(64), refused)).toBe('dbda22a7f4bc439532f6e3a20f29a7fcafb97a589d4b8130a212d4870af70575');
  });
});
