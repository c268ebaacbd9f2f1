import { DynamicModule, Inject, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '@crescent/domain';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The web UIs `npm run build` makes, each served by its app under `/<name>/`. */
export type WebUiName = 'inbox' | 'admin';

const WEB_UI_NAME = Symbol('WebUiName');

/**
 * Self only, no inline script or style: the bundles Vite builds need nothing else, and a script an
 * attacker slipped into a referral's text could not run. No framing, no form posting elsewhere.
 */
export const WEB_UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The folder holding the built UI: dist/apps/<name>/web under the repository root, from sources or from dist/. */
export function webUiDirectory(name: WebUiName): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'apps', name, 'web');
}

/**
 * Serves one built single-page UI: its hashed assets as files, every other path under the prefix as
 * its index.html, so a link to `/inbox/referrals/<id>` opens the page. Express middleware, not a
 * controller: no guard or Swagger entry belongs to static files.
 */
export function serveWebUi(name: WebUiName, root = webUiDirectory(name)): (request: Request, response: Response, next: NextFunction) => void {
  const prefix = `/${name}`;
  return (request, response, next) => {
    const path = request.originalUrl.split('?')[0];
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return next();
    if (path === prefix) return response.redirect(301, `${prefix}/`);
    response.setHeader('Content-Security-Policy', WEB_UI_CONTENT_SECURITY_POLICY);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    const asset = path.slice(prefix.length + 1);
    const file = asset.startsWith('assets/') ? asset : 'index.html';
    // sendFile refuses a path that climbs out of root; a missing asset is a 404 problem, not the page.
    response.sendFile(file, { root, dotfiles: 'deny' }, (error) => {
      if (!error || response.headersSent) return;
      next(
        file === 'index.html'
          ? new DomainError('not-found', 'UI.NOT_BUILT', `the ${name} UI is not built: run npm run build`)
          : new DomainError('not-found', 'UI.NO_SUCH_FILE', 'the UI has no such file'),
      );
    });
  };
}

/** Serves the named UI from the app that imports it. */
@Module({})
export class WebUiModule implements NestModule {
  constructor(@Inject(WEB_UI_NAME) private readonly name: WebUiName) {}

  static serve(name: WebUiName): DynamicModule {
    return { module: WebUiModule, providers: [{ provide: WEB_UI_NAME, useValue: name }] };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(serveWebUi(this.name)).forRoutes({ path: `${this.name}{/*rest}`, method: RequestMethod.GET });
  }
}
