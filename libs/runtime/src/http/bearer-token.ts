// RFC 6750 2.1: "Bearer" 1*SP token68; the scheme is case-insensitive (RFC 7235 2.1). Anything
// after the token is refused, so "Bearer tok extra" never authenticates as "tok".
const BEARER_CREDENTIALS = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token of an `Authorization: Bearer <token>` header; undefined for any other scheme or shape. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : BEARER_CREDENTIALS.exec(authorization)?.[1];
}
