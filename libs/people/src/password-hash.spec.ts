import { scryptSync } from 'node:crypto';
import { hashPassword, SCRYPT_COST, verifyPassword } from './password-hash';

describe('password hashes', () => {
  it('stores scrypt at N = 2^15, r = 8, p = 1 with a 16-byte salt, and the key Node derives from them', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const [scheme, N, r, p, salt, key] = stored.split('$');
    expect([scheme, N, r, p]).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(salt, 'base64url')).toHaveLength(16);
    // Derived independently, with the parameters the hash names.
    const expected = scryptSync('correct horse battery staple', Buffer.from(salt, 'base64url'), 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    expect(Buffer.from(key, 'base64url').equals(expected)).toBe(true);
  });

  it('salts each hash afresh', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('accepts the password and refuses any other', async () => {
    const stored = await hashPassword('demo-caseworker-password');
    expect(await verifyPassword('demo-caseworker-password', stored)).toBe(true);
    expect(await verifyPassword('demo-caseworker-passwore', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('verifies with the parameters stored beside the hash, so the cost can be raised later', async () => {
    const cheaper = await hashPassword('an older hash', { N: 2 ** 14, r: 8, p: 1 });
    expect(cheaper.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(await verifyPassword('an older hash', cheaper)).toBe(true);
  });

  it('matches nothing with a malformed stored hash', async () => {
    expect(await verifyPassword('x', 'plain-text-password')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$32768$8$1$$')).toBe(false);
  });

  it('is at least as costly as the floor the brief sets', () => {
    expect(SCRYPT_COST.N).toBeGreaterThanOrEqual(2 ** 15);
    expect(SCRYPT_COST).toMatchObject({ r: 8, p: 1 });
  });
});
