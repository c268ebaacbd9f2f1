/**
 * Random feeds for the oracle: several referrals with their whole lifecycle, consents (some naming
 * another referral, expiring exactly at the disclosure time), arrests (sealed or not), cases linking
 * them, recipients of every kind and department, policies used as drafts. Strings are hostile on
 * purpose; unknown keys (`__proto__`, `constructor`, `toString`) ride along in the data.
 */
import fc from 'fast-check';
import { Agency, AgencyKind, DECIDERS, FederalDepartment, FieldRule, RecordEvent, SharableRecordType, SharingPolicy } from '@crescent/domain';
import { AnyEvent } from './model';

export interface Pooled {
  readonly id: string;
  readonly kind: AgencyKind;
  readonly department?: FederalDepartment;
}

/** The agencies that write events: each id has one kind, as the edge stamps it. */
export const POOL: readonly Pooled[] = [
  { id: 'hsi', kind: 'federal-law-enforcement', department: 'DHS' },
  { id: 'fbi', kind: 'federal-law-enforcement', department: 'DOJ' },
  { id: 'dss', kind: 'federal-law-enforcement', department: 'State' },
  { id: 'marshals', kind: 'federal-law-enforcement' },
  { id: 'sheriff', kind: 'local-law-enforcement' },
  { id: 'nopd', kind: 'local-law-enforcement' },
  { id: 'da', kind: 'prosecutor' },
  { id: 'usao', kind: 'prosecutor', department: 'DOJ' },
  { id: 'shelter', kind: 'victim-service-provider' },
  { id: 'legal-aid', kind: 'victim-service-provider' },
  { id: 'clinic', kind: 'health-provider' },
];
const IDS = POOL.map((agency) => agency.id);
const KINDS: AgencyKind[] = ['federal-law-enforcement', 'local-law-enforcement', 'prosecutor', 'victim-service-provider', 'health-provider'];
const DEPARTMENTS: FederalDepartment[] = ['DHS', 'DOJ', 'State'];
const PURPOSES = ['victim-services', 'investigation', 'prosecution', 'health-care', 'legal-services'] as const;
const STATUSES = ['none', 't-visa-applicant', 'u-visa-applicant', 'continued-presence', 'vawa-self-petitioner'] as const;
/** Parishes as agencies and records spell them: case, spacing and padding vary. */
const PARISHES = ['Orleans', 'orleans', ' ORLEANS ', 'St. Bernard', 'st.  bernard', 'Jefferson', 'Plaquemines', 'Saint\tBernard'];
const NAMES: [string, string][] = [
  ['John', 'Doe'],
  ['Rosa', 'Example'],
  ['Ana', 'Lopez'],
  ['Мария', 'Иванова'],
];
/** Instants: disclosure times, expiries (the same instant written two ways), event times. */
export const INSTANTS = [
  '2026-11-02T14:30:00.000Z',
  '2027-01-01T00:00:00.000Z',
  '2027-05-03T00:00:00.000Z',
  '2027-05-03T02:00:00+02:00',
  '2027-05-03T00:00:00.001Z',
  '2028-01-01T00:00:00.000Z',
];
const NOWS = ['2026-11-02T14:30:00.000Z', '2012-06-15T12:00:00.000Z', '2044-03-17T00:00:00.000Z', 'not a time'];
/** Few relationships, so that an arrestee's often matches a guardian's; now and then free text, as a v1 consent typed it. */
const RELATIONSHIPS = ['mother', 'aunt', 'legal-guardian'];
const relationship = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...RELATIONSHIPS) }, { weight: 1, arbitrary: fc.constantFrom('', ' aunt', 'Mother') });
const BIRTH_DATES = ['1994-03-17', '2010-11-03', '1950-01-01', '2008-11-02', '1994-3-17', '2030-01-01'];
const CONSENT_FIELDS = [
  'status',
  'victim',
  'victim.givenName',
  'victim.phone',
  'victim.dateOfBirth',
  'foundAt',
  'foundAt.parish',
  'phone',
  'needs',
  'dependents',
  'guardian',
  'guardian.name',
  'referralId',
  'arrestee',
  'arrestee.relationshipToVictim',
  'victimReferralIds',
  'title',
  'notes',
];

