import fc from 'fast-check';
import {
  Agency,
  AGENCY_KINDS,
  CONSENT_PURPOSES,
  FieldRule,
  FIELD_ACTIONS,
  GENERALIZATIONS,
  GuardianRelationship,
  IMMIGRATION_RELIEF_STATUSES,
  RecordEvent,
  SharableRecordType,
  SharingPolicy,
  validateSharingPolicy,
} from '@crescent/domain';
import { arrestRecorded, arrestRecordExpunged, arrestRecordSealed, consentRecorded, referralSubmitted } from '@crescent/domain/testing';
import * as compiler from './compile-policy';
import { projectForRecipient, Projection } from './project-for-recipient';
import { ProjectionCache } from './projection-cache';
import { IMMIGRATION_RELIEF_PATHS, isAtOrUnder, VAWA_PII_PATHS } from './statute';
import { PseudonymKeys } from './transforms';
import { allPaths, feedEventOf, KEYS, leafPaths, stateOf } from './testing/feed';

const RUNS = 10_000;
function check(name: string, property: fc.IPropertyWithHooks<never> | fc.IProperty<never>): void {
  fc.assert(property as fc.IProperty<unknown>, { numRuns: RUNS });
  process.stdout.write(`property "${name}": ${RUNS} cases\n`);
}

