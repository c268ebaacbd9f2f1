import { VictimReferralEvent } from './victim-referral';

/** An event as any store or bus hands it back: its shape was checked when it was written. */
export interface SerializedEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

const SCHEMA_VERSIONS: Record<VictimReferralEvent['type'], readonly number[]> = {
  VictimReferralSubmitted: [1],
};

/** The referral event a serialized one holds, or undefined when it is of another type or an unknown version. */
export function readVictimReferralEvent(event: SerializedEvent): VictimReferralEvent | undefined {
  if (!Object.hasOwn(SCHEMA_VERSIONS, event.type)) return undefined;
  const version = (event.metadata as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (!SCHEMA_VERSIONS[event.type as VictimReferralEvent['type']].includes(version as number)) return undefined;
  return event as VictimReferralEvent;
}
