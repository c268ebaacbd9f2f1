import { Module } from '@nestjs/common';
import { SqlClient } from '@crescent/sql';
import { SQL_CLIENT, WebUiModule } from '@crescent/runtime';
import { InboxConsumer } from './inbox.consumer';
import { InboxController } from './inbox.controller';
import { InboxStore } from './inbox.store';

/** The reference agency connector: one agency's topics in, its caseworkers' inbox out, and their web UI at /inbox/. */
@Module({
  imports: [WebUiModule.serve('inbox')],
  controllers: [InboxController],
  providers: [
    { provide: InboxStore, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => InboxStore.create(sql) },
    InboxConsumer,
  ],
})
export class InboxModule {}
