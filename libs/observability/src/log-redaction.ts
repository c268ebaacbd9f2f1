import { stdSerializers } from 'pino';
import { loadEventContracts } from '../../../contracts/events/event-contracts';

/** What a redacted value reads as in a log line. */
export const REDACTED = '[redacted]';

/** Credentials: the headers that carry them, and a person's sign-in and session fields (libs/people). */
const SECRETS = ['authorization', 'cookie', 'set-cookie', 'x-csrf-token', 'password', 'csrfToken'];

/** Deeper than this, a log call's fields are censored whole rather than looked through. */
const MAX_DEPTH = 12;

/**
 * Every property name any event's data can carry, at any depth of its schema, read from the event
 * contracts (contracts/events): a field added to a schema is censored in logs without anyone remembering to.
 */
export function recordFieldNames(): string[] {
  const names = new Set<string>();
  const walk = (schema: unknown): void => {
    if (Array.isArray(schema)) return schema.forEach(walk);
    if (schema === null || typeof schema !== 'object') return;
    for (const [keyword, value] of Object.entries(schema)) {
      if (keyword === 'properties' && value !== null && typeof value === 'object') {
        for (const [name, property] of Object.entries(value)) {
          names.add(name);
          walk(property);
        }
      } else {
        walk(value);
      }
    }
  };
  for (const { schema } of loadEventContracts()) walk(schema);
  return [...names].sort();
}

/**
 * pino's `formatters.log`: the fields of a log call with every record field name and credential
 * censored, at any depth. pino's own path-based `redact` needs a path per depth with a wildcard per
 * level, which cost 0.8 ms a line at two levels for these 120 names (measured): one walk over the
 * fields costs what their size costs.
 */
export function censorRecordFields(): (fields: Record<string, unknown>) => Record<string, unknown> {
  const censored = new Set([...recordFieldNames(), ...SECRETS]);
  const walk = (value: unknown, depth: number): unknown => {
    if (value === null || typeof value !== 'object' || value instanceof Date) return value;
    if (depth > MAX_DEPTH) return REDACTED;
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1));
    // An error's message and stack are not enumerable: serialized first, so they are kept and its own fields looked through.
    if (value instanceof Error) return walk(stdSerializers.err(value), depth);
    const json = (value as { toJSON?: unknown }).toJSON;
    if (typeof json === 'function') return walk(json.call(value), depth);
    return Object.fromEntries(Object.entries(value).map(([name, field]) => [name, censored.has(name) ? REDACTED : walk(field, depth + 1)]));
  };
  return (fields) => walk(fields, 0) as Record<string, unknown>;
}
