import { Controller, Get, HttpCode, Inject, Optional, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Agency, DomainError } from '@crescent/domain';
import { agencyPrincipal, KafkaTokenSigner } from '@crescent/messaging';
import { AgencyAuthGuard, CurrentAgency, KAFKA_TOKEN_SIGNER, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';

export class AgencyIdentityDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() dhsComponent!: boolean;
}

export class KafkaTokenDto {
  @ApiProperty({ description: 'an OAUTHBEARER token (a JWT) for the broker; its subject is the principal' }) accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'seconds until the token expires; ask for a new one before then' }) expiresIn!: number;
  @ApiProperty({ description: "the agency's principal on the broker" }) principal!: string;
}

/** What an agency's credential opens besides the record API: its identity, and its Kafka tokens. */
@Controller('v1/auth')
@UseGuards(AgencyAuthGuard)
@ApiTags('auth')
@ApiBearerAuth()
export class AgencyAccessController {
  constructor(
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
    @Optional() @Inject(KAFKA_TOKEN_SIGNER) private readonly signer?: KafkaTokenSigner,
  ) {}

  /** The agency the credential belongs to: how a connector (the inbox) authenticates its users against the exchange. */
  @Get('agency')
  @ApiOkResponse({ type: AgencyIdentityDto })
  whoAmI(@CurrentAgency() agency: Agency): AgencyIdentityDto {
    return { id: agency.id, name: agency.name, kind: agency.kind, dhsComponent: agency.dhsComponent };
  }

  /**
   * A short-lived Kafka token for the agency's own principal. A credential that is rotated out,
   * suspended or revoked gets none, so its Kafka sessions end with their last token.
   */
  @Post('kafka-token')
  @HttpCode(201)
  @ApiCreatedResponse({ type: KafkaTokenDto })
  kafkaToken(@CurrentAgency() agency: Agency): KafkaTokenDto {
    if (!this.signer) throw new DomainError('not-found', 'KAFKA.NOT_CONFIGURED', 'this exchange runs without Kafka');
    const principal = agencyPrincipal(this.config.topicNamespace, agency.id);
    return { accessToken: this.signer.sign(principal), tokenType: 'Bearer', expiresIn: this.signer.ttlSeconds, principal };
  }
}
