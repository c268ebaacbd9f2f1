import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SPEC_FILE = join(__dirname, 'openapi', 'exchange.openapi.json');
const PROBLEM = '#/components/schemas/ProblemDetailsDto';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/**
 * Operations that answer no 4xx problem, each with the reason. None today: even the health probes
 * answer 429 to a request that presents rate-limited credentials (the RateLimitGuard is global).
 */
const CANNOT_FAIL: Readonly<Record<string, string>> = {};

/** Successes with no body by design; any other 2xx must have a schema. */
const EMPTY_SUCCESSES = new Set(['204']);

type Json = Record<string, any>;
interface Operation {
  readonly name: string;
  readonly path: string;
  readonly operation: Json;
}

/**
 * The committed HTTP contract (the one openapi.int-spec.ts keeps in step with what the apps serve) is
 * a valid OpenAPI document, and every operation in it says what it does, what it answers on success
 * and which problems it can answer with.
 */
describe('contracts/openapi/exchange.openapi.json', () => {
  const document: Json = JSON.parse(readFileSync(SPEC_FILE, 'utf8'));
  const operations: Operation[] = Object.entries(document.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ name: `${method.toUpperCase()} ${path}`, path, operation: item[method] })),
  );

  it('is valid OpenAPI 3.1 by @seriousme/openapi-schema-validator, its references all resolve', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(validate(SPEC_FILE)).toEqual({ valid: true });
  });

  it('uses no OpenAPI 3.0 keyword that 3.1 dropped (nullable: null is a type in 3.1)', () => {
    expect(JSON.stringify(document)).not.toMatch(/"nullable":/);
  });

  it('gives every operation a summary', () => {
    expect(operations.filter(({ operation }) => !(typeof operation.summary === 'string' && operation.summary.trim())).map(({ name }) => name)).toEqual([]);
  });

  it('gives every operation a success, with a JSON schema (a server-sent event stream: its own) unless it is empty by design', () => {
    const faults = operations.flatMap(({ name, operation }) => {
      const successes = Object.entries(operation.responses as Json).filter(([status]) => /^2\d\d$/.test(status));
      if (successes.length === 0) return [`${name}: no 2xx response`];
      return successes
        .filter(([status, response]) => !EMPTY_SUCCESSES.has(status) && !(response.content?.['application/json'] ?? response.content?.['text/event-stream'])?.schema)
        .map(([status]) => `${name}: ${status} has no application/json schema`);
    });
    expect(faults).toEqual([]);
  });

  it('documents every error as problem+json with the ProblemDetails schema, and at least one 4xx per operation', () => {
    const faults = operations.flatMap(({ name, operation }) => {
      const errors = Object.entries(operation.responses as Json).filter(([status]) => /^[45]\d\d$/.test(status));
      const notProblems = errors
        // The readiness probe's 503 is its health report, not a problem.
        .filter(([status]) => !(name === 'GET /health/ready' && status === '503'))
        .filter(([, response]) => response.content?.['application/problem+json']?.schema?.$ref !== PROBLEM)
        .map(([status]) => `${name}: ${status} is not problem+json with ${PROBLEM}`);
      const hasClientProblem = errors.some(([status]) => status.startsWith('4'));
      return [...notProblems, ...(hasClientProblem || CANNOT_FAIL[name] ? [] : [`${name}: no 4xx problem response`])];
    });
    expect(faults).toEqual([]);
    expect(Object.keys(CANNOT_FAIL).filter((name) => !operations.some((operation) => operation.name === name))).toEqual([]);
  });

  it('has a ProblemDetails schema that requires what every problem carries', () => {
    expect(document.components.schemas.ProblemDetailsDto.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'code']));
  });

  it('documents every path parameter, and gives every parameter a typed schema', () => {
    const faults = operations.flatMap(({ name, path, operation }) => {
      const parameters: Json[] = operation.parameters ?? [];
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map(([, parameter]) => parameter);
      const undocumented = templated.filter((parameter) => !parameters.some((documented) => documented.in === 'path' && documented.name === parameter));
      const untyped = parameters.filter((parameter) => !parameter.schema?.type && !parameter.schema?.$ref);
      return [...undocumented.map((parameter) => `${name}: path parameter ${parameter} undocumented`), ...untyped.map((parameter) => `${name}: ${parameter.in} ${parameter.name} has no type`)];
    });
    expect(faults).toEqual([]);
  });

  it('names every nested object: bodies and properties refer to component schemas instead of inlining one', () => {
    const bodies = operations.flatMap(({ name, operation }) => [
      ...Object.entries(operation.requestBody?.content ?? {}).map(([type, media]) => [`${name} request ${type}`, (media as Json).schema] as const),
      ...Object.entries(operation.responses as Json).flatMap(([status, response]) =>
        Object.entries((response as Json).content ?? {}).map(([type, media]) => [`${name} ${status} ${type}`, (media as Json).schema] as const),
      ),
    ]);
    const properties = Object.entries(document.components.schemas as Json).flatMap(([schema, definition]) =>
      Object.entries((definition as Json).properties ?? {}).map(([property, value]) => [`${schema}.${property}`, value] as const),
    );
    const inline = [...bodies, ...properties].filter(([, schema]) => inlinesAnObject(schema)).map(([where]) => where);
    expect(inline).toEqual([]);
  });
});

/** An object schema with its own properties, directly or as a list's items or through allOf. */
function inlinesAnObject(schema: Json | undefined): boolean {
  if (!schema) return false;
  if (schema.properties) return true;
  return inlinesAnObject(schema.items) || (schema.allOf ?? []).some(inlinesAnObject);
}

/** The validator's own CLI: the library is ES modules only, which jest's CommonJS cannot load. */
function validate(file: string): unknown {
  const cli = join(__dirname, '..', 'node_modules', '.bin', 'validate-api');
  try {
    return JSON.parse(execFileSync(cli, [file], { encoding: 'utf8', stdio: 'pipe' }));
  } catch (error) {
    // It exits 1 on an invalid document, after printing its result with the errors.
    const stdout = (error as { stdout?: string }).stdout;
    if (!stdout) throw error;
    return JSON.parse(stdout);
  }
}
