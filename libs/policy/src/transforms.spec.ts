import { ageOn, generalize, mask, pseudonymize } from './transforms';

const NOW = '2026-11-02T14:30:00.000Z';
const key = (keyId = 'k1', secret = 'one') => ({ keyId, secret: Buffer.from(secret) });

describe('generalizing a value', () => {
  it.each([
    ['birth-year', '1994-03-17', '1994'],
    ['age-band', '1994-03-17', '25-34'],
    ['age-band', '2008-11-03', '12-17'],
    ['age-band', '2008-11-02', '18-24'],
    ['age-band', '1950-01-01', '65+'],
    ['parish', { description: 'Motel on Chef Menteur Highway', parish: 'Orleans' }, 'Orleans'],
    ['day', '2026-11-02T23:10:00-06:00', '2026-11-03'],
    ['count', [{ relationship: 'daughter', age: 6 }], 1],
    ['count', [], 0],
    ['relationship-and-age-band', [{ relationship: 'daughter', age: 6 }, { relationship: 'son', age: 14 }], [{ relationship: 'daughter', ageBand: '0-11' }, { relationship: 'son', ageBand: '12-17' }]],
    ['relationship-and-age-band', [], []],
  ] as const)('%s of %j is %j', (to, value, expected) => {
    expect(generalize(value, to, NOW)).toEqual(expected);
  });

  it.each([
    ['birth-year', 'March 1994'],
    ['age-band', '2027-01-01'],
    ['parish', 'Orleans'],
    ['day', '2026-11-02'],
    ['count', 'three'],
    ['relationship-and-age-band', [{ relationship: 'daughter', age: '6' }]],
    ['relationship-and-age-band', [{ relationship: 'daughter' }]],
    ['relationship-and-age-band', { relationship: 'daughter', age: 6 }],
  ] as const)('gives nothing for %s of %j, which is not of its shape', (to, value) => {
    expect(generalize(value, to, NOW)).toBeUndefined();
  });

  it('counts a birthday on the day itself, on the UTC calendar', () => {
    expect(ageOn('2008-11-02', NOW)).toBe(18);
    expect(ageOn('2008-11-03', NOW)).toBe(17);
  });
});

describe('masking a value', () => {
  it('keeps the last four characters by default', () => {
    expect(mask('+1 504 555 0142')).toBe('***********0142');
  });

  it.each([
    [0, 'OPSO-2026', '*********'],
    [2, 'OPSO-2026', '*******26'],
    [20, 'abc', 'abc'],
  ])('keeps the last %i', (keepLast, value, expected) => {
    expect(mask(value, keepLast)).toBe(expected);
  });

  it('masks nothing that is not text or a number', () => {
    expect(mask(['+1 504 555 0142'])).toBeUndefined();
  });
});

describe('pseudonymizing a value', () => {
  it('maps one value to one token per key, and names the key', () => {
    const token = pseudonymize('Maria', 'victim.givenName', key());
    expect(token).toBe(pseudonymize('Maria', 'victim.givenName', key()));
    expect(token).toMatch(/^k1:[A-Za-z0-9_-]{43}$/);
    expect(token).not.toContain('Maria');
  });

  it('gives unrelated tokens to another recipient, another value, another path and a rotated key', () => {
    const token = pseudonymize('Maria', 'victim.givenName', key());
    const others = [
      pseudonymize('Maria', 'victim.givenName', key('k1', 'two')),
      pseudonymize('Marta', 'victim.givenName', key()),
      pseudonymize('Maria', 'victim.familyName', key()),
    ];
    for (const other of others) expect(other).not.toBe(token);
    const rotated = pseudonymize('Maria', 'victim.givenName', key('k2', 'one'));
    expect(rotated?.startsWith('k2:')).toBe(true);
  });
});