const SPECIALS = [
  '"',
  '\\',
  '\\"',
  '\u0000',
  '\n',
  '\r\t',
  '\u001f',
  '\u007f',
  '\u2028\u2029',
  '\ud800',
  '\udfff',
  'a\udc00b',
  '\ud83d\ude00',
  '\u202e\u200f\u200e',
  '\ufeff',
  'Мария',
  '玛丽亚',
  'مريم',
  'ह',
  '</script>',
  '${x}',
  '__proto__',
  '',
];

export const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIALS) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...SPECIALS, 'a', 'Z', ' ', '0'), { maxLength: 4 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

const leafValue: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.integer({ min: -5, max: 100000 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(text, { maxLength: 2 }),
);

/** An own property whatever the key (a `__proto__` key becomes data, not a prototype). */
function objectOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

const UNKNOWN_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'notes', 'x_extra'];
/** Unknown keys at the top of the data: `__proto__` among them, with a leaf or a nested object. */
const topExtras = fc
  .uniqueArray(
    fc.tuple(
      fc.constantFrom(...UNKNOWN_KEYS),
      fc.oneof(
        leafValue,
        fc.uniqueArray(fc.tuple(fc.constantFrom('a', '__proto__', 'constructor', 'toString', 'b'), leafValue), { minLength: 1, maxLength: 3, selector: ([key]) => key }).map(objectOf),
      ),
    ),
    { maxLength: 2, selector: ([key]) => key },
  )
  .map(objectOf);
/** Unknown keys inside known objects (victim, foundAt...): no `__proto__` there, as transforms read these whole. */
const innerExtras = fc
  .uniqueArray(fc.tuple(fc.constantFrom('constructor', 'toString', 'valueOf', 'extra'), leafValue), { maxLength: 1, selector: ([key]) => key })
  .map(objectOf);
const withExtras = fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: topExtras });
const withInner = fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: innerExtras });

const VERSIONS: Record<string, number> = {};
for (const decider of Object.values(DECIDERS)) {
  for (const [type, versions] of Object.entries(decider.eventSchemaVersions as Record<string, readonly number[]>)) VERSIONS[type] = versions[versions.length - 1];
}

function metadataOf(type: string, agencyId: string, now: string) {
  const agency = POOL.find((candidate) => candidate.id === agencyId) as Pooled;
  return {
    agencyId,
    agencyKind: agency.kind,
    ...(agency.department ? { agencyDepartment: agency.department } : {}),
    now,
    correlationId: 'corr',
    schemaVersion: VERSIONS[type] ?? 1,
  };
}

function eventOf(type: string, data: Record<string, unknown>, agencyId: string, now: string): AnyEvent {
  return { type, data, metadata: metadataOf(type, agencyId, now) };
}

const agencyId = fc.constantFrom(...IDS);
const vspOrAny = fc.oneof({ weight: 2, arbitrary: fc.constantFrom('shelter', 'legal-aid') }, { weight: 1, arbitrary: agencyId });
const now = fc.constantFrom(...NOWS);
const instant = fc.constantFrom(...INSTANTS);

const victim = fc
  .record({
    givenName: text,
    familyName: text,
    dateOfBirth: fc.constantFrom(...BIRTH_DATES),
    nationality: fc.constantFrom('HN', 'MX', 'UA', 'CN'),
    phone: fc.oneof(fc.constantFrom('+1 504 555 0142', '12'), text),
    preferredLanguages: fc.array(fc.constantFrom('es', 'en', 'uk'), { maxLength: 2 }),
    isMinor: fc.boolean(),
    extras: withInner,
  })
  .map(({ extras, ...rest }) => ({ ...rest, ...extras }));
