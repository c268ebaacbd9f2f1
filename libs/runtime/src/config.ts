import { readFileSync } from 'node:fs';
import type { AnchorKey } from '@crescent/ledger';
import { DEFAULT_TOPIC_SETTINGS, KafkaTokenIssuer, TopicSettings } from '@crescent/messaging';
import { LOG_THRESHOLDS, LogThreshold } from '@crescent/observability';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES, DEMO_INBOX_AGENCY_ID } from './directory/demo-directory';
import { sha256Hex } from './directory/agency-directory';

/** Everything an app reads from its environment, read once at start. */
export interface RuntimeConfig {
  readonly port: number;
  /** The address HTTP listens on: loopback unless a deployment opens it. */
  readonly host: string;
  /** `postgres://…` or `sqlite:<file>`. */
  readonly databaseUrl: string;
  /** PostgreSQL schema holding this deployment's tables. */
  readonly databaseSchema: string;
  /** PostgreSQL connections this app's pool opens at most: as many commands as that run at once. */
  readonly databasePoolSize: number;
  /** `esdb://…` (or `esdb+discover://…` for a cluster): the event store on EventStoreDB; unset, it is in the database (the read models, ledger and audit stay there either way). */
  readonly eventStoreUrl?: string;
  /** Kafka bootstrap brokers; none selects the in-process bus (only for all apps in one process). */
  readonly kafkaBrokers: readonly string[];
  /** Prepended to every topic and consumer group name, so deployments can share a cluster. */
  readonly topicNamespace: string;
  /** How the exchange creates topics on the broker. */
  readonly topicSettings: TopicSettings;
  /** The broker principal this app signs its Kafka tokens for; the app's client id when unset. */
  readonly kafkaPrincipal?: string;
  /** The exchange's Kafka token signing key and what the broker expects of a token (the exchange's apps only). */
  readonly kafkaTokens?: KafkaTokenIssuer;
  /** Where an agency connector (the inbox run on its own) reaches the exchange's HTTP API. */
  readonly exchangeUrl?: string;
  /** The inbox agency's own credential: a connector authenticates with it, over HTTP and (through tokens) Kafka. */
  readonly inboxAgencyCredential?: string;
  /** The agency whose topics the inbox app consumes and whose caseworkers it serves. */
  readonly inboxAgencyId: string;
  /** The least severe level logged: error, warn, log or debug. */
  readonly logLevel: LogThreshold;
  /** Register the demo agencies and publish the demo policies at start; the demo's public secrets stand in for unset ones. */
  readonly seedDemo: boolean;
  /** SHA-256 (hex) of the exchange administrators' bearer token. */
  readonly adminTokenSha256: string;
  /** The master secret each recipient's pseudonym key is derived from, and the id of the key in use. */
  readonly pseudonymSecret: string;
  readonly pseudonymKeyId: string;
  /** How long a relay's lease lasts; a standby takes over at most this long after the active relay dies. */
  readonly relayLeaseMs: number;
  /** Requests one credential may make per window. */
  readonly credentialRateLimit: WindowLimit;
  /** Failed authentications one client address may make per window before it is turned away until the window ends. */
  readonly authFailureLimit: WindowLimit;
  /** The longest a victim's consent may run, in days: VAWA asks for a reasonably time-limited one. */
  readonly consentMaxDays: number;
  /** Where and how the relay anchors the disclosure ledger's head outside the database; off without a key, or without a file for a database that is not an SQLite file. */
  readonly ledgerAnchoring?: LedgerAnchoring;
}

/** The relay signs the ledger's head every `intervalMs` and appends it to `file`; verification checks the chain still reaches it. */
export interface LedgerAnchoring {
  readonly key: AnchorKey;
  readonly file: string;
  readonly intervalMs: number;
}

/** At most `limit` in a window of `windowSeconds`. */
export interface WindowLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

export const RUNTIME_CONFIG = Symbol('RuntimeConfig');

export const DEFAULT_SQLITE_URL = 'sqlite:data/crescent.sqlite';
const DEMO_PSEUDONYM_SECRET = 'crescent-demo-pseudonym-secret';
const DEMO_LEDGER_ANCHOR_SECRET = 'crescent-demo-ledger-anchor-secret';

