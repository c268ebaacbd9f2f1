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

  describe('nonsense settings stop the start, naming the setting', () => {
    it.each([
      ['RELAY_LEASE_MS', '0', 'RELAY_LEASE_MS must be at least 1000'],
      ['RELAY_LEASE_MS', '86400000', 'RELAY_LEASE_MS must be at most 600000'],
      ['RELAY_LEASE_MS', '10s', 'RELAY_LEASE_MS must be a whole number, got "10s"'],
      ['RELAY_LEASE_MS', '', 'RELAY_LEASE_MS must be a whole number, got ""'],
      ['RELAY_LEASE_MS', '1e4', 'RELAY_LEASE_MS must be a whole number, got "1e4"'],
      ['PORT', '65536', 'PORT must be at most 65535'],
      ['PORT', '-1', 'PORT must be a whole number, got "-1"'],
      ['KAFKA_TOPIC_PARTITIONS', '0', 'KAFKA_TOPIC_PARTITIONS must be at least 1'],
      ['KAFKA_REPLICATION_FACTOR', '0', 'KAFKA_REPLICATION_FACTOR must be at least 1'],
      ['CONSENT_MAX_DAYS', '36500', 'CONSENT_MAX_DAYS must be at most 1826'],
      ['KAFKA_BROKERS', 'localhost', 'KAFKA_BROKERS must list host:port pairs, got "localhost"'],
      ['KAFKA_BROKERS', '127.0.0.1:9092,127.0.0.1:0', 'KAFKA_BROKERS must list host:port pairs, got "127.0.0.1:0"'],
      ['TOPIC_NAMESPACE', 'team a.', 'TOPIC_NAMESPACE may hold only letters'],
      ['DATABASE_URL', 'mysql://root@db/crescent', 'DATABASE_URL must start with postgres:// or sqlite:'],
      ['DATABASE_SCHEMA', 'public; DROP TABLE leases', 'DATABASE_SCHEMA must be a plain identifier'],
      ['DATABASE_POOL_SIZE', '0', 'DATABASE_POOL_SIZE must be at least 1'],
      ['PSEUDONYM_KEY_ID', ' ', 'PSEUDONYM_KEY_ID must not be empty'],
    ])('%s=%j', (name, value, message) => {
      expect(() => loadConfig({ ...SECRETS, [name]: value })).toThrow(message);
    });

    it('takes sound ones: port 0 (any free port), a broker list, a namespace, a one-second lease', () => {
      expect(
        loadConfig({ ...SECRETS, PORT: '0', KAFKA_BROKERS: ' 127.0.0.1:9092 , kafka-1.internal:19092', TOPIC_NAMESPACE: 'ci_7.run-2.', RELAY_LEASE_MS: '1000' }),
      ).toMatchObject({ port: 0, kafkaBrokers: ['127.0.0.1:9092', 'kafka-1.internal:19092'], topicNamespace: 'ci_7.run-2.', relayLeaseMs: 1000 });
    });

    it('does not repeat a database URL it refuses: it may hold a password', () => {
      expect(() => loadConfig({ ...SECRETS, DATABASE_URL: 'mysql://root:hunter2@db/crescent' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
    });
  });

  describe('ledger anchoring', () => {
    it('is on in the demo, beside its SQLite file', () => {
      expect(loadConfig({ SEED_DEMO: 'true', DATABASE_URL: 'sqlite:/var/lib/crescent/exchange.sqlite' }).ledgerAnchoring).toEqual({
        key: { keyId: 'a1', secret: expect.any(String) },
        file: '/var/lib/crescent/exchange.sqlite.ledger-anchors.jsonl',
        intervalMs: 60_000,
      });
    });

    it('is off without a key, and for a shared database without a file named for it', () => {
      expect(loadConfig(SECRETS).ledgerAnchoring).toBeUndefined();
      expect(loadConfig({ ...SECRETS, LEDGER_ANCHOR_SECRET: 's', DATABASE_URL: 'postgres://db/crescent' }).ledgerAnchoring).toBeUndefined();
      expect(loadConfig({ ...SECRETS, LEDGER_ANCHOR_SECRET: 's', DATABASE_URL: 'sqlite::memory:' }).ledgerAnchoring).toBeUndefined();
    });

    it('takes the key, file and interval it is given', () => {
      const env = { ...SECRETS, DATABASE_URL: 'postgres://db/crescent', LEDGER_ANCHOR_SECRET: 's', LEDGER_ANCHOR_KEY_ID: 'a2', LEDGER_ANCHOR_FILE: '/anchors/ledger.jsonl', LEDGER_ANCHOR_INTERVAL_MS: '5000' };
      expect(loadConfig(env).ledgerAnchoring).toEqual({ key: { keyId: 'a2', secret: 's' }, file: '/anchors/ledger.jsonl', intervalMs: 5000 });
      expect(() => loadConfig({ ...env, LEDGER_ANCHOR_INTERVAL_MS: '0' })).toThrow('LEDGER_ANCHOR_INTERVAL_MS must be at least 100');
    });
  });
});