const place = fc
  .record({ description: text, parish: fc.constantFrom(...PARISHES), extras: withInner })
  .map(({ extras, ...rest }) => ({ ...rest, ...extras }));
const officer = fc.record({ name: text, badgeNumber: fc.constantFrom('HSI-4471', 'B-1'), phone: fc.constantFrom('+1 504 555 0199', '') });
const status = fc.oneof({ weight: 2, arbitrary: fc.constant('none' as const) }, { weight: 2, arbitrary: fc.constantFrom(...STATUSES) });
const dependents = fc.array(fc.record({ relationship: text, age: fc.integer({ min: 0, max: 17 }) }), { maxLength: 2 });

function referralStream(referralId: string): fc.Arbitrary<AnyEvent[]> {
  const details = fc.record({
    victim,
    immigrationReliefStatus: status,
    needs: fc.subarray(['shelter', 'legal', 'medical', 'interpreter']),
    dependents,
    foundAt: place,
    referringOfficer: officer,
    // 8 U.S.C. 1367(b)(7): the victim's written consent to the referral to its addressee, carried by the submission or a correction.
    victimServicesConsent: fc.option(now.map((writtenConsentObtainedAt) => ({ writtenConsentObtainedAt })), { nil: undefined }),
  }).map(({ victimServicesConsent, ...rest }) => (victimServicesConsent === undefined ? rest : { ...rest, victimServicesConsent }));
  const submitted = fc
    .record({ details, referringAgencyId: agencyId, referredToAgencyId: vspOrAny, at: now, extras: withExtras })
    .map(({ details: d, referringAgencyId, referredToAgencyId, at, extras }) =>
      eventOf(
        'VictimReferralSubmitted',
        { referralId, referredToAgencyId, ...d, referringAgencyId, submittedAt: at, ...extras },
        referringAgencyId,
        at,
      ),
    );
  const followUp = fc.oneof(
    fc.record({ type: fc.constantFrom('VictimReferralAcknowledged', 'VictimReferralAccepted', 'VictimReferralDeclined', 'VictimReferralInformationRequested'), by: vspOrAny, at: now, words: text, extras: withExtras }).map(({ type, by, at, words, extras }) => {
      const data: Record<string, unknown> =
        type === 'VictimReferralAcknowledged'
          ? { referralId, acknowledgedAt: at }
          : type === 'VictimReferralAccepted'
            ? { referralId, acceptedAt: at }
            : type === 'VictimReferralDeclined'
              ? { referralId, reason: words, declinedAt: at }
              : { referralId, questionId: 'q1', question: words, requestedAt: at };
      return eventOf(type, { ...data, ...extras }, by, at);
    }),
    fc.record({ by: agencyId, at: now, reason: text }).map(({ by, at, reason }) => eventOf('VictimReferralWithdrawn', { referralId, reason, withdrawnAt: at }, by, at)),
    fc.record({ by: agencyId, at: now, answer: text, extras: withExtras }).map(({ by, at, answer, extras }) =>
      eventOf('VictimReferralInformationProvided', { referralId, questionId: 'q1', answer, providedAt: at, ...extras }, by, at),
    ),
    fc.record({ by: agencyId, at: now, phone: text, languages: fc.array(fc.constantFrom('es', 'en'), { maxLength: 2 }), extras: withExtras }).map(({ by, at, phone, languages, extras }) =>
      eventOf('VictimContactUpdated', { referralId, phone, preferredLanguages: languages, updatedAt: at, ...extras }, by, at),
    ),
    fc.record({ details, by: agencyId, at: now, extras: withExtras }).map(({ details: d, by, at, extras }) =>
      eventOf('VictimReferralCorrected', { referralId, ...d, correctedAt: at, ...extras }, by, at),
    ),
    ...immigrationEvents(referralId),
  );
  return fc.tuple(submitted, fc.array(followUp, { maxLength: 5 })).map(([first, rest]) => {
    // A denial ends the protection for good: corrections come before it (a later application is a new story).
    const denial = rest.findIndex((event) => event.type === 'ImmigrationReliefFinallyDenied');
    const ordered = denial < 0 ? rest : rest.filter((event, index) => index < denial || event.type !== 'VictimReferralCorrected');
    return [first, ...ordered];
  });
}

