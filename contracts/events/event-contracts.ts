import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
