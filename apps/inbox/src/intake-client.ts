import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { DomainError, DomainErrorKind } from '@crescent/domain';
import { Person } from '@crescent/people';
import { FieldProblem, RequestValidationError, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';

/** What intake answers a command it accepted: the record and its version. */
export interface CommandAccepted {
  readonly recordId: string;
  readonly version: number;
}

/** A refusal of intake's, answered again as the same problem. */
const KIND_OF_STATUS: Readonly<Record<number, DomainErrorKind>> = {
  400: 'validation',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  422: 'illegal-state',
};

/**
 * Sends a caseworker's step to intake the way any agency system does: over HTTP, with the inbox
 * agency's credential, naming the person in `X-On-Behalf-Of`. Run inside the exchange, the inbox
 * calls the exchange it runs in, over the same route.
 */
@Injectable()
export class IntakeClient {
  constructor(
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
    private readonly http: HttpAdapterHost,
  ) {}

  async send(path: string, body: object, person: Person): Promise<CommandAccepted> {
    const credential = this.config.inboxAgencyCredential;
    if (!credential) throw new DomainError('illegal-state', 'INBOX.NO_AGENCY_CREDENTIAL', "the inbox has no agency credential to act with: set INBOX_AGENCY_CREDENTIAL");
    const response = await fetch(new URL(path, this.exchangeUrl()), {
      method: 'POST',
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', 'x-on-behalf-of': `person:${person.id}` },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as CommandAccepted & { code?: string; detail?: string; errors?: FieldProblem[] };
    if (response.ok) return { recordId: answer.recordId, version: answer.version };
    if (answer.code === 'REQUEST.INVALID' && answer.errors) throw new RequestValidationError(answer.errors);
    const kind = KIND_OF_STATUS[response.status];
    // Anything else (the inbox's own credential refused, intake failing) is the inbox's failure, not the caseworker's.
    if (!kind || !answer.code) throw new Error(`intake answered ${response.status}`);
    throw new DomainError(kind, answer.code, answer.detail ?? answer.code);
  }

  /** The exchange's address: configured for a connector, this very server inside the exchange. */
  private exchangeUrl(): string {
    if (this.config.exchangeUrl) return this.config.exchangeUrl;
    const { address, port, family } = this.http.httpAdapter.getHttpServer().address() as AddressInfo;
    const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : family === 'IPv6' ? `[${address}]` : address;
    return `http://${host}:${port}`;
  }
}
