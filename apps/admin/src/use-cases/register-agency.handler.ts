import { CommandHandler } from '@nestjs/cqrs';
import { sha256Hex } from '@crescent/runtime';
import { AgencyRegisteredDto, RegisterAgencyDto } from '../admin.dto';
import { AdminCommand, AdminCommandHandler } from './admin-command';
import { newAgencyToken } from './agency-token';

/** Registers an agency, active at once, and issues its API token: answered this once, as the exchange keeps only its hash. */
export class RegisterAgencyCommand extends AdminCommand<RegisterAgencyDto, AgencyRegisteredDto> {}

@CommandHandler(RegisterAgencyCommand)
export class RegisterAgencyHandler extends AdminCommandHandler<RegisterAgencyCommand> {
  async execute({ data }: RegisterAgencyCommand): Promise<AgencyRegisteredDto> {
    const token = newAgencyToken();
    await this.write('agency', data.agencyId, { type: 'RegisterAgency', data: { ...data, credentialSha256: sha256Hex(token) } });
    return { agencyId: data.agencyId, token };
  }
}