/** The three 8 U.S.C. 1367 events of their own ((b)(7) travels inside the submission or a correction). */
function immigrationEvents(referralId: string): fc.Arbitrary<AnyEvent>[] {
  return [
    fc.record({ recipient: agencyId, at: now, purpose: text }).map(({ recipient, at, purpose }) =>
      eventOf(
        'LawEnforcementDisclosureAuthorized',
        { referralId, recipientAgencyId: recipient, purpose, authorizingOfficial: 'ASAC', authorizingAgencyId: 'hsi', authorizedAt: at },
        'hsi',
        at,
      ),
    ),
    now.map((at) => eventOf('ImmigrationConfidentialityWaived', { referralId, waivedInWritingAt: at, recordedAt: at }, 'hsi', at)),
    now.map((at) => eventOf('ImmigrationReliefFinallyDenied', { referralId, finallyDeniedOn: '2026-10-30', recordedAt: at }, 'hsi', at)),
  ];
}

function guardianName(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...NAMES).chain(([given, family]) => fc.constantFrom(`${given} ${family}`, `  ${given.toUpperCase()}   ${family.toLowerCase()} `, `${given}\t${family}`)),
    text,
  );
}

function consentStream(consentId: string, referralIds: string[]): fc.Arbitrary<AnyEvent[]> {
  return fc
    .record({
      referralId: fc.constantFrom(...referralIds),
      victimIsMinor: fc.boolean(),
      guardian: fc.option(fc.record({ name: guardianName(), relationship }), { nil: undefined }),
      recipientAgencyIds: fc.subarray(IDS, { minLength: 1, maxLength: 4 }),
      purposes: fc.subarray([...PURPOSES], { minLength: 1 }),
      // `status` (a referral's service events) often, so that VAWA's gate on them opens now and then.
      fields: fc.tuple(fc.boolean(), fc.subarray(CONSENT_FIELDS, { minLength: 1, maxLength: 6 })).map(([status, fields]) => (status && !fields.includes('status') ? ['status', ...fields] : fields)),
      written: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      informed: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      expiresAt: instant,
      by: vspOrAny,
      at: now,
      revoked: fc.option(fc.record({ by: vspOrAny, at: now, reason: text }), { freq: 4, nil: undefined }),
      extras: withExtras,
    })
    .map(({ referralId, victimIsMinor, guardian, recipientAgencyIds, purposes, fields, written, informed, expiresAt, by, at, revoked, extras }) => {
      const data: Record<string, unknown> = {
        consentId,
        referralId,
        victimIsMinor,
        ...(guardian ? { guardian } : {}),
        recipientAgencyIds,
        purposes,
        fields,
        written,
        informed,
        expiresAt,
        recordingAgencyId: by,
        recordedAt: at,
        ...extras,
      };
      const events = [eventOf('ConsentRecorded', data, by, at)];
      if (revoked) events.push(eventOf('ConsentRevoked', { consentId, reason: revoked.reason, revokedAt: revoked.at }, revoked.by, revoked.at));
      return events;
    });
}

