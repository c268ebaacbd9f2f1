import { hkdfSync } from 'node:crypto';
import { PseudonymKeys } from '@crescent/policy';
import { RuntimeConfig } from './config';

/**
 * Each recipient's pseudonym key, derived from the master secret and the key id: recipients get
 * unrelated keys, and a new key id (a rotation) gives every recipient a new one.
 */
export function pseudonymKeysFrom(config: RuntimeConfig): PseudonymKeys {
  const keys = new Map<string, Uint8Array>();
  return (recipientAgencyId) => {
    let secret = keys.get(recipientAgencyId);
    if (!secret) {
      secret = new Uint8Array(hkdfSync('sha256', config.pseudonymSecret, recipientAgencyId, config.pseudonymKeyId, 32));
      keys.set(recipientAgencyId, secret);
    }
    return { keyId: config.pseudonymKeyId, secret };
  };
}

export const PSEUDONYM_KEYS = Symbol('PseudonymKeys');
