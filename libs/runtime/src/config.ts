import { readFileSync } from 'node:fs';
import { DEFAULT_TOPIC_SETTINGS, KafkaTokenIssuer, TopicSettings } from '@crescent/messaging';
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
  readonly logLevel: LogLevel;
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
}

/** At most `limit` in a window of `windowSeconds`. */
export interface WindowLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

const LOG_LEVELS = ['error', 'warn', 'log', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Nest takes the levels to print, not a threshold. */
export function levelsFrom(threshold: LogLevel): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(threshold) + 1);
}

export const RUNTIME_CONFIG = Symbol('RuntimeConfig');

export const DEFAULT_SQLITE_URL = 'sqlite:data/crescent.sqlite';
const DEMO_PSEUDONYM_SECRET = 'crescent-demo-pseudonym-secret';

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
    port: positiveInteger(env.PORT ?? '3000', 'PORT'),
    host: env.HOST ?? '127.0.0.1',
    ...loadDatabaseConfig(env),
    kafkaBrokers: (env.KAFKA_BROKERS ?? '').split(',').map((broker) => broker.trim()).filter(Boolean),
    topicNamespace: env.TOPIC_NAMESPACE ?? '',
    topicSettings: {
      partitions: positiveInteger(env.KAFKA_TOPIC_PARTITIONS ?? String(DEFAULT_TOPIC_SETTINGS.partitions), 'KAFKA_TOPIC_PARTITIONS'),
      replicationFactor: env.KAFKA_REPLICATION_FACTOR
        ? positiveInteger(env.KAFKA_REPLICATION_FACTOR, 'KAFKA_REPLICATION_FACTOR')
        : DEFAULT_TOPIC_SETTINGS.replicationFactor,
      retractionLagMs: atLeastOne(env.KAFKA_RETRACTION_LAG_MS ?? String(DEFAULT_TOPIC_SETTINGS.retractionLagMs), 'KAFKA_RETRACTION_LAG_MS'),
    },
    kafkaPrincipal: env.KAFKA_PRINCIPAL,
    kafkaTokens: role === 'connector' ? undefined : kafkaTokensFrom(env),
    exchangeUrl: env.EXCHANGE_URL,
    // The demo's inbox sends its caseworkers' steps to intake with the demo agency's public token.
    inboxAgencyCredential: env.INBOX_AGENCY_CREDENTIAL ?? (seedDemo ? DEMO_AGENCIES.find(({ agency }) => agency.id === (env.INBOX_AGENCY_ID ?? DEMO_INBOX_AGENCY_ID))?.token : undefined),
    inboxAgencyId: env.INBOX_AGENCY_ID ?? DEMO_INBOX_AGENCY_ID,
    logLevel: oneOf(env.LOG_LEVEL ?? 'log', LOG_LEVELS, 'LOG_LEVEL'),
    seedDemo,
    adminTokenSha256: role === 'connector' ? '' : asSha256Hex(secret('ADMIN_TOKEN_SHA256', sha256Hex(DEMO_ADMIN_TOKEN)), 'ADMIN_TOKEN_SHA256'),
    pseudonymSecret: role === 'connector' ? '' : secret('PSEUDONYM_SECRET', DEMO_PSEUDONYM_SECRET),
    pseudonymKeyId: env.PSEUDONYM_KEY_ID ?? 'k1',
    relayLeaseMs: positiveInteger(env.RELAY_LEASE_MS ?? '10000', 'RELAY_LEASE_MS'),
    credentialRateLimit: {
      limit: atLeastOne(env.RATE_LIMIT_PER_CREDENTIAL ?? '600', 'RATE_LIMIT_PER_CREDENTIAL'),
      windowSeconds: atLeastOne(env.RATE_LIMIT_WINDOW_SECONDS ?? '60', 'RATE_LIMIT_WINDOW_SECONDS'),
    },
    authFailureLimit: {
      limit: atLeastOne(env.AUTH_FAILURE_LIMIT ?? '10', 'AUTH_FAILURE_LIMIT'),
      windowSeconds: atLeastOne(env.AUTH_FAILURE_WINDOW_SECONDS ?? '900', 'AUTH_FAILURE_WINDOW_SECONDS'),
    },
    consentMaxDays: atLeastOne(env.CONSENT_MAX_DAYS ?? '365', 'CONSENT_MAX_DAYS'),
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
    ttlSeconds: positiveInteger(env.KAFKA_TOKEN_TTL_SECONDS ?? '300', 'KAFKA_TOKEN_TTL_SECONDS'),
  };
}

function required(name: string, when: string): never {
  throw new Error(`${name} must be set ${when}`);
}

/** Where the deployment's tables are: all that a tool reading them needs, without the apps' secrets. */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): Pick<RuntimeConfig, 'databaseUrl' | 'databaseSchema'> {
  return { databaseUrl: env.DATABASE_URL ?? DEFAULT_SQLITE_URL, databaseSchema: env.DATABASE_SCHEMA ?? 'public' };
}

function positiveInteger(value: string, name: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return parsed;
}

function atLeastOne(value: string, name: string): number {
  const parsed = positiveInteger(value, name);
  if (parsed < 1) throw new Error(`${name} must be at least 1`);
  return parsed;
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
