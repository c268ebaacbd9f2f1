import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import {
  decideVictimReferral,
  DomainError,
  evolveVictimReferral,
  initialVictimReferralState,
  readVictimReferralEvent,
  SerializedEvent,
  VictimReferralEvent,
  victimReferralStreamId,
} from '@crescent/domain';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '@crescent/event-store';
import { AGENCY_DIRECTORY, AgencyDirectory } from '@crescent/runtime';
import { HandleVictimReferralCommand, RecordWritten } from './record-command';

/** Read the stream, decide, append at the revision read; one retry when another writer got there first. */
@CommandHandler(HandleVictimReferralCommand)
export class VictimReferralCommandHandler implements ICommandHandler<HandleVictimReferralCommand, RecordWritten> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
  ) {}

  async execute(request: HandleVictimReferralCommand): Promise<RecordWritten> {
    this.assertAddressee(request);
    try {
      return await this.decideAndAppend(request);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      return this.decideAndAppend(request);
    }
  }

  private async decideAndAppend({ recordId, command }: HandleVictimReferralCommand): Promise<RecordWritten> {
    const streamId = victimReferralStreamId(recordId);
    const history = await this.store.readStream(streamId);
    const state = history.map(toReferralEvent).reduce(evolveVictimReferral, initialVictimReferralState);
    const events = decideVictimReferral(command, state);
    const expected = history.length === 0 ? 'no-stream' : history.length - 1;
    const { nextExpectedRevision } = await this.store.append(
      streamId,
      events.map((event) => ({ id: randomUUID(), ...event })),
      expected,
    );
    return { recordId, version: nextExpectedRevision + 1 };
  }

  private assertAddressee({ command }: HandleVictimReferralCommand): void {
    const addressee = this.directory.find(command.data.referredToAgencyId);
    if (addressee?.kind !== 'victim-service-provider') {
      throw new DomainError('validation', 'REFERRAL.UNKNOWN_ADDRESSEE', 'referredToAgencyId names no victim service provider in the exchange');
    }
  }
}

function toReferralEvent(stored: SerializedEvent): VictimReferralEvent {
  const event = readVictimReferralEvent(stored);
  if (!event) throw new Error(`a referral stream holds an unreadable ${stored.type} event`);
  return event;
}