function arrestStream(arrestRecordId: string, referralIds: string[]): fc.Arbitrary<AnyEvent[]> {
  return fc
    .record({
      name: fc.constantFrom(...NAMES),
      dateOfBirth: fc.constantFrom(...BIRTH_DATES),
      charges: fc.array(fc.record({ statute: fc.constantFrom('La. R.S. 14:46.2', '18 U.S.C. 1591'), description: text }), { maxLength: 2 }),
      bookingNumber: fc.oneof(fc.constantFrom('OPSO-2026-118734', '42'), text),
      arrestedAt: fc.constantFrom(...INSTANTS, 'yesterday'),
      place,
      victimReferralIds: fc.subarray([...referralIds, 'ref-unknown']),
      by: agencyId,
      at: now,
      extras: withExtras,
      amended: fc.option(fc.array(fc.record({ statute: fc.constant('18 U.S.C. 1591'), description: text }), { maxLength: 2 }), { freq: 3, nil: undefined }),
      relationshipToVictim: fc.option(relationship, { freq: 2, nil: undefined }),
      // A relationship the arresting agency finds later, once or twice (a correction).
      determined: fc.array(relationship, { maxLength: 2 }),
      closing: fc.constantFrom(undefined, undefined, 'ArrestRecordSealed', 'ArrestRecordExpunged'),
    })
    .map(({ name, dateOfBirth, charges, bookingNumber, arrestedAt, place: where, victimReferralIds, by, at, extras, amended, relationshipToVictim, determined, closing }) => {
      const events = [
        eventOf(
          'ArrestRecorded',
          {
            arrestRecordId,
            arrestee: { givenName: name[0], familyName: name[1], dateOfBirth, ...(relationshipToVictim === undefined ? {} : { relationshipToVictim }) },
            charges,
            bookingNumber,
            arrestedAt,
            place: where,
            victimReferralIds,
            arrestingAgencyId: by,
            recordedAt: at,
            ...extras,
          },
          by,
          at,
        ),
      ];
      if (amended) events.push(eventOf('ArrestChargesAmended', { arrestRecordId, charges: amended, amendedAt: at }, by, at));
      for (const found of determined) events.push(eventOf('ArresteeRelationshipRecorded', { arrestRecordId, arrestee: { relationshipToVictim: found }, determinedAt: at }, by, at));
      if (closing === 'ArrestRecordSealed') events.push(eventOf(closing, { arrestRecordId, courtOrderReference: 'CDC 26-04411 "H"', sealedAt: at }, by, at));
      if (closing === 'ArrestRecordExpunged') events.push(eventOf(closing, { arrestRecordId, courtOrderReference: 'CDC\\26', expungedAt: at }, by, at));
      return events;
    });
}

function caseStream(caseId: string, referralIds: string[], arrestIds: string[]): fc.Arbitrary<AnyEvent[]> {
  const linkable = [...referralIds.map((id) => ['victim-referral', id]), ...arrestIds.map((id) => ['arrest-record', id])];
  const later = fc.oneof(
    ...(linkable.length > 0 ? [fc.constantFrom(...linkable).map(([recordType, recordId]) => ({ type: 'RecordLinkedToCase', data: { recordType, recordId } as Record<string, unknown> }))] : []),
    agencyId.map((member) => ({ type: 'CaseTeamMemberAdded', data: { agencyId: member } as Record<string, unknown> })),
    agencyId.map((member) => ({ type: 'CaseTeamMemberRemoved', data: { agencyId: member } as Record<string, unknown> })),
    text.map((reason) => ({ type: 'CaseClosed', data: { reason } as Record<string, unknown> })),
  );
  return fc
    .record({ title: text, parish: fc.constantFrom(...PARISHES), lead: officer, by: agencyId, at: now, extras: withExtras, later: fc.array(later, { maxLength: 5 }) })
    .map(({ title, parish, lead, by, at, extras, later: rest }) => {
      const events = [eventOf('CaseOpened', { caseId, title, parish, leadInvestigator: lead, openingAgencyId: by, openedAt: at, ...extras }, by, at)];
      for (const { type, data } of rest) {
        const stamp = type === 'RecordLinkedToCase' ? 'linkedAt' : type === 'CaseClosed' ? 'closedAt' : type === 'CaseTeamMemberAdded' ? 'addedAt' : 'removedAt';
        events.push(eventOf(type, { caseId, ...data, [stamp]: at }, by, at));
      }
      return events;
    });
}

