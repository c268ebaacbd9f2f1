import { UnsupportedMediaTypeException } from '@nestjs/common';
import { DomainError } from '@crescent/domain';
import { json, NextFunction, Request, RequestHandler, Response } from 'express';

/** Far deeper than any body of the API (a policy preview's sample event is the deepest, some 6 levels). */
export const MAX_JSON_DEPTH = 32;

/**
 * Only `application/json`, in UTF-8 or with no charset. Not `application/*+json`: merge-patch and the
 * like mean other semantics than the API's, and a client that sends them expects those.
 */
const JSON_MEDIA_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * A request body is JSON or refused: one sent as anything else (a form, text, multipart, XML) is a 415,
 * never read as empty or parsed into keys an error could repeat. Then the body's nesting is bounded
 * before it is parsed, so no validation ever recurses through a hostile depth.
 */
export function jsonBodyParsers(): RequestHandler[] {
  const requireJson: RequestHandler = (request: Request, _: Response, next: NextFunction) => {
    const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    next(hasBody && !JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? '') ? new UnsupportedMediaTypeException() : undefined);
  };
  return [requireJson, json({ verify: (_request, _response, body) => requireShallowJson(body) })];
}

/** The JSON value of a message or body whose nesting is bounded; a refusal names neither the text nor its keys. */
export function parseShallowJson(text: string): unknown {
  requireShallowJson(text);
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('validation', 'REQUEST.MALFORMED', 'the body is not valid JSON');
  }
}

const [OPEN_ARRAY, OPEN_OBJECT, CLOSE_ARRAY, CLOSE_OBJECT, QUOTE, BACKSLASH] = ['[', '{', ']', '}', '"', '\\'].map((c) => c.charCodeAt(0));

/** Counts brackets outside strings, byte by byte (UTF-8 continuation bytes are never ASCII): no parse, no recursion. */
function requireShallowJson(text: string | Buffer): void {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = typeof text === 'string' ? text.charCodeAt(index) : text[index];
    if (inString) {
      if (code === BACKSLASH) index += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) throw new DomainError('validation', 'REQUEST.TOO_DEEP', `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) depth -= 1;
  }
}