/**
 * An agency connector holds none of the exchange's secrets: for it they stay empty (an empty
 * administrators' hash admits nobody) and it needs its agency's credential instead.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, role: 'exchange' | 'connector' = 'exchange'): RuntimeConfig {
  const seedDemo = oneOf(env.SEED_DEMO ?? 'false', ['true', 'false'], 'SEED_DEMO') === 'true';
  // Demo secrets are public: they may stand in only when the demo was asked for, never by default.
  const secret = (name: string, demoValue: string): string => {
    const value = env[name];
    if (value) return value;
    if (seedDemo) return demoValue;
    throw new Error(`${name} must be set (or SEED_DEMO=true for the demo)`);
  };
  return {
    // 0: any free port (tests).
    port: wholeNumber(env.PORT ?? '3000', 'PORT', 0, 65_535),
    host: env.HOST ?? '127.0.0.1',
    ...loadDatabaseConfig(env),
    eventStoreUrl: eventStoreUrl(env.EVENT_STORE_URL),
    kafkaBrokers: brokers(env.KAFKA_BROKERS ?? ''),
    topicNamespace: topicNamespace(env.TOPIC_NAMESPACE ?? ''),
    topicSettings: {
      partitions: wholeNumber(env.KAFKA_TOPIC_PARTITIONS ?? String(DEFAULT_TOPIC_SETTINGS.partitions), 'KAFKA_TOPIC_PARTITIONS', 1, 1000),
      replicationFactor: env.KAFKA_REPLICATION_FACTOR
        ? wholeNumber(env.KAFKA_REPLICATION_FACTOR, 'KAFKA_REPLICATION_FACTOR', 1, 16)
        : DEFAULT_TOPIC_SETTINGS.replicationFactor,
      retractionLagMs: wholeNumber(env.KAFKA_RETRACTION_LAG_MS ?? String(DEFAULT_TOPIC_SETTINGS.retractionLagMs), 'KAFKA_RETRACTION_LAG_MS', 1),
    },
    kafkaPrincipal: env.KAFKA_PRINCIPAL,
    kafkaTokens: role === 'connector' ? undefined : kafkaTokensFrom(env),
    exchangeUrl: env.EXCHANGE_URL,
    // The demo's inbox sends its caseworkers' steps to intake with the demo agency's public token.
    inboxAgencyCredential: env.INBOX_AGENCY_CREDENTIAL ?? (seedDemo ? DEMO_AGENCIES.find(({ agency }) => agency.id === (env.INBOX_AGENCY_ID ?? DEMO_INBOX_AGENCY_ID))?.token : undefined),
    inboxAgencyId: env.INBOX_AGENCY_ID ?? DEMO_INBOX_AGENCY_ID,
    logLevel: oneOf(env.LOG_LEVEL ?? 'log', LOG_THRESHOLDS, 'LOG_LEVEL'),
    seedDemo,
    adminTokenSha256: role === 'connector' ? '' : asSha256Hex(secret('ADMIN_TOKEN_SHA256', sha256Hex(DEMO_ADMIN_TOKEN)), 'ADMIN_TOKEN_SHA256'),
    pseudonymSecret: role === 'connector' ? '' : secret('PSEUDONYM_SECRET', DEMO_PSEUDONYM_SECRET),
    pseudonymKeyId: nonEmpty(env.PSEUDONYM_KEY_ID ?? 'k1', 'PSEUDONYM_KEY_ID'),
    // Renewed every third of it: under a second the relay would do little but renew; over ten minutes a dead one stalls every delivery that long.
    relayLeaseMs: wholeNumber(env.RELAY_LEASE_MS ?? '10000', 'RELAY_LEASE_MS', 1000, 600_000),
    credentialRateLimit: {
      limit: wholeNumber(env.RATE_LIMIT_PER_CREDENTIAL ?? '600', 'RATE_LIMIT_PER_CREDENTIAL', 1),
      windowSeconds: wholeNumber(env.RATE_LIMIT_WINDOW_SECONDS ?? '60', 'RATE_LIMIT_WINDOW_SECONDS', 1),
    },
    authFailureLimit: {
      limit: wholeNumber(env.AUTH_FAILURE_LIMIT ?? '10', 'AUTH_FAILURE_LIMIT', 1),
      windowSeconds: wholeNumber(env.AUTH_FAILURE_WINDOW_SECONDS ?? '900', 'AUTH_FAILURE_WINDOW_SECONDS', 1),
    },
    // VAWA asks for a reasonably time-limited consent: five years is already long.
    consentMaxDays: wholeNumber(env.CONSENT_MAX_DAYS ?? '365', 'CONSENT_MAX_DAYS', 1, 1826),
    ledgerAnchoring: role === 'connector' ? undefined : loadLedgerAnchoring(env),
  };
}

/** The ledger's anchoring: what the relay writes with, and what `npm run ledger:verify` checks against. */
export function loadLedgerAnchoring(env: NodeJS.ProcessEnv = process.env): LedgerAnchoring | undefined {
  const secret = env.LEDGER_ANCHOR_SECRET || (env.SEED_DEMO === 'true' ? DEMO_LEDGER_ANCHOR_SECRET : undefined);
  // Beside an SQLite file by default; a shared database's anchors go where the deployment says.
  const sqliteFile = /^sqlite:(?!:memory:)(.+)$/.exec(loadDatabaseConfig(env).databaseUrl)?.[1];
  const file = env.LEDGER_ANCHOR_FILE ?? (sqliteFile && `${sqliteFile}.ledger-anchors.jsonl`);
  if (!secret || !file) return undefined;
  return {
    key: { keyId: nonEmpty(env.LEDGER_ANCHOR_KEY_ID ?? 'a1', 'LEDGER_ANCHOR_KEY_ID'), secret },
    file: nonEmpty(file, 'LEDGER_ANCHOR_FILE'),
    intervalMs: wholeNumber(env.LEDGER_ANCHOR_INTERVAL_MS ?? '60000', 'LEDGER_ANCHOR_INTERVAL_MS', 100, 3_600_000),
  };
}

