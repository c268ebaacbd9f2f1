import { Agency, VictimReferralSubmitted } from '@crescent/domain';
import { FieldRule, SharingPolicy } from './sharing-policy';
import { statuteAllows } from './statute';

/** What one recipient may receive of one event: the payload and the field paths it discloses. */
export interface Projection {
  readonly recipientAgencyId: string;
  readonly policyVersion: number;
  readonly payload: Record<string, unknown>;
  readonly disclosedFields: readonly string[];
}

export type ReferralProjector = (event: VictimReferralSubmitted) => Projection | undefined;

/**
 * Compiles a recipient's policy once into a projector. Default deny: with no policy the
 * recipient receives nothing, and a field no rule grants (or statute forbids) is absent.
 */
export function compileReferralProjector(recipient: Agency, policy: SharingPolicy | undefined): ReferralProjector {
  if (!policy || policy.recipientAgencyId !== recipient.id) return () => undefined;
  const writers = policy.rules
    .filter((rule) => statuteAllows(rule.path, recipient))
    .map((rule) => ({ path: rule.path, write: compileRule(rule) }));

  return (event) => {
    if (event.data.referringAgencyId === recipient.id) return undefined;
    if (policy.addresseeOnly && event.data.referredToAgencyId !== recipient.id) return undefined;
    const payload: Record<string, unknown> = {};
    const disclosedFields = writers.filter(({ write }) => write(event.data, payload)).map(({ path }) => path);
    if (disclosedFields.length === 0) return undefined;
    return { recipientAgencyId: recipient.id, policyVersion: policy.version, payload, disclosedFields };
  };
}

type FieldWriter = (source: unknown, target: Record<string, unknown>) => boolean;

const PATH_SEGMENT = /^[A-Za-z][A-Za-z0-9]*$/;

function compileRule(rule: FieldRule): FieldWriter {
  const segments = rule.path.split('.');
  // Plain identifiers only: a segment such as `__proto__` must never reach writePath.
  if (!segments.every((segment) => PATH_SEGMENT.test(segment))) {
    throw new Error(`invalid field path in sharing policy: ${rule.path}`);
  }
  const transform = rule.action === 'include' ? clone : count;
  return (source, target) => {
    const value = readPath(source, segments);
    if (value === undefined) return false;
    const transformed = transform(value);
    if (transformed === undefined) return false;
    writePath(target, segments, transformed);
    return true;
  };
}

function readPath(source: unknown, segments: readonly string[]): unknown {
  let current = source;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function writePath(target: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let current = target;
  for (const segment of segments.slice(0, -1)) {
    current[segment] ??= {};
    current = current[segment] as Record<string, unknown>;
  }
  current[segments[segments.length - 1]] = value;
}

function clone(value: unknown): unknown {
  return structuredClone(value);
}

function count(value: unknown): number | undefined {
  return Array.isArray(value) ? value.length : undefined;
}
