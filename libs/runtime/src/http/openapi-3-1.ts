import type { OpenAPIObject } from '@nestjs/swagger';

/** The OpenAPI version the exchange publishes. */
export const OPENAPI_VERSION = '3.1.0';

/**
 * Nest writes OpenAPI 3.0 schemas; the contract is 3.1, whose schemas are JSON Schema 2020-12. The one
 * 3.0 keyword our DTOs use is `nullable`: 3.1 says the same with `null` among the types, or, for a
 * reference (which takes no sibling type), with `anyOf` the reference or null.
 */
export function asOpenApi31(document: OpenAPIObject): OpenAPIObject {
  return { ...(withoutNullable(document) as OpenAPIObject), openapi: OPENAPI_VERSION };
}

function withoutNullable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullable);
  if (value === null || typeof value !== 'object') return value;
  // A boolean `nullable` is the keyword; an object under that name is a property called so.
  const nullable = (value as Record<string, unknown>).nullable;
  const members = Object.entries(value).filter(([key]) => !(key === 'nullable' && typeof nullable === 'boolean'));
  const converted = Object.fromEntries(members.map(([key, member]) => [key, withoutNullable(member)]));
  return nullable === true ? nullableSchema(converted) : converted;
}

function nullableSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const { type, allOf, enum: values, ...annotations } = schema;
  if (Array.isArray(allOf)) return { ...annotations, anyOf: [...allOf, { type: 'null' }] };
  if (typeof type !== 'string') throw new Error(`a nullable schema without a type cannot be written in OpenAPI 3.1: ${JSON.stringify(schema)}`);
  return { ...annotations, type: [type, 'null'], ...(Array.isArray(values) ? { enum: [...values, null] } : {}) };
}
