import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RecordCommandHandler } from './record-command.handler';

/** The write side every app that changes records shares: one command handler for every record type. */
@Module({ imports: [CqrsModule], providers: [RecordCommandHandler], exports: [CqrsModule] })
export class RecordsModule {}