export interface World {
  readonly events: AnyEvent[];
}

/** Several streams, interleaved with each stream's order kept. */
export const world: fc.Arbitrary<World> = fc
  .record({ referrals: fc.integer({ min: 1, max: 3 }), consents: fc.integer({ min: 0, max: 3 }), arrests: fc.integer({ min: 0, max: 2 }), cases: fc.integer({ min: 0, max: 2 }) })
  .chain(({ referrals, consents, arrests, cases }) => {
    const referralIds = Array.from({ length: referrals }, (_, i) => `ref-${i + 1}`);
    const arrestIds = Array.from({ length: arrests }, (_, i) => `arrest-${i + 1}`);
    return interleaved([
      ...referralIds.map((id) => referralStream(id)),
      ...Array.from({ length: consents }, (_, i) => consentStream(`consent-${i + 1}`, referralIds)),
      ...arrestIds.map((id) => arrestStream(id, referralIds)),
      ...Array.from({ length: cases }, (_, i) => caseStream(`case-${i + 1}`, referralIds, arrestIds)),
    ]);
  });

/**
 * A minor's referral, her consent with a guardian naming every agency for every purpose, and arrests
 * around her (some recording a relative, some linked through a case): the worlds where whether the
 * guardian is a suspect decides what a recipient receives, rare in `world`.
 */
export const guardianWorld: fc.Arbitrary<World> = fc
  .record({ arrests: fc.integer({ min: 1, max: 2 }), cases: fc.integer({ min: 0, max: 1 }) })
  .chain(({ arrests, cases }) => {
    const arrestIds = Array.from({ length: arrests }, (_, i) => `arrest-${i + 1}`);
    // A shelter's referral (VAWA applies to it) of a minor without immigration relief (1367 does not cut it first).
    const minor = referralStream('ref-1').map(([submitted, ...rest]) => [
      eventOf(
        'VictimReferralSubmitted',
        { ...submitted.data, victim: { ...(submitted.data.victim as Record<string, unknown>), isMinor: true }, immigrationReliefStatus: 'none', referringAgencyId: 'shelter' },
        'shelter',
        submitted.metadata.now,
      ),
      ...rest,
    ]);
    const consent = fc.tuple(consentStream('consent-1', ['ref-1']), fc.constantFrom(...RELATIONSHIPS)).map(([[recorded], guardianRelationship]) => [
      {
        ...recorded,
        data: {
          ...recorded.data,
          victimIsMinor: true,
          guardian: { name: 'Rosa Example', relationship: guardianRelationship },
          recipientAgencyIds: IDS,
          purposes: [...PURPOSES],
          fields: ['status', 'victim', 'foundAt', 'needs', 'dependents', 'phone', 'guardian', 'referralId'],
          written: true,
          informed: true,
          expiresAt: '2099-01-01T00:00:00.000Z',
        },
      },
    ]);
    return interleaved([
      minor,
      consent,
      ...arrestIds.map((id) => arrestStream(id, ['ref-1'])),
      ...Array.from({ length: cases }, (_, i) => caseStream(`case-${i + 1}`, ['ref-1'], arrestIds)),
    ]);
  });

