import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** One `<EventType>.v<N>`: its JSON Schema for the event data and a full serialized example event. */
export interface EventContract {
  readonly name: string;
  readonly type: string;
  readonly version: number;
  readonly schema: Record<string, unknown>;
  readonly fixture: { readonly type: string; readonly data: unknown; readonly metadata: unknown } | undefined;
}

const SCHEMA_FILE = /^([A-Za-z]+)\.v(\d+)\.schema\.json$/;

/**
 * Every schema in this folder, with the fixture of the same name when there is one. Read from the
 * source tree: a build that runs this from dist/ must copy the JSON files alongside.
 */
export function loadEventContracts(directory = __dirname): EventContract[] {
  const fixtures = new Set(readdirSync(join(directory, 'fixtures')));
  const readJson = (...path: string[]) => JSON.parse(readFileSync(join(directory, ...path), 'utf8'));
  return readdirSync(directory).flatMap((file) => {
    const match = SCHEMA_FILE.exec(file);
    if (!match) return [];
    const [, type, version] = match;
    const name = `${type}.v${version}`;
    const fixture = fixtures.has(`${name}.json`) ? readJson('fixtures', `${name}.json`) : undefined;
    return [{ name, type, version: Number(version), schema: readJson(file), fixture }];
  });
}

/** Fixture files that belong to no schema: a sign of a renamed or removed event version. */
export function orphanFixtures(directory = __dirname): string[] {
  const names = new Set(loadEventContracts(directory).map(({ name }) => `${name}.json`));
  return readdirSync(join(directory, 'fixtures')).filter((file) => !names.has(file));
}

let validators: Map<string, ValidateFunction> | undefined;

/**
 * Why `data` does not fit the schema of the contract `<Type>.v<N>`: each reason a path in the data and
 * what it breaks, never a value nor an unknown key; empty when it fits. The schemas are compiled on first use.
 */
export function contractProblems(name: string, data: unknown): string[] {
  if (validators === undefined) {
    const ajv = addFormats(new Ajv2020({ allErrors: true }));
    validators = new Map(loadEventContracts().map((contract) => [contract.name, ajv.compile(contract.schema)]));
  }
  const validate = validators.get(name);
  return validate ? problemsOf(validate, data) : [`no contract ${name}`];
}

/** Why `data` fails `validate`: each reason a path and what it breaks, never a value; empty when it passes. */
export function problemsOf(validate: ValidateFunction, data: unknown): string[] {
  if (validate(data)) return [];
  // Ajv's own message for an unknown property is path-free, and its name (the sender's text) is left out.
  return (validate.errors ?? []).map(({ instancePath, message }) => `${instancePath || '/'} ${message ?? 'is invalid'}`);
}

/**
 * An event that does not fit the schema of its own type and version: a bug in the code that wrote it
 * or in the schema, never the caller's fault. It names the contract and the paths, never a value.
 */
export class EventContractViolation extends Error {
  /** Deciding again decides the same: a retry cannot fix it. */
  readonly retriable = false;

  constructor(
    readonly contract: string,
    readonly problems: readonly string[],
  ) {
    super(`${contract} does not fit its schema: ${problems.join('; ')}`);
    this.name = 'EventContractViolation';
  }
}

/** Why the event's data, as it will be serialized, does not fit the schema of its type and version; undefined when it fits. */
export function contractViolation(event: {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: { readonly schemaVersion: number };
}): EventContractViolation | undefined {
  const contract = `${event.type}.v${event.metadata.schemaVersion}`;
  const problems = contractProblems(contract, JSON.parse(JSON.stringify(event.data ?? null)));
  return problems.length > 0 ? new EventContractViolation(contract, problems) : undefined;
}
