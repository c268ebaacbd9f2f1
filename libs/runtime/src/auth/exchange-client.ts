import { Agency } from '@crescent/domain';
import { AgencyAuthenticator } from './agency-authenticator';

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
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`the exchange answered ${response.status} to an introspection`);
    }
    const answer = (await response.json()) as { active: boolean; agency?: Agency };
    return answer.active ? answer.agency : undefined;
  }

  /** A fresh Kafka token for this connector's agency, signed by the exchange. */
  async kafkaToken(): Promise<string> {
    const response = await fetch(new URL('/v1/auth/kafka-token', this.exchangeUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.credential}` },
    });
    if (response.status !== 201) {
      await response.body?.cancel();
      throw new Error(`the exchange refused a Kafka token (${response.status})`);
    }
    return ((await response.json()) as { accessToken: string }).accessToken;
  }
}
