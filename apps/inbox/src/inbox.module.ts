import { Module } from '@nestjs/common';
import { SqlClient } from '@crescent/sql';
import { SQL_CLIENT } from '@crescent/runtime';
import { InboxConsumer } from './inbox.consumer';
import { InboxController } from './inbox.controller';
import { InboxStore } from './inbox.store';

/** The reference agency connector: one agency's topics in, its caseworkers' inbox out. */
@Module({
  controllers: [InboxController],
  providers: [
    { provide: InboxStore, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => InboxStore.create(sql) },
    InboxConsumer,
  ],
})
export class InboxModule {}
