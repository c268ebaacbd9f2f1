import createClient, { Client } from 'openapi-fetch';
import type { paths } from './generated/exchange-api';

export type ExchangeClient = Client<paths>;

/** The exchange's HTTP API, typed from its OpenAPI contract, as one agency (or the administrators) with its bearer token. */
export function createExchangeClient(baseUrl: string, token?: string): ExchangeClient {
  return createClient<paths>({ baseUrl, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
}
