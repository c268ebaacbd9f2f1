import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DomainError } from '@crescent/domain';
import { CurrentPersonSession, PEOPLE_ACCOUNTS, PeopleAccounts, PersonDto, PersonSession, sessionCookieName } from '@crescent/people';
import { ApiProblems, IsPlainText, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';
import { InboxAccessGuard } from './inbox-access.guard';
import { INBOX_ACCESS_PROBLEMS } from './inbox-problems';

const INBOX_ROLES = ['caseworker', 'supervisor'] as const;

export class NewInboxPersonDto {
  @ApiProperty({ minLength: 3, maxLength: 100, pattern: '^[a-z0-9][a-z0-9._@-]{2,99}$', example: 'dana@shelter' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._@-]{2,99}$/)
  readonly username!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Dana Example' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @IsPlainText()
  readonly displayName!: string;

  @ApiProperty({ enum: INBOX_ROLES })
  @IsIn(INBOX_ROLES)
  readonly role!: (typeof INBOX_ROLES)[number];

  @ApiProperty({ minLength: 12, maxLength: 1000, format: 'password', description: 'the first password, which the supervisor passes on in person' })
  @IsString()
  @MinLength(12)
  @MaxLength(1000)
  readonly password!: string;
}

/** A supervisor of the inbox's agency opens accounts for its caseworkers: the agency knows its staff, the exchange does not. */
@Controller('v1/inbox/people')
@UseGuards(InboxAccessGuard)
@ApiTags('inbox')
@ApiCookieAuth(sessionCookieName('inbox'))
export class PeopleController {
  constructor(
    @Inject(PEOPLE_ACCOUNTS) private readonly accounts: PeopleAccounts,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Open an account for a caseworker or supervisor of the inbox's agency (a supervisor)" })
  @ApiCreatedResponse({ type: PersonDto, description: 'the account; its person signs in with the password given' })
  @ApiProblems([400, 'REQUEST.INVALID'], ...INBOX_ACCESS_PROBLEMS, [409, 'PERSON.USERNAME_TAKEN'])
  async add(@CurrentPersonSession() session: PersonSession, @Body() body: NewInboxPersonDto): Promise<PersonDto> {
    if (session.person.role !== 'supervisor') throw new DomainError('forbidden', 'PERSON.NOT_A_SUPERVISOR', 'only a supervisor opens accounts');
    return this.accounts.add({ ...body, agencyId: this.config.inboxAgencyId });
  }
}
