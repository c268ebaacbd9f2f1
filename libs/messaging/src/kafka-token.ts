import { createPrivateKey, KeyObject, sign } from 'node:crypto';

/** What the broker checks in every client's token (its `sasl.oauthbearer.expected.*` settings). */
export interface KafkaTokenIssuer {
  /** PEM of the exchange's RSA signing key; the broker holds only its public half (JWKS). */
  readonly signingKeyPem: string;
  readonly keyId: string;
  readonly issuer: string;
  readonly audience: string;
  /** A token's life: the bound on how long a revoked credential's Kafka session can outlive it. */
  readonly ttlSeconds: number;
}

/** Signs short-lived Kafka tokens (RS256 JWTs) whose subject is the broker principal. */
export class KafkaTokenSigner {
  private readonly key: KeyObject;

  constructor(private readonly config: KafkaTokenIssuer) {
    this.key = createPrivateKey(config.signingKeyPem);
  }

  get ttlSeconds(): number {
    return this.config.ttlSeconds;
  }

  sign(principal: string, now: Date = new Date()): string {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: this.config.keyId };
    const claims = { iss: this.config.issuer, aud: this.config.audience, sub: principal, iat: issuedAt, exp: issuedAt + this.config.ttlSeconds };
    const signed = `${base64url(header)}.${base64url(claims)}`;
    return `${signed}.${sign('sha256', Buffer.from(signed), this.key).toString('base64url')}`;
  }
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
