import { Body, Controller, Get, HttpCode, Inject, Optional, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { Agency, DomainError, FEDERAL_DEPARTMENTS, FederalDepartment } from '@crescent/domain';
import { agencyPrincipal, KafkaTokenSigner } from '@crescent/messaging';
import {
  AGENCY_AUTH_PROBLEMS,
  AGENCY_AUTHENTICATOR,
  AgencyAuthenticator,
  AgencyAuthGuard,
  ApiProblems,
  CurrentAgency,
  KAFKA_TOKEN_SIGNER,
  RUNTIME_CONFIG,
  RuntimeConfig,
} from '@crescent/runtime';

export class AgencyIdentityDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() kind!: string;
  @ApiPropertyOptional({ enum: FEDERAL_DEPARTMENTS }) department?: FederalDepartment;
  @ApiProperty({ type: [String] }) jurisdiction!: string[];
}

export class KafkaTokenDto {
  @ApiProperty({ description: 'an OAUTHBEARER token (a JWT) for the broker; its subject is the principal' }) accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'seconds until the token expires; ask for a new one before then' }) expiresIn!: number;
  @ApiProperty({ description: "the agency's principal on the broker" }) principal!: string;
}

export class IntrospectionDto {
  @IsString() @MaxLength(512) @ApiProperty({ description: "a token one of the agency's users presented to its connector" }) token!: string;
}

export class IntrospectionResultDto {
  @ApiProperty({ description: "true only for a working token of the caller's own agency" }) active!: boolean;
  @ApiPropertyOptional({ type: AgencyIdentityDto }) agency?: AgencyIdentityDto;
}

/** What an agency's credential opens besides the record API: its identity, and its Kafka tokens. */
@Controller('v1/auth')
@UseGuards(AgencyAuthGuard)
@ApiTags('auth')
@ApiBearerAuth()
@ApiProblems(...AGENCY_AUTH_PROBLEMS)
export class AgencyAccessController {
  constructor(
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
    @Inject(AGENCY_AUTHENTICATOR) private readonly authenticator: AgencyAuthenticator,
    @Optional() @Inject(KAFKA_TOKEN_SIGNER) private readonly signer?: KafkaTokenSigner,
  ) {}

  /** The agency the credential belongs to. */
  @Get('agency')
  @ApiOperation({ summary: "Who the credential belongs to: the agency's identity and jurisdiction" })
  @ApiOkResponse({ type: AgencyIdentityDto })
  whoAmI(@CurrentAgency() agency: Agency): AgencyIdentityDto {
    return identity(agency);
  }

  /**
   * How a connector (the inbox) authenticates its users against the exchange (RFC 7662 in spirit):
   * it signs in with its own agency's credential and asks about a token its user presented. Only a
   * working token of that same agency is active, so a connector cannot probe other agencies' tokens,
   * and its users' wrong tokens do not count as the connector's own failed sign-ins.
   */
  @Post('introspection')
  @HttpCode(200)
  @ApiOperation({ summary: "Introspect a token a connector's user presented: active only for a working token of the caller's own agency" })
  @ApiOkResponse({ type: IntrospectionResultDto, description: 'active, with the agency; or inactive, with nothing more' })
  @ApiProblems([400, 'REQUEST.INVALID (token missing, not text, or over 512 characters)'])
  async introspect(@CurrentAgency() caller: Agency, @Body() body: IntrospectionDto): Promise<IntrospectionResultDto> {
    let holder: Agency | undefined;
    try {
      holder = await this.authenticator.authenticate(body.token);
    } catch (error) {
      // The directory refuses a suspended or revoked agency's token by throwing, synchronously: inactive all the same.
      if (!(error instanceof DomainError && error.kind === 'forbidden')) throw error;
    }
    return holder?.id === caller.id ? { active: true, agency: identity(holder) } : { active: false };
  }

  /**
   * A short-lived Kafka token for the agency's own principal. A credential that is rotated out,
   * suspended or revoked gets none, so its Kafka sessions end with their last token.
   */
  @Post('kafka-token')
  @HttpCode(201)
  @ApiOperation({ summary: "Issue a short-lived Kafka (OAUTHBEARER) token for the agency's own principal" })
  @ApiCreatedResponse({ type: KafkaTokenDto })
  @ApiProblems([404, 'KAFKA.NOT_CONFIGURED (this exchange runs without Kafka)'])
  kafkaToken(@CurrentAgency() agency: Agency): KafkaTokenDto {
    if (!this.signer) throw new DomainError('not-found', 'KAFKA.NOT_CONFIGURED', 'this exchange runs without Kafka');
    const principal = agencyPrincipal(this.config.topicNamespace, agency.id);
    return { accessToken: this.signer.sign(principal), tokenType: 'Bearer', expiresIn: this.signer.ttlSeconds, principal };
  }
}

function identity(agency: Agency): AgencyIdentityDto {
  return { id: agency.id, name: agency.name, kind: agency.kind, ...(agency.department ? { department: agency.department } : {}), jurisdiction: [...agency.jurisdiction] };
}
