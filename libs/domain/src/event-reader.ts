import { DomainEvent, EventSchemaVersions, SerializedEvent } from './decider';

/** Turns an older stored version of one event type into the current one. */
export type Upcaster<E extends DomainEvent> = (older: SerializedEvent) => E;

export type Upcasters<E extends DomainEvent> = { readonly [Type in E['type']]?: Upcaster<Extract<E, { type: Type }>> };

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
