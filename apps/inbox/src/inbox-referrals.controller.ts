import { applyDecorators, Body, Controller, Get, HttpCode, Inject, MessageEvent, Optional, Param, Post, Query, Sse, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { DomainError } from '@crescent/domain';
import { CurrentPersonSession, PersonSession, sessionCookieName } from '@crescent/people';
import { AGENCY_DIRECTORY, AgencyDirectory, ApiProblems, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';
import { InboxAccessGuard } from './inbox-access.guard';
import { INBOX_ACCESS_PROBLEMS } from './inbox-problems';
import { inboxDetail, inboxItem, SenderNames } from './inbox-view';
import { InboxStore } from './inbox.store';
import { AskDto, CommandAcceptedDto, DeclineDto, InboxDetailDto, InboxPageDto, InboxQueryDto, NewConsentDto, RevocationDto } from './inbox-referrals.dto';
import { IntakeClient } from './intake-client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ID_PARAM = ApiParam({ name: 'id', description: 'an id this inbox never received is a 404, whoever holds it', schema: { type: 'string', format: 'uuid' } });

/** A caseworker's step on one referral, sent through intake: its route and what it documents. */
function CaseworkerStep(step: string, summary: string): MethodDecorator {
  return applyDecorators(
    Post(`referrals/:id/${step}`),
    HttpCode(200),
    ID_PARAM,
    ApiOperation({ summary }),
    ApiOkResponse({ type: CommandAcceptedDto }),
    ApiProblems(...INBOX_ACCESS_PROBLEMS, ...INTAKE_PROBLEMS),
  );
}
/** What intake may refuse a step with, passed on as it answered. */
const INTAKE_PROBLEMS = [
  [400, 'REQUEST.INVALID, and the command\'s own validation codes, as intake answers them'],
  [404, 'INBOX.REFERRAL_NOT_FOUND (not a referral this inbox received), INBOX.CONSENT_NOT_FOUND'],
  [409, 'RECORD.VERSION_CONFLICT'],
  [422, "the referral's or consent's lifecycle codes, as intake answers them (REFERRAL.ALREADY_ACCEPTED, …), INBOX.NO_AGENCY_CREDENTIAL"],
] as const;

/**
 * The caseworkers' inbox: the referrals the agency received, a page at a time, one in detail, and
 * each step they take on one, sent to intake under their name. Reads also take the agency's own token.
 */
@Controller('v1/inbox')
@UseGuards(InboxAccessGuard)
@ApiTags('inbox')
@ApiCookieAuth(sessionCookieName('inbox'))
export class InboxReferralsController {
  private readonly senderNames: SenderNames;

  constructor(
    private readonly inbox: InboxStore,
    private readonly intake: IntakeClient,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
    // Inside the exchange the inbox knows every agency's name; on its own it knows their ids only.
    @Optional() @Inject(AGENCY_DIRECTORY) directory?: AgencyDirectory,
  ) {
    this.senderNames = (agencyId) => directory?.find(agencyId)?.name;
  }

  @Get('referrals')
  @ApiOperation({ summary: 'A page of the referrals this agency received, filtered, sorted, with the count of each status' })
  @ApiOkResponse({ type: InboxPageDto, description: 'the page; a retracted referral shows with retracted: true and no data' })
  @ApiProblems([400, 'REQUEST.INVALID'], ...INBOX_ACCESS_PROBLEMS)
  async list(@Query() query: InboxQueryDto): Promise<InboxPageDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const found = await this.inbox.query(this.config.inboxAgencyId, {
      status: query.status,
      receivedFrom: query.receivedFrom && new Date(query.receivedFrom).toISOString(),
      receivedTo: query.receivedTo && new Date(query.receivedTo).toISOString(),
      text: query.q,
      newestFirst: query.sort !== 'receivedAt',
      page,
      pageSize,
    });
    return { items: found.items.map((item) => inboxItem(item, this.senderNames)), total: found.total, page, pageSize, counts: found.counts };
  }

  @Get('referrals/:id')
  @ID_PARAM
  @ApiOperation({ summary: 'One referral this agency received: all it received of it, its status history, retractions, questions and consents' })
  @ApiOkResponse({ type: InboxDetailDto })
  @ApiProblems(...INBOX_ACCESS_PROBLEMS, [404, 'INBOX.REFERRAL_NOT_FOUND (never received here: another agency\'s referral answers the same)'])
  async detail(@Param('id') id: string): Promise<InboxDetailDto> {
    const detail = UUID.test(id) ? await this.inbox.detail(this.config.inboxAgencyId, id) : undefined;
    if (!detail) throw referralNotFound();
    return inboxDetail(detail, this.senderNames);
  }

  @CaseworkerStep('acknowledgement', 'Acknowledge a referral (a caseworker, through intake)')
  acknowledge(@CurrentPersonSession() session: PersonSession, @Param('id') id: string): Promise<CommandAcceptedDto> {
    return this.step(session, id, 'acknowledgement', {});
  }

  @CaseworkerStep('acceptance', 'Accept a referral (a caseworker, through intake)')
  accept(@CurrentPersonSession() session: PersonSession, @Param('id') id: string): Promise<CommandAcceptedDto> {
    return this.step(session, id, 'acceptance', {});
  }

  @CaseworkerStep('decline', 'Decline a referral with a reason (a caseworker, through intake)')
  decline(@CurrentPersonSession() session: PersonSession, @Param('id') id: string, @Body() body: DeclineDto): Promise<CommandAcceptedDto> {
    return this.step(session, id, 'decline', { reason: body.reason });
  }

  @CaseworkerStep('questions', 'Ask the referring agency a question about a referral (a caseworker, through intake)')
  ask(@CurrentPersonSession() session: PersonSession, @Param('id') id: string, @Body() body: AskDto): Promise<CommandAcceptedDto> {
    return this.step(session, id, 'information-requests', { question: body.question });
  }

  @Post('referrals/:id/consents')
  @HttpCode(201)
  @ID_PARAM
  @ApiOperation({ summary: "Record the victim's written, informed consent to release her information (a caseworker, through intake)" })
  @ApiCreatedResponse({ type: CommandAcceptedDto, description: 'the consent: recordId is its consentId' })
  @ApiProblems(...INBOX_ACCESS_PROBLEMS, ...INTAKE_PROBLEMS)
  async recordConsent(@CurrentPersonSession() session: PersonSession, @Param('id') id: string, @Body() body: NewConsentDto): Promise<CommandAcceptedDto> {
    const held = await this.held(id);
    const victim = (held.referral.victim ?? {}) as { isMinor?: unknown };
    const { recipients, purposes, fields, expiresAt, guardian } = body;
    // The caseworker records what she gave in writing, informed: the exchange asks for both.
    const consent = {
      referralId: id,
      victimIsMinor: victim.isMinor === true || guardian !== undefined,
      ...(guardian ? { guardian: { name: guardian.name, relationship: guardian.relationship } } : {}),
      recipientAgencyIds: recipients,
      purposes,
      fields,
      written: true,
      informed: true,
      expiresAt,
    };
    const accepted = await this.intake.send('/v1/consents', consent, session.person);
    await this.inbox.recordConsent(this.config.inboxAgencyId, id, { consentId: accepted.recordId, recipients, purposes, fields, expiresAt, recordedAt: new Date().toISOString() });
    return accepted;
  }

  @Post('consents/:id/revocation')
  @HttpCode(200)
  @ApiParam({ name: 'id', description: 'a consent this inbox recorded; any other is a 404', schema: { type: 'string', format: 'uuid' } })
  @ApiOperation({ summary: "Revoke a consent this inbox recorded, with a reason (a caseworker, through intake)" })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(...INBOX_ACCESS_PROBLEMS, ...INTAKE_PROBLEMS)
  async revokeConsent(@CurrentPersonSession() session: PersonSession, @Param('id') id: string, @Body() body: RevocationDto): Promise<CommandAcceptedDto> {
    const referralId = UUID.test(id) ? await this.inbox.referralOfConsent(this.config.inboxAgencyId, id) : undefined;
    if (!referralId) throw new DomainError('not-found', 'INBOX.CONSENT_NOT_FOUND', 'this inbox recorded no such consent');
    const accepted = await this.intake.send(`/v1/consents/${id}/revocation`, { reason: body.reason }, session.person);
    await this.inbox.revokeConsent(this.config.inboxAgencyId, id, new Date().toISOString());
    return accepted;
  }

  @Sse('stream')
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Server-sent events: a `referral` event, data `{ referralId }` only, whenever the inbox stores or changes a referral' })
  @ApiOkResponse({ description: 'an endless text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiProblems(...INBOX_ACCESS_PROBLEMS)
  stream(): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) =>
      this.inbox.onChange(({ agencyId, referralId }) => {
        // The id alone: a caseworker's page reads the rest through the detail, behind the same guard.
        if (agencyId === this.config.inboxAgencyId) subscriber.next({ type: 'referral', data: { referralId } });
      }),
    );
  }

  private async step(session: PersonSession, referralId: string, route: string, body: object): Promise<CommandAcceptedDto> {
    await this.held(referralId);
    return this.intake.send(`/v1/referrals/${referralId}/${route}`, body, session.person);
  }

  /** The referral, when this inbox received it; any other id answers as one that does not exist. */
  private async held(referralId: string) {
    const detail = UUID.test(referralId) ? await this.inbox.detail(this.config.inboxAgencyId, referralId) : undefined;
    if (!detail) throw referralNotFound();
    return detail;
  }
}

function referralNotFound(): DomainError {
  return new DomainError('not-found', 'INBOX.REFERRAL_NOT_FOUND', 'this inbox received no such referral');
}
