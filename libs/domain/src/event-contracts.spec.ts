import { contractProblems, loadEventContracts, orphanFixtures } from '../../../contracts/events/event-contracts';
import { deciderFor, DECIDERS } from './deciders';
import { RECORD_TYPES, SerializedEvent } from './decider';
import { SHARABLE_RECORD_TYPES } from './sharing-policy/sharing-policy';
import { RECORD_SCHEMA_VERSIONS } from './subscription/subscription';
import { DECISION_SAMPLES } from './testing';
import {
  downcastVictimReferralSubmittedToV1,
  upcastVictimReferralSubmittedV1,
  VictimReferralSubmittedV1,
} from './victim-referral/victim-referral-submitted.versions';
import { VictimReferralSubmitted } from './victim-referral/victim-referral';

const stored = new Map(loadEventContracts().map((contract) => [contract.name, contract]));

const deciders = RECORD_TYPES.map(deciderFor);
/** Every `<EventType>.v<N>` the deciders read, with the decider that reads it. */
const contracts = deciders.flatMap((decider) =>
  Object.entries(decider.eventSchemaVersions).flatMap(([type, versions]) =>
    versions.map((version) => ({ name: `${type}.v${version}`, type, version, decider, current: version === versions.at(-1) })),
  ),
);

function fixture<E = SerializedEvent>(name: string): E {
  const event = stored.get(name)?.fixture;
  if (!event) throw new Error(`no fixture ${name}`);
  return structuredClone(event) as E;
}

describe('event contracts', () => {
  it('has a schema and a fixture for every version of every event type, and nothing else', () => {
    const names = contracts.map(({ name }) => name).sort();
    expect(names.length).toBeGreaterThanOrEqual(18);
    expect([...stored.keys()].sort()).toEqual(names);
    expect(names.filter((name) => !stored.get(name)?.fixture)).toEqual([]);
    expect(orphanFixtures()).toEqual([]);
  });

  describe.each(contracts)('$name', ({ name, type, version, decider, current }) => {
    const event = fixture(name);

    it('fixture is a serialized event of its type and version whose data matches the schema', () => {
      expect(event.type).toBe(type);
      expect(event.metadata).toMatchObject({ schemaVersion: version });
      expect(contractProblems(name, event.data)).toEqual([]);
    });

    it(current ? 'is read back as stored' : 'is upcast on read to a current-version event that fits the current schema', () => {
      const read = decider.readEvent(event);
      expect(read).toBeDefined();
      if (current) expect(read).toEqual(event);
      const currentVersion = decider.eventSchemaVersions[type].at(-1);
      expect(read?.metadata.schemaVersion).toBe(currentVersion);
      expect(contractProblems(`${type}.v${currentVersion}`, JSON.parse(JSON.stringify(read?.data)))).toEqual([]);
    });
  });

  it('the schemas reject what they should (they are not vacuous)', () => {
    const v2 = fixture<VictimReferralSubmitted>('VictimReferralSubmitted.v2');
    expect(contractProblems('VictimReferralSubmitted.v2', { ...v2.data, extra: 1 })).not.toEqual([]);
    expect(contractProblems('VictimReferralSubmitted.v1', v2.data)).not.toEqual([]);
    const consent = fixture<{ data: Record<string, unknown> }>('ConsentRecorded.v1');
    expect(contractProblems('ConsentRecorded.v1', { ...consent.data, guardian: undefined })).not.toEqual([]);
    expect(contractProblems('ConsentRecorded.v1', { ...consent.data, expiresAt: undefined })).not.toEqual([]);
  });

  it('says which paths break the contract and never what was in them', () => {
    const { data } = fixture<VictimReferralSubmitted>('VictimReferralSubmitted.v2');
    const problems = contractProblems('VictimReferralSubmitted.v2', { ...data, victim: { ...data.victim, dateOfBirth: 'spring of 1994' }, nickname: 'Mari' });
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('/victim/dateOfBirth'), '/ must NOT have additional properties']));
    expect(problems.join(' ')).not.toMatch(/spring|Mari\b|nickname/);
    expect(contractProblems('NoSuchEvent.v1', {})).toEqual(['no contract NoSuchEvent.v1']);
  });
});

