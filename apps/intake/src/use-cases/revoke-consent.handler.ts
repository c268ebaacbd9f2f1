import { CommandHandler } from '@nestjs/cqrs';
import { ConsentState, RevokeConsent } from '@crescent/domain';
import { Decidable, loadRecord, RecordWritten } from '@crescent/runtime';
import { ReasonDto } from '../commands/dto/shared.dto';
import { intakeCommand, IntakeCommandHandler } from '../commands/intake-command';
import { consentReferral } from './consent-referral';

/**
 * The recording agency, or the referral's addressee serving the victim, revokes a consent; the
 * relay then retracts what it released. Who may is decided on the consent's referral, read here.
 */
export class RevokeConsentCommand extends intakeCommand('RevokeConsent', 'consent', ReasonDto, 'changes') {}

@CommandHandler(RevokeConsentCommand)
export class RevokeConsentHandler extends IntakeCommandHandler<RevokeConsentCommand> {
  execute(command: RevokeConsentCommand): Promise<RecordWritten> {
    return this.write(command, async (consentId, { store }): Promise<Decidable<RevokeConsent>> => {
      const consent = (await loadRecord(store, 'consent', consentId)).state as ConsentState;
      const referral = consent.status === 'none' ? ({ status: 'none' } as const) : await consentReferral(store, consent.record.referralId);
      return { type: 'RevokeConsent', data: { consentId, ...command.body, referral } };
    });
  }
}
