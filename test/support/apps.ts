import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { uniqueName } from './infrastructure';
import { createCrescentApp, loadConfig, RuntimeConfig, RuntimeRole } from '@crescent/runtime';

export interface RunningApp {
  readonly app: INestApplication;
  readonly url: string;
}

/** Starts one Crescent app as its `main` would, on a free loopback port, with the demo agencies and secrets unless overridden. */
export async function startApp(
  overrides: Partial<RuntimeConfig>,
  features: readonly (Type | DynamicModule)[],
  role: RuntimeRole = 'exchange',
): Promise<RunningApp> {
  // No anchoring unless asked: the demo's default file sits beside the default database, which a test's overrides replace.
  const config: RuntimeConfig = { ...loadConfig({ SEED_DEMO: 'true' }, role), logLevel: 'warn', ledgerAnchoring: undefined, ...overrides };
  const app = await createCrescentApp(config, 'crescent-test', features, role);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

/** The inbox run as one agency's connector: its own database, that agency's credential, the exchange's HTTP API. */
export function startInboxConnector(
  exchangeUrl: string,
  agency: { readonly agency: { readonly id: string }; readonly token: string },
  overrides: Partial<RuntimeConfig>,
  inboxModule: Type,
): Promise<RunningApp> {
  return startApp(
    { databaseSchema: uniqueName('inbox'), ...overrides, exchangeUrl, inboxAgencyCredential: agency.token, inboxAgencyId: agency.agency.id },
    [inboxModule],
    'connector',
  );
}

/**
 * A raw request: any method, headers and body, the body's text sent as it is. Tests that call the
 * documented API use the typed client (`createExchangeClient` in contracts/client.ts); this one is
 * for what the contract's types would refuse to send: malformed bodies, wrong content types,
 * headers out of the contract (bad-input, http-edge), and requests audited exactly as sent, paths no
 * route serves and refused queries included (access-audit).
 */
export async function request(
  url: string,
  options: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; contentType: string; headers: Headers; body: any }> {
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** What the typed client answered, as tests assert it: status, content type and body (the data, or the problem). */
export async function answered<D, E>(call: Promise<{ data?: D; error?: E; response: Response }>): Promise<{ status: number; contentType: string; body: D | E | undefined }> {
  const { data, error, response } = await call;
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: data ?? error };
}

/** Polls until `probe` returns a value, or fails after `timeoutMs` naming what it waited for. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
