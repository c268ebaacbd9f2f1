/** The comparison of the engine with the model on one case, and the cases themselves. */
import fc from 'fast-check';
import { Agency, SharableRecordType, SharingPolicy } from '@crescent/domain';
import { projectForRecipient } from '@crescent/policy';
import { feedEventOf, KEYS, stateOf } from '../../libs/policy/src/testing/feed';
import { AnyEvent, expectedProjection, ModelResult, recordTypeOf } from './model';
import { asRecordEvent, disclosedAt, policyArb, recipient, World, world } from './world';

/** JSON text with sorted keys, own `__proto__` keys included: equal values, equal text. */
export function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
}

function sorted(paths: readonly string[]): string[] {
  return [...paths].sort();
}

export interface Case {
  readonly history: AnyEvent[];
  readonly event: AnyEvent;
  readonly recipient: Agency;
  readonly policy: SharingPolicy | undefined;
  readonly disclosedAt: string;
}

/** Every way the engine and the model differ on one case (empty when they agree). */
export function disagreements(c: Case): string[] {
  const model: ModelResult = expectedProjection({ ...c, keys: KEYS });
  const event = asRecordEvent(c.event);
  const state = stateOf(...c.history.map(asRecordEvent), event);
  const engine = projectForRecipient(feedEventOf(event), c.recipient, state, KEYS, { draft: c.policy, disclosedAt: c.disclosedAt });
  if (!model.received) return engine === undefined ? [] : [`model: nothing (${model.gate}); engine: disclosed ${JSON.stringify(engine.disclosedFields)}`];
  if (engine === undefined) return [`model: disclosed ${JSON.stringify(model.disclosed)}; engine: nothing`];
  const problems: string[] = [];
  if (canonical(engine.payload) !== canonical(model.payload)) problems.push(`payload: engine ${canonical(engine.payload)} model ${canonical(model.payload)}`);
  if (canonical(sorted(engine.disclosedFields)) !== canonical(sorted(model.disclosed))) {
    problems.push(`disclosed: engine ${JSON.stringify(sorted(engine.disclosedFields))} model ${JSON.stringify(sorted(model.disclosed))}`);
  }
  if (canonical(sorted(engine.withheldFields)) !== canonical(sorted(model.withheld))) {
    problems.push(`withheld: engine ${JSON.stringify(sorted(engine.withheldFields))} model ${JSON.stringify(sorted(model.withheld))}`);
  }
  const ledger = sorted(engine.fields.map((field) => field.path));
  if (canonical(ledger) !== canonical(sorted([...engine.disclosedFields, ...engine.withheldFields]))) problems.push(`fields: ${JSON.stringify(ledger)} is not disclosed + withheld`);
  // The relay's wire: the same value as the model's payload, written as JSON.stringify writes it.
  const json = engine.payloadJson;
  if (json === undefined) problems.push('payloadJson: undefined');
  else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      problems.push(`payloadJson: not JSON: ${JSON.stringify(json)}`);
    }
    if (parsed !== undefined && canonical(parsed) !== canonical(model.payload)) problems.push(`payloadJson: ${json} model ${JSON.stringify(model.payload)}`);
    if (parsed !== undefined && JSON.stringify(parsed) !== json) problems.push(`payloadJson: not as JSON.stringify writes it: ${JSON.stringify(json)}`);
  }
  return problems;
}

export function describeCase(c: Case): string {
  return JSON.stringify({ event: c.event, recipient: c.recipient, policy: c.policy, disclosedAt: c.disclosedAt, history: c.history });
}

/** A feed, and one of its events of the record type as the event delivered. */
export function caseOf(recordType: SharableRecordType, worlds: fc.Arbitrary<World> = world): fc.Arbitrary<Case> {
  return fc
    .record({ world: worlds, pick: fc.nat(), recipient, policy: policyArb(recordType), disclosedAt })
    .filter(({ world: w }) => w.events.some((event) => recordTypeOf(event.type) === recordType))
    .map(({ world: w, pick, recipient: r, policy, disclosedAt: at }) => {
      const candidates = w.events.map((event, index) => ({ event, index })).filter(({ event }) => recordTypeOf(event.type) === recordType);
      const { index } = candidates[pick % candidates.length];
      return { history: w.events.slice(0, index), event: w.events[index], recipient: r, policy, disclosedAt: at };
    });
}

