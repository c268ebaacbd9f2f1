import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, Optional, Provider, Type } from '@nestjs/common';
import { CheckpointStore, EVENT_STORE, EventStore, EventStoreDbEventStore, LeaseStore } from '@crescent/event-store';
import { InProcessBus, KafkaBus, KafkaTokenSigner, MESSAGE_BUS, MessageBus } from '@crescent/messaging';
import { DisclosureLedger } from '@crescent/ledger';
import { AccessAudit } from '@crescent/audit';
import { SchemaMigration, SqlClient } from '@crescent/sql';
import { stopTracing } from '@crescent/observability';
import { DeadLetterStore } from './relay/dead-letter.store';
import { RUNTIME_CONFIG, RuntimeConfig } from './config';
import { AGENCY_DIRECTORY, AgencyDirectory, agencyDirectoryUsedBy, DirectoryFold } from './directory/agency-directory';
import { seedDemo } from './directory/demo-directory';
import { openEventStore } from './open-event-store';
import { PSEUDONYM_KEYS, pseudonymKeysFrom } from './pseudonym-keys';
import { HEALTH_PROBES, HealthController, HealthProbes } from './health/health.controller';
import { AgencyAuthGuard } from './http/agency-auth.guard';
import { AGENCY_AUTHENTICATOR } from './auth/agency-authenticator';
import { ExchangeClient } from './auth/exchange-client';
import { MetricsController } from './observability/metrics.controller';
import { RelayStatus } from './observability/relay-status';
import { openMigratedSqlClient, schemaMigrationsFor } from './schema-migrations';

export const SQL_CLIENT = Symbol('SqlClient');
/** The exchange's Kafka token signer, present when Kafka is configured. */
export const KAFKA_TOKEN_SIGNER = Symbol('KafkaTokenSigner');

/** The role of a process: the exchange itself, or one agency's connector (the inbox run on its own). */
export type RuntimeRole = 'exchange' | 'connector';

/** The infrastructure every app shares: one database client and bus per process; the exchange also has its store and directory. */
@Global()
@Module({})
export class RuntimeModule implements OnApplicationShutdown {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Optional() @Inject(AGENCY_DIRECTORY) private readonly directory?: AgencyDirectory,
    @Optional() @Inject(EVENT_STORE) private readonly store?: EventStore,
  ) {}

  /**
   * `migrations`: what the app's stores need; applied before any store is made, since each is made from SQL_CLIENT.
   * `directoryFold`: what of the feed its features need folded, when they authenticate agencies (an exchange app then keeps the agency directory).
   */
  static forRoot(config: RuntimeConfig, clientId: string, role: RuntimeRole, migrations: readonly SchemaMigration[], directoryFold: DirectoryFold | undefined): DynamicModule {
    const shared: Provider[] = [
      { provide: RUNTIME_CONFIG, useValue: config },
      { provide: SQL_CLIENT, useFactory: () => openMigratedSqlClient(config.databaseUrl, { schema: config.databaseSchema, poolSize: config.databasePoolSize, applicationName: clientId }, migrations) },
      // A connector audits the reads of its own users in its own database.
      { provide: AccessAudit, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => AccessAudit.create(sql) },
    ];
    const providers = role === 'exchange' ? exchangeProviders(config, clientId, directoryFold) : connectorProviders(config, clientId);
    return {
      module: RuntimeModule,
      controllers: [HealthController, MetricsController],
      providers: [...shared, ...providers],
      exports: [...shared, ...providers].map((provider) => ('provide' in provider ? provider.provide : provider)),
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.directory?.close();
    await this.bus.close();
    // A store in the database closes with it; EventStoreDB's client is its own connection.
    if (this.store instanceof EventStoreDbEventStore) await this.store.close();
    await this.sql.close();
    await stopTracing();
  }
}

