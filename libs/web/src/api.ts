import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../../../contracts/generated/exchange-api';

export type Api = Client<paths>;

/** A schema of the contract by name: `Schema<'AgencyDto'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** What the apps answer on an error: RFC 7807 problem+json with a stable code. */
interface Problem {
  readonly title?: string;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: readonly { readonly path?: string; readonly message?: string }[];
}

/** An answer that was not a success, in words a person can act on. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ProblemError';
  }
}

/**
 * The exchange's API, typed from its OpenAPI contract, on this page's own origin. `headers` gives
 * what each request must carry (the CSRF token of the session), read afresh for every request.
 */
export function createApi(headers: () => Record<string, string> = () => ({})): Api {
  const client = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
  client.use({
    onRequest({ request }) {
      for (const [name, value] of Object.entries(headers())) request.headers.set(name, value);
      return request;
    },
  });
  return client;
}

/** The data of a successful answer; a problem becomes a ProblemError. */
export async function unwrap<D>(call: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  const { data, error, response } = await call;
  if (response.ok) return data as D;
  throw problemError(response.status, error);
}

function problemError(status: number, body: unknown): ProblemError {
  const problem = (typeof body === 'object' && body !== null ? body : {}) as Problem;
  const fields = (problem.errors ?? []).map((field) => [field.path, field.message].filter(Boolean).join(': ')).filter(Boolean);
  const message = [problem.detail ?? problem.title ?? `The request failed (${status}).`, ...fields].join(' ');
  return new ProblemError(status, problem.code, message);
}

/** A message for whatever a call threw. */
export function messageOf(error: unknown): string {
  if (error instanceof ProblemError) return error.message;
  return 'The exchange could not be reached. Check the connection and try again.';
}
