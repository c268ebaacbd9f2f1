import { Command } from '@nestjs/cqrs';
import { VictimReferralCommand } from '@crescent/domain';

export interface RecordWritten {
  readonly recordId: string;
  /** The record's version after the write: what a later `If-Match` names. */
  readonly version: number;
}

/** Carries one domain command through Nest's command bus; routing inside is by the command's `type`. */
export class HandleVictimReferralCommand extends Command<RecordWritten> {
  constructor(
    readonly recordId: string,
    readonly command: VictimReferralCommand,
  ) {
    super();
  }
}
