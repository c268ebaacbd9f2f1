import { createHash } from 'node:crypto';
import { loadConfig } from './config';

const ADMIN_HASH = 'a'.repeat(64);
const SECRETS = { ADMIN_TOKEN_SHA256: ADMIN_HASH, PSEUDONYM_SECRET: 'a real secret' };

describe('loadConfig', () => {
  describe('without SEED_DEMO=true, on any database', () => {
    it.each([
      ['the embedded SQLite default', {}],
      ['a SQLite file', { DATABASE_URL: 'sqlite:/var/lib/crescent/store.sqlite' }],
      ['PostgreSQL', { DATABASE_URL: 'postgres://crescent@db/crescent' }],
      ['SEED_DEMO=false', { SEED_DEMO: 'false' }],
    ])('refuses to start on %s without the admin token hash, naming it', (_, env) => {
      expect(() => loadConfig({ ...env, PSEUDONYM_SECRET: 'a real secret' })).toThrow(
        'ADMIN_TOKEN_SHA256 must be set (or SEED_DEMO=true for the demo)',
      );
    });

    it('refuses to start without the pseudonym secret, naming it', () => {
      expect(() => loadConfig({ ADMIN_TOKEN_SHA256: ADMIN_HASH })).toThrow('PSEUDONYM_SECRET must be set (or SEED_DEMO=true for the demo)');
    });

    it('takes an empty secret for a missing one', () => {
      expect(() => loadConfig({ ...SECRETS, PSEUDONYM_SECRET: '' })).toThrow('PSEUDONYM_SECRET must be set');
    });

    it('runs on the secrets it is given and seeds nothing', () => {
      expect(loadConfig(SECRETS)).toMatchObject({ seedDemo: false, adminTokenSha256: ADMIN_HASH, pseudonymSecret: 'a real secret' });
    });

    it('refuses an admin token hash that is not a SHA-256 in hex, without repeating it', () => {
      const attempt = () => loadConfig({ ...SECRETS, ADMIN_TOKEN_SHA256: 'the-admin-token-itself' });
      expect(attempt).toThrow('ADMIN_TOKEN_SHA256 must be a SHA-256 in hex');
      expect(attempt).not.toThrow(/the-admin-token-itself/);
    });
  });

  describe('with SEED_DEMO=true', () => {
    it('seeds the demo and runs on its published admin token and a pseudonym secret', () => {
      const config = loadConfig({ SEED_DEMO: 'true' });
      expect(config.seedDemo).toBe(true);
      expect(config.adminTokenSha256).toBe(createHash('sha256').update('demo-admin-token').digest('hex'));
      expect(config.pseudonymSecret).not.toBe('');
    });

    it('still prefers the secrets it is given', () => {
      expect(loadConfig({ ...SECRETS, SEED_DEMO: 'true' })).toMatchObject({ adminTokenSha256: ADMIN_HASH, pseudonymSecret: 'a real secret' });
    });
  });

  it('refuses a SEED_DEMO that is neither true nor false', () => {
    expect(() => loadConfig({ ...SECRETS, SEED_DEMO: 'yes' })).toThrow('SEED_DEMO must be one of true, false');
  });

  describe('rate limits', () => {
    it('default to 600 requests a minute per credential and 10 failed authentications per address in 15 minutes', () => {
      expect(loadConfig(SECRETS)).toMatchObject({
        credentialRateLimit: { limit: 600, windowSeconds: 60 },
        authFailureLimit: { limit: 10, windowSeconds: 900 },
      });
    });

    it('are read from the environment', () => {
      const config = loadConfig({
        ...SECRETS,
        RATE_LIMIT_PER_CREDENTIAL: '50',
        RATE_LIMIT_WINDOW_SECONDS: '10',
        AUTH_FAILURE_LIMIT: '3',
        AUTH_FAILURE_WINDOW_SECONDS: '120',
      });
      expect(config).toMatchObject({ credentialRateLimit: { limit: 50, windowSeconds: 10 }, authFailureLimit: { limit: 3, windowSeconds: 120 } });
    });

    it.each(['RATE_LIMIT_PER_CREDENTIAL', 'RATE_LIMIT_WINDOW_SECONDS', 'AUTH_FAILURE_LIMIT', 'AUTH_FAILURE_WINDOW_SECONDS'])(
      'refuse a %s of zero or not a whole number, naming it',
      (name) => {
        expect(() => loadConfig({ ...SECRETS, [name]: '0' })).toThrow(`${name} must be at least 1`);
        expect(() => loadConfig({ ...SECRETS, [name]: '1.5' })).toThrow(`${name} must be a whole number`);
      },
    );
  });

  describe('the longest consent', () => {
    it('defaults to a year and is read from CONSENT_MAX_DAYS', () => {
      expect(loadConfig(SECRETS).consentMaxDays).toBe(365);
      expect(loadConfig({ ...SECRETS, CONSENT_MAX_DAYS: '90' }).consentMaxDays).toBe(90);
    });

    it.each([
      ['0', 'CONSENT_MAX_DAYS must be at least 1'],
      ['-30', 'CONSENT_MAX_DAYS must be a whole number, got "-30"'],
      ['1.5', 'CONSENT_MAX_DAYS must be a whole number, got "1.5"'],
      ['a year', 'CONSENT_MAX_DAYS must be a whole number, got "a year"'],
    ])('refuses to start on CONSENT_MAX_DAYS=%s, saying why', (value, message) => {
      expect(() => loadConfig({ ...SECRETS, CONSENT_MAX_DAYS: value })).toThrow(message);
    });
  });
});
