import { CommandHandler } from '@nestjs/cqrs';
import { credentialGraceEnd } from '@crescent/domain';
import { sha256Hex } from '@crescent/runtime';
import { CredentialIssuedDto } from '../admin.dto';
import { AdminCommand, AdminCommandHandler } from './admin-command';
import { newAgencyToken } from './agency-token';

/** Issues an agency a new token, answered this once; its earlier tokens keep working for the grace given, counted from this write. */
export class RotateAgencyCredentialCommand extends AdminCommand<{ readonly agencyId: string; readonly graceSeconds: number }, CredentialIssuedDto> {}

@CommandHandler(RotateAgencyCredentialCommand)
export class RotateAgencyCredentialHandler extends AdminCommandHandler<RotateAgencyCredentialCommand> {
  async execute({ data: { agencyId, graceSeconds } }: RotateAgencyCredentialCommand): Promise<CredentialIssuedDto> {
    const token = newAgencyToken();
    const now = new Date().toISOString();
    await this.write('agency', agencyId, { type: 'RotateAgencyCredential', data: { agencyId, credentialSha256: sha256Hex(token), graceSeconds } }, now);
    return { agencyId, token, previousCredentialsValidUntil: credentialGraceEnd(now, graceSeconds) };
  }
}
