import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res, Type } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { markPerson } from '@crescent/audit';
import { DomainError } from '@crescent/domain';
import { ApiProblems } from '@crescent/runtime';
import type { Request, Response } from 'express';
import { BAD_CREDENTIALS, LOCKED, PeopleAccounts, PeopleRealm, PersonSession } from './people-accounts';
import { authenticateBySession, cookieValue, PersonRequest, sessionCookieName } from './person-session';
import { SESSION_ABSOLUTE_MS } from './sign-in-rules';
import { SessionDto, SignInDto } from './session.dto';

/** Where an app's people are and what it calls them: the realm's accounts are provided under this token. */
export const PEOPLE_ACCOUNTS = Symbol('PeopleAccounts');

const NO_SESSION = [401, 'AUTH.NO_SESSION (no session cookie, or its session ended or expired)'] as const;

/**
 * The sign-in routes of one app, the same for the inbox and the admin console: `POST` signs in,
 * `GET` tells who is signed in (and the CSRF token again, for a reloaded page), `DELETE` signs out.
 */
export function sessionController(realm: PeopleRealm, path: string): Type {
  const cookie = sessionCookieName(realm);
  const cookieFlags = 'HttpOnly; Secure; SameSite=Strict; Path=/';

  @Controller(path)
  @ApiTags(`${realm} session`)
  class SessionController {
    constructor(@Inject(PEOPLE_ACCOUNTS) private readonly accounts: PeopleAccounts) {}

    @Post()
    @HttpCode(201)
    @ApiOperation({ summary: `Sign in to the ${realm === 'inbox' ? 'inbox' : 'admin console'} with a username and password` })
    @ApiCreatedResponse({ type: SessionDto, description: `the person signed in; the session is in the ${cookie} cookie (HttpOnly, Secure, SameSite=Strict)` })
    @ApiProblems(
      [400, 'REQUEST.INVALID'],
      [401, `${BAD_CREDENTIALS} (an unknown username and a wrong password answer alike)`],
      [423, `${LOCKED} (five failed sign-ins in a row lock the username for 15 minutes)`],
    )
    async signIn(@Body() body: SignInDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionDto> {
      const { sessionId, ...session } = await this.accounts.signIn(body.username, body.password);
      markPerson(request, session.person.id);
      response.setHeader('Set-Cookie', `${cookie}=${sessionId}; ${cookieFlags}; Max-Age=${SESSION_ABSOLUTE_MS / 1000}`);
      return session;
    }

    @Get()
    @ApiCookieAuth(cookie)
    @ApiOperation({ summary: 'Who is signed in with this session cookie, and its CSRF token' })
    @ApiOkResponse({ type: SessionDto, description: 'the person signed in' })
    @ApiProblems(NO_SESSION)
    async current(@Req() request: PersonRequest): Promise<SessionDto> {
      return signedIn(await authenticateBySession(request, this.accounts, realm));
    }

    @Delete()
    @HttpCode(204)
    @ApiCookieAuth(cookie)
    @ApiOperation({ summary: 'Sign out: the session ends and its cookie is cleared' })
    @ApiNoContentResponse({ description: 'signed out' })
    @ApiProblems(NO_SESSION, [403, 'AUTH.CSRF (no X-CSRF-Token header, or not the session\'s)'])
    async signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
      signedIn(await authenticateBySession(request, this.accounts, realm));
      await this.accounts.end(cookieValue(request, cookie)!);
      response.setHeader('Set-Cookie', `${cookie}=; ${cookieFlags}; Max-Age=0`);
    }
  }
  // Each realm's class has a name of its own: the OpenAPI operation ids are made from it.
  Object.defineProperty(SessionController, 'name', { value: `${realm[0].toUpperCase()}${realm.slice(1)}SessionController` });
  return SessionController;
}

function signedIn(session: PersonSession | undefined): PersonSession {
  if (!session) throw new DomainError('unauthenticated', 'AUTH.NO_SESSION', 'sign in first');
  return session;
}