function interleaved(streams: fc.Arbitrary<AnyEvent[]>[]): fc.Arbitrary<World> {
  return fc.tuple(fc.tuple(...streams), fc.array(fc.nat(), { minLength: 60, maxLength: 60 })).map(([picked, picks]) => {
    const queues = picked.map((stream) => [...stream]);
    const events: AnyEvent[] = [];
    let p = 0;
    // Intake refuses a link to a record that does not exist, and a consent for a referral it does not know.
    const created = new Set<string>();
    const ready = (event: AnyEvent) =>
      event.type === 'RecordLinkedToCase' ? created.has(`${String(event.data.recordType)}/${String(event.data.recordId)}`)
      : event.type === 'ConsentRecorded' ? created.has(`victim-referral/${String(event.data.referralId)}`)
      : true;
    while (queues.some((queue) => queue.length > 0)) {
      const open = queues.filter((queue) => queue.length > 0 && ready(queue[0]));
      const queue = open[(picks[p++ % picks.length] + p) % open.length];
      const event = queue.shift() as AnyEvent;
      if (event.type === 'VictimReferralSubmitted') created.add(`victim-referral/${String(event.data.referralId)}`);
      if (event.type === 'ArrestRecorded') created.add(`arrest-record/${String(event.data.arrestRecordId)}`);
      events.push(event);
    }
    return { events };
  });
}

/** A recipient: an agency of the pool (so it may be an originator, addressee, team member...) of any kind and department. */
export const recipient: fc.Arbitrary<Agency> = fc
  .record({
    pooled: fc.constantFrom(...POOL),
    kind: fc.option(fc.constantFrom(...KINDS), { freq: 3, nil: undefined }),
    department: fc.option(fc.constantFrom(...DEPARTMENTS, undefined), { freq: 4, nil: undefined }),
    overrideDepartment: fc.boolean(),
    jurisdiction: fc.subarray(PARISHES, { maxLength: 3 }),
  })
  .map(({ pooled, kind, department, overrideDepartment, jurisdiction }) => {
    const chosen = overrideDepartment ? department : pooled.department;
    return { id: pooled.id, name: `Agency ${pooled.id}`, kind: kind ?? pooled.kind, ...(chosen ? { department: chosen } : {}), jurisdiction };
  });

const RULE_PATHS: Record<SharableRecordType, string[]> = {
  'victim-referral': [
    'referralId', 'referredToAgencyId', 'victim', 'victim.givenName', 'victim.familyName', 'victim.dateOfBirth', 'victim.nationality',
    'victim.phone', 'victim.preferredLanguages', 'victim.isMinor', 'victim.constructor', 'immigrationReliefStatus', 'needs', 'dependents',
    'foundAt', 'foundAt.description', 'foundAt.parish', 'referringOfficer', 'referringOfficer.name', 'referringOfficer.phone',
    'referringAgencyId', 'submittedAt', 'acknowledgedAt', 'acceptedAt', 'reason', 'declinedAt', 'question', 'requestedAt', 'withdrawnAt',
    'phone', 'preferredLanguages', 'updatedAt', 'correctedAt', 'recipientAgencyId', 'writtenConsentObtainedAt', 'recordedAt', 'purpose',
    'authorizingOfficial', 'authorizingAgencyId', 'authorizedAt', 'waivedInWritingAt', 'finallyDeniedOn',
  ],
  consent: [
    'consentId', 'referralId', 'victimIsMinor', 'guardian', 'guardian.name', 'guardian.relationship', 'recipientAgencyIds', 'purposes',
    'fields', 'written', 'informed', 'expiresAt', 'recordingAgencyId', 'recordedAt', 'reason', 'revokedAt',
  ],
  'arrest-record': [
    'arrestRecordId', 'arrestee', 'arrestee.givenName', 'arrestee.familyName', 'arrestee.dateOfBirth', 'arrestee.relationshipToVictim', 'charges', 'bookingNumber',
    'arrestedAt', 'place', 'place.parish', 'place.description', 'victimReferralIds', 'arrestingAgencyId', 'recordedAt', 'amendedAt',
    'courtOrderReference', 'sealedAt', 'expungedAt', 'determinedAt',
  ],
  case: [
    'caseId', 'title', 'parish', 'leadInvestigator', 'leadInvestigator.name', 'leadInvestigator.badgeNumber', 'leadInvestigator.phone',
    'openingAgencyId', 'openedAt', 'recordType', 'recordId', 'linkedAt', 'reason', 'closedAt', 'agencyId', 'addedAt', 'removedAt',
  ],
};
/** Unknown keys: include or drop only (their objects may hold `__proto__`, which a whole-value transform would read). */
const EXTRA_PATHS = ['notes', 'notes.a', 'notes.constructor', 'constructor', 'toString', '__proto__', 'x_extra', 'valueOf'];

