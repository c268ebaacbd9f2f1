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

  /** Asks the exchange whose token this is; any answer but 200 means nobody's. */
  async authenticate(token: string): Promise<Agency | undefined> {
    const response = await fetch(new URL('/v1/auth/agency', this.exchangeUrl), { headers: { authorization: `Bearer ${token}` } });
    if (response.status === 200) return (await response.json()) as Agency;
    await response.body?.cancel();
    if (response.status === 401 || response.status === 403) return undefined;
    throw new Error(`the exchange answered ${response.status} to an authentication`);
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
