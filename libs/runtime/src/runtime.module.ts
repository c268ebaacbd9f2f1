import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, Type } from '@nestjs/common';
import { CheckpointStore, EVENT_STORE, EventStore, LeaseStore, SqlEventStore } from '@crescent/event-store';
import { InProcessBus, KafkaBus, MESSAGE_BUS, MessageBus } from '@crescent/messaging';
import { DisclosureLedger } from '@crescent/ledger';
import { AccessAudit } from '@crescent/audit';
import { openSqlClient, SqlClient } from '@crescent/sql';
import { DeadLetterStore } from './relay/dead-letter.store';
import { RUNTIME_CONFIG, RuntimeConfig } from './config';
import { AGENCY_DIRECTORY, AgencyDirectory } from './directory/agency-directory';
import { seedDemo } from './directory/demo-directory';
import { PSEUDONYM_KEYS, pseudonymKeysFrom } from './pseudonym-keys';
import { HealthController } from './health/health.controller';
import { AgencyAuthGuard } from './http/agency-auth.guard';

export const SQL_CLIENT = Symbol('SqlClient');

/** The infrastructure every app shares: one database client, event store, bus and directory per process. */
@Global()
@Module({})
export class RuntimeModule implements OnApplicationShutdown {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
  ) {}

  static forRoot(config: RuntimeConfig, clientId: string): DynamicModule {
    return {
      module: RuntimeModule,
      controllers: [HealthController],
      providers: [
        { provide: RUNTIME_CONFIG, useValue: config },
        { provide: SQL_CLIENT, useFactory: () => openSqlClient(config.databaseUrl, config.databaseSchema) },
        { provide: EVENT_STORE, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => SqlEventStore.create(sql) },
        { provide: CheckpointStore, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => CheckpointStore.create(sql) },
        { provide: LeaseStore, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => LeaseStore.create(sql) },
        { provide: DisclosureLedger, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => DisclosureLedger.create(sql) },
        { provide: AccessAudit, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => AccessAudit.create(sql) },
        { provide: DeadLetterStore, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => DeadLetterStore.create(sql) },
        {
          provide: MESSAGE_BUS,
          useFactory: (): Promise<MessageBus> | MessageBus =>
            config.kafkaBrokers.length > 0
              ? KafkaBus.connect({ brokers: config.kafkaBrokers, clientId })
              : new InProcessBus(),
        },
        {
          provide: AGENCY_DIRECTORY,
          inject: [EVENT_STORE],
          useFactory: async (store: EventStore) => {
            if (config.seedDemo) await seedDemo(store);
            return AgencyDirectory.open(store);
          },
        },
        { provide: PSEUDONYM_KEYS, useFactory: () => pseudonymKeysFrom(config) },
        AgencyAuthGuard,
      ],
      exports: [RUNTIME_CONFIG, SQL_CLIENT, EVENT_STORE, CheckpointStore, LeaseStore, DisclosureLedger, AccessAudit, DeadLetterStore, MESSAGE_BUS, AGENCY_DIRECTORY, PSEUDONYM_KEYS, AgencyAuthGuard],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.directory.close();
    await this.bus.close();
    await this.sql.close();
  }
}

class CrescentRootModule {}

/** The root of one deployable: the shared runtime plus the feature modules it serves. */
export function crescentRootModule(
  config: RuntimeConfig,
  clientId: string,
  features: readonly (Type | DynamicModule)[],
): DynamicModule {
  return { module: CrescentRootModule, imports: [RuntimeModule.forRoot(config, clientId), ...features] };
}
