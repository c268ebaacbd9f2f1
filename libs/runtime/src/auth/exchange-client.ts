import { Agency, DomainError } from '@crescent/domain';
import { AgencyAuthenticator } from './agency-authenticator';

/** How long a connector waits for an exchange that does not answer yet: 30 attempts, a second apart. */
const EXCHANGE_ATTEMPTS = 30;
const EXCHANGE_RETRY_MS = 1000;

/**
 * An agency connector's view of the exchange over HTTP: it holds one agency's credential and
 * nothing else of the exchange's (no event store, no feed, no signing key).
 */
export class ExchangeClient implements AgencyAuthenticator {
  constructor(
    private readonly exchangeUrl: string,
    private readonly credential: string,
  ) {}

  /** Asks the exchange, signed in as this connector's agency, whether a user's token is a working one of that agency. */
  async authenticate(token: string): Promise<Agency | undefined> {
    const response = await fetch(new URL('/v1/auth/introspection', this.exchangeUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.credential}`, 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    if (response.status === 403) {
      await response.body?.cancel();
      throw new DomainError('forbidden', 'AUTH.AGENCY_NOT_ACTIVE', "the exchange has suspended or revoked this inbox's agency");
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`the exchange answered ${response.status} to an introspection`);
    }
    const answer = (await response.json()) as { active: boolean; agency?: Agency };
    return answer.active ? answer.agency : undefined;
  }

  /**
   * A fresh Kafka token for this connector's agency, signed by the exchange. A connector may start
   * before the exchange answers: it waits for it (a while), but a refusal is final.
   */
  async kafkaToken(): Promise<string> {
    const url = new URL('/v1/auth/kafka-token', this.exchangeUrl);
    const request = () => fetch(url, { method: 'POST', headers: { authorization: `Bearer ${this.credential}` } });
    let response: Response | undefined;
    for (let attempt = 1; !response; attempt += 1) {
      response = await request().catch(async (unreachable: unknown) => {
        if (attempt >= EXCHANGE_ATTEMPTS) throw unreachable;
        await new Promise((resolve) => setTimeout(resolve, EXCHANGE_RETRY_MS));
        return undefined;
      });
    }
    if (response.status !== 201) {
      await response.body?.cancel();
      throw new Error(`the exchange refused a Kafka token (${response.status})`);
    }
    return ((await response.json()) as { accessToken: string }).accessToken;
  }
}