/**
 * A subscriber pinned to an older record version gets each event at that version: an event type whose
 * current schema is newer must have a downcaster to it (the relay labels the result `<Type>.v<pinned>`).
 */
describe.each(SHARABLE_RECORD_TYPES)('what a subscriber to %s records pinned to an older version receives', (recordType) => {
  const decider = deciderFor(recordType);
  const pinnable = RECORD_SCHEMA_VERSIONS[recordType];
  const downcasts = contracts
    .filter((contract) => contract.decider === decider && contract.current)
    .flatMap(({ name, type, version }) => pinnable.filter((pinned) => pinned < version).map((pinned) => ({ name, type, pinned })));

  it("the record's newest version is that of its newest event schema", () => {
    expect(pinnable.at(-1)).toBe(Math.max(...Object.values<readonly number[]>(decider.eventSchemaVersions).map((versions) => versions.at(-1)!)));
  });

  it('each current fixture downcasts to every older version a subscriber may pin, fitting that version\'s schema', () => {
    const problems = downcasts.map(({ name, type, pinned }) => {
      const data = decider.downcastData(type, fixture(name).data as Record<string, unknown>, pinned);
      return { downcast: `${name} to v${pinned}`, problems: data === undefined ? ['no downcaster'] : contractProblems(`${type}.v${pinned}`, JSON.parse(JSON.stringify(data))) };
    });
    expect(problems).toEqual(downcasts.map(({ name, pinned }) => ({ downcast: `${name} to v${pinned}`, problems: [] })));
    // Not vacuous: a victim referral is at version 2, and a subscriber may pin 1.
    if (recordType === 'victim-referral') expect(downcasts.map(({ name }) => name)).toContain('VictimReferralSubmitted.v2');
  });
});

describe('VictimReferralSubmitted across versions', () => {
  const v1 = fixture<VictimReferralSubmittedV1>('VictimReferralSubmitted.v1');
  const v2 = fixture<VictimReferralSubmitted>('VictimReferralSubmitted.v2');

  it('upcasts the v1 fixture to data valid against v2, as readEvent does', () => {
    const upcast = upcastVictimReferralSubmittedV1(v1);
    expect(contractProblems('VictimReferralSubmitted.v2', upcast.data)).toEqual([]);
    expect(upcast).toEqual(v2);
    expect(DECIDERS['victim-referral'].readEvent(v1)).toEqual(upcast);
  });

  it('downcasts the v2 fixture to data valid against v1', () => {
    const downcast = downcastVictimReferralSubmittedToV1(v2);
    expect(contractProblems('VictimReferralSubmitted.v1', downcast.data)).toEqual([]);
    expect(downcast).toEqual(v1);
  });

  it('downcasts the data to v1 through the decider, as the relay does for a pinned subscriber, and to no version it has no downcaster for', () => {
    const decider = deciderFor('victim-referral');
    expect(decider.downcastData('VictimReferralSubmitted', v2.data, 1)).toEqual(v1.data);
    expect(decider.downcastData('VictimReferralSubmitted', v2.data, 0)).toBeUndefined();
    expect(decider.downcastData('VictimReferralAccepted', v2.data, 1)).toBeUndefined();
    expect(decider.downcastData('toString', v2.data, 1)).toBeUndefined();
  });
});

describe.each(RECORD_TYPES)('what the %s decider writes', (recordType) => {
  const decider = deciderFor(recordType);
  const samples = DECISION_SAMPLES[recordType];

  it('has a sample of every command type', () => {
    expect(new Set(samples.map(({ when }) => when.type))).toEqual(new Set(decider.commandTypes));
  });

  it.each(samples.map((sample) => [sample.when.type, sample] as const))('%s emits events valid against their current schema', (_type, { given, when }) => {
    const state = given.reduce((current, event) => decider.evolve(current, event), decider.initialState);
    const events = decider.decide(when, state);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      const versions = decider.eventSchemaVersions[event.type];
      expect(event.metadata.schemaVersion).toBe(versions.at(-1));
      expect(contractProblems(`${event.type}.v${event.metadata.schemaVersion}`, JSON.parse(JSON.stringify(event.data)))).toEqual([]);
    }
  });
});