function exchangeProviders(config: RuntimeConfig, clientId: string, directoryFold: DirectoryFold | undefined): Provider[] {
  if (config.kafkaBrokers.length > 0 && !config.kafkaTokens) {
    throw new Error('KAFKA_TOKEN_SIGNING_KEY_FILE must be set when KAFKA_BROKERS is: every Kafka client authenticates');
  }
  const principal = config.kafkaPrincipal ?? clientId;
  return [
    {
      provide: EVENT_STORE,
      inject: [SQL_CLIENT],
      useFactory: async (sql: SqlClient) => {
        const store = await openEventStore(config, sql);
        if (config.seedDemo) await seedDemo(store);
        return store;
      },
    },
    { provide: CheckpointStore, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => CheckpointStore.create(sql) },
    { provide: LeaseStore, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => LeaseStore.create(sql) },
    { provide: DisclosureLedger, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => DisclosureLedger.create(sql) },
    { provide: DeadLetterStore, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => DeadLetterStore.create(sql) },
    { provide: KAFKA_TOKEN_SIGNER, useFactory: () => (config.kafkaTokens ? new KafkaTokenSigner(config.kafkaTokens) : undefined) },
    {
      provide: MESSAGE_BUS,
      inject: [KAFKA_TOKEN_SIGNER],
      useFactory: (signer: KafkaTokenSigner | undefined): Promise<MessageBus> | MessageBus =>
        signer
          ? KafkaBus.connect({ brokers: config.kafkaBrokers, clientId, token: async () => signer.sign(principal), createsTopics: true, topics: config.topicSettings })
          : new InProcessBus(),
    },
    ...(directoryFold
      ? [
          { provide: AGENCY_DIRECTORY, inject: [EVENT_STORE], useFactory: (store: EventStore) => AgencyDirectory.open(store, directoryFold) },
          { provide: AGENCY_AUTHENTICATOR, useExisting: AGENCY_DIRECTORY },
          AgencyAuthGuard,
        ]
      : []),
    {
      provide: HEALTH_PROBES,
      inject: [EVENT_STORE, MESSAGE_BUS],
      useFactory: (store: EventStore, bus: MessageBus): HealthProbes => ({ eventStore: () => store.ping(), bus: () => bus.ping() }),
    },
    { provide: PSEUDONYM_KEYS, useFactory: () => pseudonymKeysFrom(config) },
    RelayStatus,
  ];
}

/** An agency connector holds its agency's credential and reaches the exchange only over HTTP and Kafka. */
function connectorProviders(config: RuntimeConfig, clientId: string): Provider[] {
  const { exchangeUrl, inboxAgencyCredential } = config;
  if (!exchangeUrl) throw new Error('EXCHANGE_URL must be set: a connector authenticates against the exchange');
  if (!inboxAgencyCredential) throw new Error("INBOX_AGENCY_CREDENTIAL must be set: a connector acts with its agency's credential");
  const exchange = new ExchangeClient(exchangeUrl, inboxAgencyCredential);
  return [
    { provide: AGENCY_AUTHENTICATOR, useValue: exchange },
    AgencyAuthGuard,
    {
      provide: MESSAGE_BUS,
      useFactory: (): Promise<MessageBus> | MessageBus =>
        config.kafkaBrokers.length > 0
          ? KafkaBus.connect({ brokers: config.kafkaBrokers, clientId, token: () => exchange.kafkaToken(), createsTopics: false, topics: config.topicSettings })
          : new InProcessBus(),
    },
    {
      provide: HEALTH_PROBES,
      inject: [SQL_CLIENT, MESSAGE_BUS],
      useFactory: (sql: SqlClient, bus: MessageBus): HealthProbes => ({ database: async () => void (await sql.query('SELECT 1')), bus: () => bus.ping() }),
    },
  ];
}

class CrescentRootModule {}

/** The root of one deployable: the shared runtime plus the feature modules it serves. */
export function crescentRootModule(
  config: RuntimeConfig,
  clientId: string,
  features: readonly (Type | DynamicModule)[],
  role: RuntimeRole = 'exchange',
): DynamicModule {
  return { module: CrescentRootModule, imports: [RuntimeModule.forRoot(config, clientId, role, schemaMigrationsFor(role, features), agencyDirectoryUsedBy(features)), ...features] };
}
