import { CommandHandler } from '@nestjs/cqrs';
import { DomainError, RecordConsent } from '@crescent/domain';
import { Decidable, RecordWritten } from '@crescent/runtime';
import { RecordConsentDto } from '../commands/dto/consent.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';
import { consentReferral } from './consent-referral';

/**
 * The agency holding the victim's relationship records her written, informed, time-limited consent
 * (34 U.S.C. 12291(b)(2)). It is decided on her referral (who holds the relationship) and on how long
 * a consent may run here; it names only recipients of the exchange.
 */
export class RecordConsentCommand extends intakeCommand('RecordConsent', 'consent', RecordConsentDto, 'creates') {}

@CommandHandler(RecordConsentCommand)
export class RecordConsentHandler extends IntakeCommandHandler<RecordConsentCommand> {
  execute(command: RecordConsentCommand): Promise<RecordWritten> {
    const { body } = command;
    return this.write(command, async (consentId, { directory, store, consentMaxDays }): Promise<Decidable<RecordConsent>> => {
      if (!body.recipientAgencyIds.every((agencyId) => directory.find(agencyId))) {
        throw new DomainError('validation', 'CONSENT.UNKNOWN_RECIPIENT', 'recipientAgencyIds names an agency that is not in the exchange');
      }
      const referral = await consentReferral(store, body.referralId);
      return { type: 'RecordConsent', data: { consentId, ...body, referral, maxDays: consentMaxDays } };
    });
  }
}