const AGENCY_IDS = ['hsi-new-orleans', 'st-bernard-sheriff', 'bayou-haven-shelter', 'fbi-new-orleans', 'orleans-parish-da'];
const NOW = '2026-11-02T14:30:00.000Z';
const marker = fc.stringMatching(/^[A-Z]{8}$/).map((letters) => `ZQ${letters}`);
const date = fc.record({ y: fc.integer({ min: 1950, max: 2020 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
  .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const agency: fc.Arbitrary<Agency> = fc.record({
  id: fc.constantFrom(...AGENCY_IDS),
  name: fc.constant('Agency'),
  kind: fc.constantFrom(...AGENCY_KINDS),
  department: fc.constantFrom(undefined, 'DHS', 'DOJ', 'State'),
  jurisdiction: fc.constantFrom([], ['Orleans'], ['St. Bernard']),
});
const originKind = fc.constantFrom(...AGENCY_KINDS);

const referral = fc.record({
  originator: fc.constantFrom(...AGENCY_IDS),
  kind: originKind,
  addressee: fc.constantFrom(...AGENCY_IDS),
  givenName: marker, familyName: marker, phone: marker, description: marker,
  dateOfBirth: date,
  isMinor: fc.boolean(),
  status: fc.constantFrom(...IMMIGRATION_RELIEF_STATUSES),
  dependents: fc.array(fc.record({ relationship: fc.constantFrom('son', 'daughter'), age: fc.integer({ min: 0, max: 17 }) }), { maxLength: 3 }),
}).map((r): RecordEvent => {
  const event = referralSubmitted({
    referredToAgencyId: r.addressee,
    victim: { givenName: r.givenName, familyName: r.familyName, dateOfBirth: r.dateOfBirth, nationality: 'HN', phone: r.phone, preferredLanguages: ['es'] },
    immigrationReliefStatus: r.status,
    dependents: r.dependents,
    foundAt: { description: r.description, parish: 'Orleans' },
  }, r.isMinor);
  return { ...event, data: { ...event.data, referringAgencyId: r.originator }, metadata: { ...event.metadata, agencyId: r.originator, agencyKind: r.kind } };
});

const REFERRAL_FIELDS = ['victim', 'victim.givenName', 'victim.familyName', 'victim.phone', 'victim.dateOfBirth', 'foundAt', 'dependents', 'immigrationReliefStatus', 'guardian'];
const consent = fc.record({
  recipients: fc.subarray(AGENCY_IDS, { minLength: 1 }),
  purposes: fc.subarray([...CONSENT_PURPOSES], { minLength: 1 }),
  fields: fc.subarray(REFERRAL_FIELDS, { minLength: 1 }),
  expired: fc.boolean(),
  minor: fc.boolean(),
  guardian: fc.option(fc.constantFrom<GuardianRelationship>('aunt', 'mother'), { nil: undefined }),
  revoked: fc.boolean(),
  id: fc.integer({ min: 1, max: 3 }),
}).map((c) => {
  const recorded = consentRecorded({
    consentId: `consent-${c.id}`,
    recipientAgencyIds: c.recipients,
    purposes: c.purposes,
    fields: c.fields,
    expiresAt: c.expired ? '2026-11-01T00:00:00.000Z' : '2027-05-03T00:00:00.000Z',
    victimIsMinor: c.minor,
    guardian: c.guardian === undefined ? undefined : { name: 'Rosa Example', relationship: c.guardian },
  });
  const revocation = { type: 'ConsentRevoked' as const, data: { consentId: `consent-${c.id}`, reason: 'asked', revokedAt: NOW }, metadata: recorded.metadata };
  return { events: c.revoked ? [recorded, revocation] : [recorded], consent: c };
});

const arrest = fc.record({
  given: fc.constantFrom('John', 'Rosa'),
  family: fc.constantFrom('Doe', 'Example'),
  dob: date,
  relationship: fc.option(fc.constantFrom<GuardianRelationship>('aunt', 'mother', 'uncle'), { nil: undefined }),
  closing: fc.constantFrom('none', 'sealed', 'expunged'),
})
  .map(({ given, family, dob, relationship, closing }) => {
    const arrestee = { givenName: given, familyName: family, dateOfBirth: dob, ...(relationship ? { relationshipToVictim: relationship } : {}) };
    const event: RecordEvent = arrestRecorded({ arrestee });
    const after = closing === 'sealed' ? [arrestRecordSealed()] : closing === 'expunged' ? [arrestRecordExpunged()] : [];
    return { event, after, closed: closing !== 'none' };
  });

/** Rules over the real paths of the record type, with random actions and conditions; nested rules only under include or drop. */
function policy(recordType: SharableRecordType, paths: string[]): fc.Arbitrary<SharingPolicy> {
  const rule = (path: string) => fc.record({
    action: fc.constantFrom(...FIELD_ACTIONS),
    keepLast: fc.integer({ min: 0, max: 16 }),
    to: fc.constantFrom(...GENERALIZATIONS),
    recipientKinds: fc.option(fc.subarray([...AGENCY_KINDS]), { nil: undefined }),
    originKinds: fc.option(fc.subarray([...AGENCY_KINDS]), { nil: undefined }),
    requiresConsent: fc.option(fc.boolean(), { nil: undefined }),
  }).map(({ action, keepLast, to, recipientKinds, originKinds, requiresConsent }): FieldRule => ({
    path, action,
    ...(action === 'mask' && { keepLast }),
    ...(action === 'generalize' && { to }),
    when: { recipientKinds, originKinds, requiresConsent },
  }));
  return fc.record({
    rules: fc.subarray(paths, { minLength: 1 }).chain((chosen) => fc.tuple(...chosen.map(rule))),
    purpose: fc.constantFrom(...CONSENT_PURPOSES),
    addresseeOnly: fc.boolean(),
  }).map(({ rules, purpose, addresseeOnly }) => {
    const fixed = rules.map((r) => (r.action !== 'include' && r.action !== 'drop' && rules.some((o) => o.path.startsWith(`${r.path}.`)) ? { ...r, action: 'include' as const, keepLast: undefined, to: undefined } : r))
      .map((r) => JSON.parse(JSON.stringify(r)) as FieldRule);
    const result: SharingPolicy = { policyId: 'random', appliesTo: { agencyKind: 'prosecutor' }, recordType, purpose, addresseeOnly, rules: fixed };
    validateSharingPolicy(result);
    return result;
  });
}

const REFERRAL_PATHS = [...allPaths(referralSubmitted().data), 'victim.email'];
const ARREST_PATHS = allPaths(arrestRecorded({ arrestee: { ...arrestRecorded().data.arrestee, relationshipToVictim: 'mother' } }).data);
const CONSENT_PATHS = allPaths(consentRecorded({ guardian: { name: 'x', relationship: 'mother' } }).data);

/** A referral, the consents and arrests around it, and a random policy, projected for a random agency. */
const referralScenario = fc.record({
  event: referral,
  consents: fc.array(consent, { maxLength: 3 }),
  arrests: fc.array(arrest, { maxLength: 1 }),
  recipient: agency,
  policy: policy('victim-referral', REFERRAL_PATHS),
});

/** The events a scenario's consents and arrests put in the feed before its event. */
function historyOf(consents: readonly { events: RecordEvent[] }[], arrests: readonly { event: RecordEvent; after: RecordEvent[] }[]): RecordEvent[] {
  return [...consents.flatMap((c) => c.events), ...arrests.flatMap((a) => [a.event, ...a.after])];
}

/** A referral, an arrest record or a consent event, with its history, a recipient and a random policy. */
const anyScenario = fc.oneof(
  referralScenario.map(({ event, consents, arrests, recipient, policy }) => ({ history: historyOf(consents, arrests), event, recipient, policy })),
  fc.record({ a: arrest, recipient: agency, policy: policy('arrest-record', ARREST_PATHS) }).map(({ a, recipient, policy }) => ({ history: [], event: a.event, recipient, policy })),
  fc.record({ c: consent, recipient: agency, policy: policy('consent', CONSENT_PATHS) }).map(({ c, recipient, policy }) => ({ history: c.events.slice(1), event: c.events[0], recipient, policy })),
);

function projectScenario(history: RecordEvent[], event: RecordEvent, recipient: Agency, policy: SharingPolicy, keys: PseudonymKeys = KEYS, cache?: ProjectionCache) {
  return projectForRecipient(feedEventOf(event), recipient, stateOf(...history, event), keys, { draft: policy, cache });
}

/**
 * Runs `body` with every policy compiled in it checking its wire walk against the general walk on each
 * call; returns how many calls were compared, so a test can show the check ran.
 */
function withWireWalkCompared(body: () => void): number {
  const compile = compiler.compilePolicy;
  let compared = 0;
  const spy = jest.spyOn(compiler, 'compilePolicy').mockImplementation((policy, label) => {
    const compiled = compile(policy, label);
    const projectWire: compiler.CompiledPolicy['projectWire'] = (data, run) => {
      const wire = compiled.projectWire(data, run);
      expectSameWire(wire, compiled.project(data, run));
      compared++;
      return wire;
    };
    return { ...compiled, projectWire };
  });
  try {
    body();
  } finally {
    spy.mockRestore();
  }
  return compared;
}

function expectSameWire(wire: ReturnType<compiler.CompiledPolicy['projectWire']>, general: ReturnType<compiler.CompiledPolicy['project']>): void {
  expect(wire.json).toBe(JSON.stringify(general.payload));
  expect(wire.disclosedFields).toEqual(general.fields.filter((field) => field.outcome !== 'withheld').map((field) => field.path));
  expect(wire.withheldFields).toEqual(general.fields.filter((field) => field.outcome === 'withheld').map((field) => field.path));
  expect(wire.consentIds).toEqual(general.consentIds);
  expect(wire.disclosed).toBe(general.disclosed);
}

/** The rule that governs a payload path: the one with the longest path at or above it. */
function governingRule(rules: readonly FieldRule[], path: string): FieldRule | undefined {
  return rules.filter((rule) => isAtOrUnder(path, rule.path)).sort((a, b) => b.path.length - a.path.length)[0];
}

function onlyGranted(projection: Projection | undefined, policy: SharingPolicy): boolean {
  if (!projection) return true;
  return leafPaths(projection.payload).every((path) => {
    const rule = governingRule(policy.rules, path);
    if (!rule || rule.action === 'drop') return false;
    return rule.action === 'include' || rule.path === path;
  });
}

describe('properties of the projection', () => {
  it('never discloses a field outside the grants of the policy', () => {
    const scenario = fc.oneof(
      referralScenario.map(({ event, consents, recipient, policy }) => ({ history: consents.flatMap((c) => c.events), event, recipient, policy })),
      fc.record({ a: arrest, recipient: agency, policy: policy('arrest-record', ARREST_PATHS) }).map(({ a, recipient, policy }) => ({ history: [], event: a.event, recipient, policy })),
      fc.record({ c: consent, recipient: agency, policy: policy('consent', CONSENT_PATHS) }).map(({ c, recipient, policy }) => ({ history: c.events.slice(1), event: c.events[0], recipient, policy })),
    );
    check('no ungranted field', fc.property(scenario, ({ history, event, recipient, policy }) => {
      const projection = projectScenario(history, event, recipient, policy);
      expect(onlyGranted(projection, policy)).toBe(true);
    }) as never);
  });

  it('writes the same JSON text and ledger by the wire walk the relay runs as the general walk', () => {
    const compared = withWireWalkCompared(() =>
      check('wire walk = general walk (JSON text and ledger)', fc.property(anyScenario, ({ history, event, recipient, policy }) => {
        const projection = projectScenario(history, event, recipient, policy);
        if (projection) {
          expect(projection.payloadJson).toBe(JSON.stringify(projection.payload));
          expect(JSON.parse(JSON.stringify(projection)).fields).toEqual(projection.fields);
        }
      }) as never),
    );
    expect(compared).toBeGreaterThan(RUNS / 10);
  });

  it('keeps the wire walk equal to the general walk when one compiled policy serves many events (its walk is rebuilt as new keys appear)', () => {
    // A handful of policies, each reused across many events: the relay's case, unlike a fresh draft per scenario.
    const policies = fc.sample(policy('victim-referral', REFERRAL_PATHS), { numRuns: 5, seed: 4471 });
    const reused = fc.record({ scenario: referralScenario, index: fc.integer({ min: 0, max: policies.length - 1 }) });
    const cache = new ProjectionCache();
    const compared = withWireWalkCompared(() =>
      check('one compiled policy, many events: wire walk = general walk', fc.property(reused, ({ scenario: { event, consents, arrests, recipient }, index }) => {
        projectScenario(historyOf(consents, arrests), event, recipient, policies[index], KEYS, cache);
      }) as never),
    );
    expect(compared).toBeGreaterThan(RUNS / 10);
  });

  it('never breaks a statutory rule', () => {
    check('no statute broken', fc.property(referralScenario, ({ event, consents, arrests, recipient, policy }) => {
      const history = historyOf(consents, arrests);
      const projection = projectScenario(history, event, recipient, policy);
      const text = JSON.stringify(projection?.payload ?? {});
      const paths = leafPaths(projection?.payload ?? {});
      // 8 U.S.C. 1367
      if (recipient.department === undefined) {
        expect(paths.filter((path) => IMMIGRATION_RELIEF_PATHS['victim-referral'].some((p) => isAtOrUnder(path, p) || isAtOrUnder(p, path)))).toEqual([]);
      }
      // VAWA, with an independent reading of which consents stand
      const data = event.data as ReturnType<typeof referralSubmitted>['data'];
      const fromVsp = event.metadata.agencyKind === 'victim-service-provider';
      const suspects = new Set(arrests.map((a) => (a.event.data as { arrestee: { relationshipToVictim?: string } }).arrestee.relationshipToVictim));
      const standing = consents.map((c) => c.consent).filter((c, index, all) =>
        all.map((o) => o.id).lastIndexOf(c.id) === index &&
        !c.revoked && !c.expired && c.recipients.includes(recipient.id) && c.purposes.includes(policy.purpose) &&
        (!(c.minor || data.victim.isMinor) || (c.guardian !== undefined && !suspects.has(c.guardian))));
      const covered = (path: string) => standing.some((c) => c.fields.some((field) => isAtOrUnder(path, field)));
      if (fromVsp && projection) {
        for (const pii of VAWA_PII_PATHS['victim-referral']) {
          if (!covered(pii)) expect(paths.filter((path) => isAtOrUnder(path, pii) || isAtOrUnder(pii, path) && path !== 'foundAt')).toEqual([]);
        }
        const secrets: [string, string][] = [['victim.givenName', data.victim.givenName], ['victim.familyName', data.victim.familyName], ['victim.phone', data.victim.phone], ['foundAt.description', data.foundAt.description]];
        for (const [path, secret] of secrets) if (!covered(path)) expect(text).not.toContain(secret.slice(-4));
      }
      // Sealed and expunged records
      for (const a of arrests) {
        if (!a.closed) continue;
        const everything: SharingPolicy = { ...policy, recordType: 'arrest-record', rules: ARREST_PATHS.map((path) => ({ path, action: 'include' as const })) };
        const sealedState = stateOf(...history, event);
        for (const arrestEvent of [a.event, ...a.after]) {
          expect(projectForRecipient(feedEventOf(arrestEvent), recipient, sealedState, KEYS, { draft: everything })).toBeUndefined();
        }
      }
    }) as never);
  });

  it('gives stable pseudonyms per recipient, unrelated ones across recipients and key ids', () => {
    const keysOf = (keyId: string): PseudonymKeys => (agencyId) => ({ keyId, secret: Buffer.from(`s-${agencyId}`) });
    const pseudonymizeAll: SharingPolicy = { policyId: 'pseudonyms', appliesTo: { agencyKind: 'prosecutor' }, recordType: 'victim-referral', purpose: 'investigation', addresseeOnly: false, rules: [{ path: 'victim.givenName', action: 'pseudonymize' }, { path: 'victim.phone', action: 'pseudonymize' }] };
    const recipients = fc.uniqueArray(fc.constantFrom(...AGENCY_IDS.slice(3)), { minLength: 2, maxLength: 2 });
    check('stable, recipient-specific pseudonyms', fc.property(referral, recipients, (event, [a, b]) => {
      const lawful = { ...event, metadata: { ...event.metadata, agencyId: 'hsi-new-orleans', agencyKind: 'federal-law-enforcement' as const }, data: { ...event.data, referringAgencyId: 'hsi-new-orleans', immigrationReliefStatus: 'none' } } as RecordEvent;
      const to = (id: string, keyId = 'k1') => projectScenario([], lawful, { id, name: id, kind: 'prosecutor', jurisdiction: ['Orleans'] }, pseudonymizeAll, keysOf(keyId))?.payload.victim as Record<string, string>;
      const first = to(a);
      expect(to(a)).toEqual(first);
      const other = to(b);
      const rotated = to(a, 'k2');
      for (const field of ['givenName', 'phone']) {
        expect(first[field]).toMatch(/^k1:/);
        expect(other[field]).not.toBe(first[field]);
        expect(rotated[field]).not.toBe(first[field]);
      }
    }) as never);
  });
});
