import { Module } from '@nestjs/common';
import { SqlClient } from '@crescent/sql';
import { SQL_CLIENT, UsesSchema } from '@crescent/runtime';
import { RELAY_FACT_MIGRATIONS, RelayFactStore } from './relay-fact-store';
import { RelayService } from './relay.service';

/** Events out: the store's feed, projected per recipient, onto each recipient's topics. */
@UsesSchema(RELAY_FACT_MIGRATIONS)
@Module({ providers: [RelayService, { provide: RelayFactStore, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => RelayFactStore.create(sql) }] })
export class RelayModule {}
