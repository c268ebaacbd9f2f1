import { readdirSync, readFileSync } from 'node:fs';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { loadEventContracts, problemsOf } from '../events/event-contracts';

type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * The schema of an event's data as a recipient receives it, derived from the event's own: its
 * recipient's policy (or statute) may withhold any property, so none is required (nor required
 * under a condition), and may replace any value by its transform: a string (mask, pseudonymize,
 * generalize), a whole number (count) or a list of relationships with age bands
 * (relationship-and-age-band). No property beyond the event's may appear. Lists are
 * values: their items are sent whole or not at all, so they keep the event's schema.
 */
export function outboundSchema(schema: JsonSchema): JsonSchema {
  const { $id: _id, $schema: _schema, required: _required, if: _if, then: _then, else: _else, properties, ...rest } = schema;
  if (properties === undefined) return rest;
  const relaxed = Object.entries(properties as Record<string, JsonSchema>).map(([name, property]) => [name, { anyOf: [outboundSchema(property), TRANSFORMED] }]);
  return { ...rest, properties: Object.fromEntries(relaxed) };
}

const RELATIONSHIPS_WITH_AGE_BANDS: JsonSchema = {
  type: 'array',
  items: { type: 'object', additionalProperties: false, required: ['relationship', 'ageBand'], properties: { relationship: { type: 'string' }, ageBand: { type: 'string' } } },
};
const TRANSFORMED: JsonSchema = { anyOf: [{ type: 'string' }, { type: 'integer', minimum: 0 }, RELATIONSHIPS_WITH_AGE_BANDS] };

/** `urn:crescent:schema:<Type>:<N>`, what `ce_dataschema` says, and `crescent.<Type>.v<N>`, what `ce_type` says. */
const DATASCHEMA = /^urn:crescent:schema:([A-Za-z]+):([1-9][0-9]*)$/;
const CE_TYPE = /^crescent\.([A-Za-z]+)\.v([1-9][0-9]*)$/;
const HEADERS_ID = 'https://crescent.example/contracts/messages/CloudEventHeaders.schema.json';

interface Validators {
  /** `<Type>.v<N>` of every message schema here, and of every event schema in its outbound form. */
  readonly data: ReadonlyMap<string, ValidateFunction>;
  /** `<Type>.v<N>` of the events, whose deliveries carry the relay's extensions. */
  readonly events: ReadonlySet<string>;
  readonly headers: { readonly delivery: ValidateFunction; readonly snapshot: ValidateFunction; readonly core: ValidateFunction };
}

let validators: Validators | undefined;

function compile(): Validators {
  const ajv = addFormats(new Ajv2020({ allErrors: true }));
  const data = new Map<string, ValidateFunction>();
  for (const file of readdirSync(__dirname)) {
    const match = /^([A-Za-z]+)(?:\.v(\d+))?\.schema\.json$/.exec(file);
    if (!match) continue;
    const schema = JSON.parse(readFileSync(`${__dirname}/${file}`, 'utf8')) as JsonSchema;
    ajv.addSchema(schema);
    if (match[2] !== undefined) data.set(`${match[1]}.v${match[2]}`, ajv.getSchema(schema.$id as string)!);
  }
  const events = loadEventContracts();
  for (const { name, schema } of events) data.set(name, ajv.compile(outboundSchema(schema)));
  const headers = (kind: string) => ajv.getSchema(`${HEADERS_ID}#/$defs/${kind}`)!;
  return { data, events: new Set(events.map(({ name }) => name)), headers: { delivery: headers('delivery'), snapshot: headers('snapshot'), core: headers('core') } };
}

/**
 * What in a message the exchange produced (CloudEvents binary mode) breaks its contract: the headers
 * its kind carries, and the value against the schema `ce_dataschema` names (an event's in its
 * outbound form; a snapshot's events each against theirs). Paths and reasons, never a value.
 */
export function messageProblems(message: { readonly headers: Readonly<Record<string, string>>; readonly value: string }): string[] {
  const { data: schemas, events, headers: headerSchemas } = (validators ??= compile());
  const { headers } = message;
  const schema = DATASCHEMA.exec(headers.ce_dataschema ?? '');
  if (!schema) return ['ce_dataschema names no schema of the exchange'];
  const [, type, version] = schema;
  if (headers.ce_type !== `crescent.${type}.v${version}`) return [`ce_type does not match ce_dataschema ${type}:${version}`];
  const name = `${type}.v${version}`;
  const validate = schemas.get(name);
  if (!validate) return [`no schema ${name}`];
  let data: unknown;
  try {
    data = JSON.parse(message.value);
  } catch {
    return ['the value is not JSON'];
  }
  const kind = type === 'RecordSnapshot' ? 'snapshot' : events.has(name) ? 'delivery' : 'core';
  const headerProblems = problemsOf(headerSchemas[kind], headers).map((problem) => `headers${problem}`);
  const dataProblems = problemsOf(validate, data);
  if (type !== 'RecordSnapshot' || dataProblems.length > 0) return [...headerProblems, ...dataProblems];
  // Each event of a snapshot against its own outbound schema, at the version its type names.
  const snapshotEvents = (data as { events: readonly { type: string; data: unknown }[] }).events.flatMap((event, index) => {
    const [, eventType, eventVersion] = CE_TYPE.exec(event.type) ?? [];
    const validateEvent = events.has(`${eventType}.v${eventVersion}`) ? schemas.get(`${eventType}.v${eventVersion}`) : undefined;
    if (!validateEvent) return [`/events/${index}/type names no event schema`];
    return problemsOf(validateEvent, event.data).map((problem) => `/events/${index}/data${problem}`);
  });
  return [...headerProblems, ...snapshotEvents];
}