const condition = fc.record(
  {
    recipientKinds: fc.subarray(KINDS, { minLength: 1 }),
    originKinds: fc.subarray(KINDS, { minLength: 1 }),
    requiresConsent: fc.boolean(),
  },
  { requiredKeys: [] },
);

function ruleFor(path: string): fc.Arbitrary<FieldRule> {
  const when = fc.option(condition, { freq: 3, nil: undefined });
  const extra = EXTRA_PATHS.includes(path);
  const action = extra
    ? fc.constantFrom('include', 'include', 'drop')
    : fc.constantFrom('include', 'include', 'include', 'drop', 'mask', 'pseudonymize', 'generalize', 'generalize');
  return fc
    .record({
      action,
      keepLast: fc.option(fc.integer({ min: 0, max: 16 }), { nil: undefined }),
      to: fc.constantFrom('birth-year', 'age-band', 'parish', 'day', 'count', 'relationship-and-age-band'),
      when,
    })
    .map(({ action: a, keepLast, to, when: w }) => ({
      path,
      action: a as FieldRule['action'],
      ...(a === 'mask' && keepLast !== undefined ? { keepLast } : {}),
      ...(a === 'generalize' ? { to: to as FieldRule['to'] } : {}),
      ...(w && Object.keys(w).length > 0 ? { when: w } : {}),
    }));
}

function rulesFor(recordType: SharableRecordType): fc.Arbitrary<FieldRule[]> {
  const paths = [...RULE_PATHS[recordType], ...EXTRA_PATHS];
  const permissive = fc.constant(RULE_PATHS[recordType].filter((path) => !path.includes('.')).map((path): FieldRule => ({ path, action: 'include' })));
  const randomRules = fc.subarray(paths, { minLength: 1 }).chain((chosen) => fc.tuple(...chosen.map(ruleFor)));
  return fc.oneof({ weight: 1, arbitrary: permissive }, { weight: 5, arbitrary: randomRules }).map((rules) =>
    // No rule under a whole-value transform (publishing refuses NESTED_UNDER_TRANSFORM).
    rules.filter((rule) => !rules.some((other) => other !== rule && ['mask', 'pseudonymize', 'generalize'].includes(other.action) && rule.path.startsWith(other.path + '.'))),
  );
}

export function policyArb(recordType: SharableRecordType): fc.Arbitrary<SharingPolicy | undefined> {
  const policy = fc
    .record({
      recordType: fc.oneof({ weight: 12, arbitrary: fc.constant(recordType) }, { weight: 1, arbitrary: fc.constantFrom<SharableRecordType>('case', 'victim-referral', 'arrest-record', 'consent') }),
      purpose: fc.constantFrom(...PURPOSES),
      addresseeOnly: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      rules: rulesFor(recordType),
    })
    .map(({ recordType: type, purpose, addresseeOnly, rules }): SharingPolicy => ({
      policyId: 'oracle',
      appliesTo: { agencyKind: 'federal-law-enforcement' },
      recordType: type,
      purpose,
      addresseeOnly,
      rules,
    }));
  return fc.oneof({ weight: 30, arbitrary: policy }, { weight: 1, arbitrary: fc.constant(undefined) });
}

export const disclosedAt = fc.constantFrom(...INSTANTS.filter((at) => at.endsWith('Z')));

export function asRecordEvent(event: AnyEvent): RecordEvent {
  return event as unknown as RecordEvent;
}
