import { DomainEvent, EventSchemaVersions, SerializedEvent } from './decider';

/** Turns an older stored version of one event type into the current one. */
export type Upcaster<E extends DomainEvent> = (older: SerializedEvent) => E;

export type Upcasters<E extends DomainEvent> = { readonly [Type in E['type']]?: Upcaster<Extract<E, { type: Type }>> };

/**
 * Turns the current version's data of one event type, whole or as a recipient's projection, into an
 * older version's, for subscribers pinned to it: only what is there is rewritten, nothing is added.
 */
export type Downcaster = (data: Readonly<Record<string, unknown>>) => Record<string, unknown>;

/** Per event type, the older versions its current data can be downcast to. */
export type Downcasters<E extends DomainEvent> = { readonly [Type in E['type']]?: { readonly [toVersion: number]: Downcaster } };

export function schemaVersionOf(event: SerializedEvent): unknown {
  return (event.metadata as { schemaVersion?: unknown } | null)?.schemaVersion;
}

/**
 * A record's `readEvent`: its own event types only (own keys, so `toString` is no type), at a known
 * version, upcast when older. The shape itself was checked against its schema when it was written.
 */
export function eventReader<E extends DomainEvent>(
  versions: EventSchemaVersions<E>,
  upcasters: Upcasters<E> = {},
): (serialized: SerializedEvent) => E | undefined {
  return (serialized) => {
    if (!Object.hasOwn(versions, serialized.type)) return undefined;
    const type = serialized.type as E['type'];
    const known = versions[type];
    const version = schemaVersionOf(serialized);
    if (!known.includes(version as number)) return undefined;
    if (version === known[known.length - 1]) return serialized as E;
    const upcast = upcasters[type] as Upcaster<E> | undefined;
    if (!upcast) throw new Error(`${type} v${String(version)} is listed as readable but has no upcaster`);
    return upcast(serialized);
  };
}

/** A record's `downcastData`: the data at `toVersion`, or undefined when no downcaster goes there. */
export function dataDowncaster<E extends DomainEvent>(
  downcasters: Downcasters<E> = {},
): (type: E['type'], data: Readonly<Record<string, unknown>>, toVersion: number) => Record<string, unknown> | undefined {
  return (type, data, toVersion) => {
    const byVersion: Downcasters<E>[E['type']] = Object.hasOwn(downcasters, type) ? downcasters[type] : undefined;
    return byVersion !== undefined && Object.hasOwn(byVersion, toVersion) ? byVersion[toVersion](data) : undefined;
  };
}
