import { randomBytes } from 'node:crypto';

/** 32 random bytes: a bearer token nobody can guess, in URL-safe text. The exchange keeps only its hash. */
export function newAgencyToken(): string {
  return randomBytes(32).toString('base64url');
}
