import { CanActivate, ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RuntimeConfig } from '../config';
import { sha256Hex } from '../directory/agency-directory';
import { bearerToken } from './bearer-token';
import { FixedWindowLimiter } from './fixed-window-limiter';

/** A request turned away for a while: answered 429 with Retry-After. */
export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/**
 * Runs before each route's own guard, on requests that present credentials. An address that has
 * failed to authenticate too often is turned away, right token or not, until its window ends. Every
 * bearer token counts against its own limit, keyed by its hash so no token is kept; a wrong one too.
 * The counts live in this process: each instance of an app limits on its own.
 */
export class RateLimitGuard implements CanActivate {
  private readonly perCredential: FixedWindowLimiter;
  private readonly failuresPerAddress: FixedWindowLimiter;

  constructor(config: Pick<RuntimeConfig, 'credentialRateLimit' | 'authFailureLimit'>) {
    this.perCredential = new FixedWindowLimiter(config.credentialRateLimit);
    this.failuresPerAddress = new FixedWindowLimiter(config.authFailureLimit);
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const { authorization } = request.headers;
    if (authorization === undefined) return true;

    // The socket's peer, unless a deployment behind a proxy sets Express's 'trust proxy'.
    const address = request.ip ?? 'unknown';
    const lockedOut = this.failuresPerAddress.retryAfterSeconds(address);
    if (lockedOut !== undefined) throw new RateLimitedError('too many failed authentications from this address', lockedOut);
    const response = http.getResponse<Response>();
    response.once('close', () => {
      if (response.statusCode === 401) this.failuresPerAddress.count(address);
    });

    const token = bearerToken(authorization);
    if (token === undefined) return true;
    const credential = sha256Hex(token);
    const spent = this.perCredential.retryAfterSeconds(credential);
    if (spent !== undefined) throw new RateLimitedError('this credential has made too many requests', spent);
    this.perCredential.count(credential);
    return true;
  }
}
