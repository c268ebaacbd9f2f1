import { Injectable } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import { Agency, RecordCommand, RecordType } from '@crescent/domain';
import { RecordWritten } from '@crescent/runtime';
import { AgencyWriteSide, CommandSubmission, UseCaseStep } from './agency-write-side';

/** How one command reaches the write side: its record, its body's class, whether it creates the record, and its use case. */
export interface CommandRoute {
  readonly commandType: RecordCommand['type'];
  readonly recordType: RecordType;
  readonly dto: new () => object;
  readonly creates: boolean;
  /** The use case's own Nest command: its handler, in apps/intake/src/use-cases, is where the use case lives. */
  readonly command: new (submission: CommandSubmission) => IntakeCommand<object>;
}

/** An agency's command on Nest's command bus, whichever edge it came through, with the body its route validated. */
export abstract class IntakeCommand<Body extends object> extends Command<RecordWritten> {
  readonly agency: Agency;
  readonly body: Body;

  constructor(readonly submission: CommandSubmission) {
    super();
    this.agency = submission.agency;
    // The edge validated the body against the route's DTO, the class this command was made for.
    this.body = submission.body as Body;
  }
}

/**
 * The base of one use case's command class: the command type it carries, the record it writes, the
 * class its body is validated against, and whether it creates the record (then it names none).
 */
export function intakeCommand<Body extends object>(commandType: RecordCommand['type'], recordType: RecordType, dto: new () => Body, creates: 'creates' | 'changes') {
  abstract class UseCaseCommand extends IntakeCommand<Body> {
    static readonly route = { commandType, recordType, dto, creates: creates === 'creates' } as const;
  }
  return UseCaseCommand;
}

/** The handler of one use case: its own lookups and data, between the steps every agency command shares. */
@Injectable()
export abstract class IntakeCommandHandler<Submitted extends IntakeCommand<object>> {
  constructor(private readonly writeSide: AgencyWriteSide) {}

  abstract execute(command: Submitted): Promise<RecordWritten>;

  /** Idempotency, the record's id (new on a create), the use case's step, then load, decide and append as the agency saw the record. */
  protected write(command: Submitted, step: UseCaseStep): Promise<RecordWritten> {
    return this.writeSide.write(command.submission, step);
  }
}
