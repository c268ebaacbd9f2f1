import { Logger } from '@nestjs/common';
import { EventStore, EventStoreDbEventStore, FeedHolder, SqlEventStore } from '@crescent/event-store';
import { SqlClient } from '@crescent/sql';
import { RuntimeConfig } from './config';

/** The exchange's event store: EventStoreDB when EVENT_STORE_URL names one, else the database's own tables. */
export function openEventStore(config: Pick<RuntimeConfig, 'eventStoreUrl'>, sql: SqlClient): Promise<EventStore> {
  return config.eventStoreUrl ? Promise.resolve(EventStoreDbEventStore.connect(config.eventStoreUrl)) : SqlEventStore.create(sql, { onHeldBack: reportHeldBack });
}

const logger = new Logger('event-store');

function reportHeldBack({ heldSeconds, transaction }: FeedHolder): void {
  const holder = transaction
    ? `an open transaction (pid ${transaction.pid}, application '${transaction.applicationName}', ${transaction.state}, open ${transaction.openSeconds} s)`
    : "an open transaction this database role cannot see (another role's, or one that has just ended)";
  logger.warn(`the feed has waited ${heldSeconds} s on ${holder}: events committed after it reach no subscriber until it ends`);
}