/** The signing key comes from a file (mode 0600, or a mounted secret), never from the environment itself. */
export function kafkaTokensFrom(env: NodeJS.ProcessEnv): KafkaTokenIssuer | undefined {
  const keyFile = env.KAFKA_TOKEN_SIGNING_KEY_FILE;
  if (!keyFile) return undefined;
  return {
    signingKeyPem: readFileSync(keyFile, 'utf8'),
    keyId: env.KAFKA_TOKEN_KEY_ID ?? required('KAFKA_TOKEN_KEY_ID', 'with KAFKA_TOKEN_SIGNING_KEY_FILE'),
    issuer: env.KAFKA_TOKEN_ISSUER ?? 'crescent-exchange',
    audience: env.KAFKA_TOKEN_AUDIENCE ?? 'crescent-kafka',
    ttlSeconds: wholeNumber(env.KAFKA_TOKEN_TTL_SECONDS ?? '300', 'KAFKA_TOKEN_TTL_SECONDS', 30, 86_400),
  };
}

function required(name: string, when: string): never {
  throw new Error(`${name} must be set ${when}`);
}

/** Where the deployment's tables are: all that a tool reading them needs, without the apps' secrets. */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): Pick<RuntimeConfig, 'databaseUrl' | 'databaseSchema' | 'databasePoolSize'> {
  const databaseUrl = env.DATABASE_URL ?? DEFAULT_SQLITE_URL;
  // The URL may hold a password: it is not repeated.
  if (!/^(postgres(ql)?:\/\/|sqlite:)/.test(databaseUrl)) throw new Error('DATABASE_URL must start with postgres:// or sqlite:');
  const databaseSchema = env.DATABASE_SCHEMA ?? 'public';
  // Interpolated into search_path: an identifier, nothing else.
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(databaseSchema)) throw new Error('DATABASE_SCHEMA must be a plain identifier (letters, digits, "_")');
  const databasePoolSize = wholeNumber(env.DATABASE_POOL_SIZE ?? '10', 'DATABASE_POOL_SIZE', 1, 1_000);
  return { databaseUrl, databaseSchema, databasePoolSize };
}

/** A setting that is a count or a duration: a whole number within what makes sense for it, or the app does not start. */
function wholeNumber(value: string, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const parsed = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed)) throw new Error(`${name} must be a whole number, got "${value}"`);
  if (parsed < min) throw new Error(`${name} must be at least ${min}`);
  if (parsed > max) throw new Error(`${name} must be at most ${max}`);
  return parsed;
}

function nonEmpty(value: string, name: string): string {
  if (!value.trim()) throw new Error(`${name} must not be empty`);
  return value;
}

/** `host:port,host:port`: a typo here would otherwise surface as a broker that never answers. */
function brokers(value: string): string[] {
  const list = value.split(',').map((broker) => broker.trim()).filter(Boolean);
  for (const broker of list) {
    const port = /^[A-Za-z0-9.-]+:(\d+)$/.exec(broker)?.[1];
    if (port === undefined || Number(port) < 1 || Number(port) > 65_535) throw new Error(`KAFKA_BROKERS must list host:port pairs, got "${broker}"`);
  }
  return list;
}

/** EventStoreDB's connection strings, as @eventstore/db-client takes them; the URL is not repeated, it may hold a password. */
function eventStoreUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^esdb(\+discover)?:\/\/./.test(value)) throw new Error('EVENT_STORE_URL must be an esdb:// or esdb+discover:// connection string');
  return value;
}

/** It prefixes topic and group names: only what Kafka allows in a topic name. */
function topicNamespace(value: string): string {
  if (!/^[A-Za-z0-9._-]{0,100}$/.test(value)) throw new Error('TOPIC_NAMESPACE may hold only letters, digits, ".", "_" and "-" (at most 100)');
  return value;
}

/** A malformed hash would silently lock every administrator out; the value itself is not repeated. */
function asSha256Hex(value: string, name: string): string {
  if (!/^[0-9a-f]{64}$/i.test(value)) throw new Error(`${name} must be a SHA-256 in hex (64 characters)`);
  return value;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value as T)) throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}
