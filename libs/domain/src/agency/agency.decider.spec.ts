import {
  agencyCredentialRotated,
  agencyRegistered,
  agencyRegistration,
  agencyReinstated,
  agencyRevoked,
  agencySuspended,
  agencyJurisdictionSet,
  givenWhenThen,
  registerAgency,
  reinstateAgency,
  revokeAgency,
  rotateAgencyCredential,
  setAgencyJurisdiction,
  suspendAgency,
} from '../testing';
import { AgencyKind } from './agency';
import { agencyDecider } from './agency.decider';

const given = givenWhenThen(agencyDecider);

describe('registering an agency', () => {
  it('given no history, when an admin registers HSI as a DHS component, then it is registered with its credential hash', () => {
    given().when(registerAgency()).then(agencyRegistered());
  });

  it('registers a shelter that is not a DHS component', () => {
    const shelter = { agencyId: 'bayou-haven-shelter', kind: 'victim-service-provider', department: undefined, jurisdiction: [] } as const;
    given().when(registerAgency(shelter)).then(agencyRegistered(shelter));
  });

  it('refuses to register the same agency twice', () => {
    given(agencyRegistered()).when(registerAgency()).thenRefused('AGENCY.ALREADY_REGISTERED', 'conflict');
  });

  it.each(['local-law-enforcement', 'victim-service-provider', 'health-provider'] as const)(
    'refuses a %s that claims to be a component of a federal department (8 U.S.C. 1367 follows the department)',
    (kind) => {
      given().when(registerAgency({ kind, department: 'DOJ', jurisdiction: [] })).thenRefused('AGENCY.DEPARTMENT_NOT_FEDERAL', 'validation');
    },
  );

  it('registers a U.S. Attorney as a DOJ component and the FBI as one too: 1367 information may reach DOJ as well as DHS', () => {
    for (const kind of ['prosecutor', 'federal-law-enforcement'] as const) {
      const registration = { agencyId: `doj-${kind}`, kind, department: 'DOJ', jurisdiction: ['Orleans'] } as const;
      given().when(registerAgency(registration)).then(agencyRegistered(registration));
    }
  });

  it('refuses a department that is not DHS, DOJ or State', () => {
    given().when(registerAgency({ department: 'HHS' as never })).thenRefused('AGENCY.UNKNOWN_DEPARTMENT', 'validation');
  });

  it.each([
    ['not a list', 'Orleans'],
    ['a blank parish', ['Orleans', ' ']],
    ['a parish twice', ['Orleans', 'Orleans']],
    ['more than 100 parishes', Array.from({ length: 101 }, (_, index) => `Parish ${index}`)],
  ])('refuses a jurisdiction that is %s', (_case, jurisdiction) => {
    given().when(registerAgency({ jurisdiction: jurisdiction as never })).thenRefused('AGENCY.INVALID_JURISDICTION', 'validation');
  });

  it('reads a version 1 registration as version 2: a DHS component keeps DHS, the jurisdiction is empty', () => {
    const { department: _department, jurisdiction: _jurisdiction, ...v2 } = agencyRegistered().data;
    const v1 = { type: 'AgencyRegistered', data: { ...v2, dhsComponent: true }, metadata: { ...agencyRegistered().metadata, schemaVersion: 1 } };
    expect(agencyDecider.readEvent(v1)).toEqual({ ...agencyRegistered(), data: { ...agencyRegistered().data, jurisdiction: [] } });
    const notDhs = agencyDecider.readEvent({ ...v1, data: { ...v1.data, dhsComponent: false } });
    expect(notDhs?.type === 'AgencyRegistered' && notDhs.data).toEqual({ ...v2, jurisdiction: [] });
  });

  it.each([
    ['an id with capitals', { agencyId: 'HSI' }, 'AGENCY.INVALID_ID'],
    ['no name', { name: ' ' }, 'AGENCY.NAME_REQUIRED'],
    ['an unknown kind', { kind: 'militia' as AgencyKind }, 'AGENCY.UNKNOWN_KIND'],
    ['a token instead of its hash', { credentialSha256: 'hsi-demo-token' }, 'AGENCY.INVALID_CREDENTIAL'],
    ['a hash in capitals', { credentialSha256: agencyRegistration().credentialSha256.toUpperCase() }, 'AGENCY.INVALID_CREDENTIAL'],
  ] as const)('refuses a registration with %s', (_what, overrides, code) => {
    given().when(registerAgency(overrides)).thenRefused(code, 'validation');
  });

  it('is read back as its registration', () => {
    const { state } = given(agencyRegistered());
    expect(agencyDecider.view(state)).toEqual({ originatorAgencyId: 'hsi-new-orleans', status: 'registered', record: agencyRegistered().data });
    expect(agencyDecider.streamId('hsi-new-orleans')).toBe('agency-hsi-new-orleans');
  });
});

describe('rotating an agency credential', () => {
  it('given a registered agency, when an admin rotates with a day of grace, then the old credential works until that day is out', () => {
    given(agencyRegistered()).when(rotateAgencyCredential(86_400)).then(agencyCredentialRotated('2026-10-03T09:30:00.000Z'));
  });

  it('with no grace, the old credential stops when the new one is issued', () => {
    given(agencyRegistered()).when(rotateAgencyCredential(0)).then(agencyCredentialRotated('2026-10-02T09:30:00.000Z'));
  });

  it('allows the longest grace, 30 days', () => {
    given(agencyRegistered()).when(rotateAgencyCredential(2_592_000)).then(agencyCredentialRotated('2026-11-01T09:30:00.000Z'));
  });

  it('rotates the credential of a suspended agency (a leaked token is a reason to suspend)', () => {
    given(agencyRegistered(), agencySuspended()).when(rotateAgencyCredential(0)).then(agencyCredentialRotated('2026-10-02T09:30:00.000Z'));
  });

  it.each([
    ['a negative grace', -1],
    ['a grace of more than 30 days', 2_592_001],
    ['a fractional grace', 1.5],
    ['a grace that is not a number', '60' as unknown as number],
  ])('refuses %s', (_what, graceSeconds) => {
    given(agencyRegistered()).when(rotateAgencyCredential(graceSeconds)).thenRefused('AGENCY.INVALID_GRACE', 'validation');
  });

  it.each([
    ['a token instead of its hash', 'hsi-rotated-token'],
    ['a hash in capitals', 'F1E59B5FCED32E51361CD41AD60082EC06EAA1F10615D62A638DAFBD8A227A39'],
  ])('refuses %s', (_what, credentialSha256) => {
    given(agencyRegistered()).when(rotateAgencyCredential(60, credentialSha256)).thenRefused('AGENCY.INVALID_CREDENTIAL', 'validation');
  });

  it('refuses an agency that was never registered', () => {
    given().when(rotateAgencyCredential()).thenRefused('AGENCY.NOT_FOUND', 'not-found');
  });

  it('keeps the newest credential in the record', () => {
    const { state } = given(agencyRegistered(), agencyCredentialRotated());
    expect(agencyDecider.view(state)?.record).toMatchObject({ credentialSha256: 'f1e59b5fced32e51361cd41ad60082ec06eaa1f10615d62a638dafbd8a227a39' });
  });
});

describe('suspending and reinstating an agency', () => {
  it('given a registered agency, when an admin suspends it with a reason, then it is suspended', () => {
    given(agencyRegistered()).when(suspendAgency()).then(agencySuspended());
    expect(given(agencyRegistered(), agencySuspended()).state.status).toBe('suspended');
  });

  it('refuses to suspend an agency twice', () => {
    given(agencyRegistered(), agencySuspended()).when(suspendAgency()).thenRefused('AGENCY.ALREADY_SUSPENDED', 'illegal-state');
  });

  it.each([
    ['no reason', ''],
    ['a blank reason', '   '],
    ['a reason of 201 characters', 'x'.repeat(201)],
    ['a reason that is not text', null as unknown as string],
  ])('refuses a suspension with %s', (_what, reason) => {
    given(agencyRegistered()).when(suspendAgency(reason)).thenRefused('AGENCY.REASON_REQUIRED', 'validation');
  });

  it('accepts a reason of exactly 200 characters', () => {
    given(agencyRegistered()).when(suspendAgency('y'.repeat(200))).then(agencySuspended('y'.repeat(200)));
  });

  it('given a suspended agency, when an admin reinstates it, then it is active again', () => {
    given(agencyRegistered(), agencySuspended()).when(reinstateAgency()).then(agencyReinstated());
    expect(given(agencyRegistered(), agencySuspended(), agencyReinstated()).state.status).toBe('registered');
  });

  it('refuses to reinstate an agency that is not suspended', () => {
    given(agencyRegistered()).when(reinstateAgency()).thenRefused('AGENCY.NOT_SUSPENDED', 'illegal-state');
    given(agencyRegistered(), agencySuspended(), agencyReinstated()).when(reinstateAgency()).thenRefused('AGENCY.NOT_SUSPENDED', 'illegal-state');
  });

  it('refuses to suspend or reinstate an agency that was never registered', () => {
    given().when(suspendAgency()).thenRefused('AGENCY.NOT_FOUND', 'not-found');
    given().when(reinstateAgency()).thenRefused('AGENCY.NOT_FOUND', 'not-found');
  });
});

describe('revoking an agency', () => {
  it('given an active agency, when an admin revokes it, then it is revoked', () => {
    given(agencyRegistered()).when(revokeAgency()).then(agencyRevoked());
  });

  it('revokes a suspended agency', () => {
    given(agencyRegistered(), agencySuspended()).when(revokeAgency()).then(agencyRevoked());
  });

  it('refuses a revocation without a reason', () => {
    given(agencyRegistered()).when(revokeAgency(' ')).thenRefused('AGENCY.REASON_REQUIRED', 'validation');
  });

  it('refuses an agency that was never registered', () => {
    given().when(revokeAgency()).thenRefused('AGENCY.NOT_FOUND', 'not-found');
  });

  it.each([
    ['a rotation', rotateAgencyCredential()],
    ['a suspension', suspendAgency()],
    ['a reinstatement', reinstateAgency()],
    ['a second revocation', revokeAgency()],
    ['a change of jurisdiction', setAgencyJurisdiction()],
  ])('is final: after it, %s is refused', (_what, command) => {
    given(agencyRegistered(), agencyRevoked()).when(command).thenRefused('AGENCY.REVOKED', 'illegal-state');
    given(agencyRegistered(), agencySuspended(), agencyRevoked()).when(command).thenRefused('AGENCY.REVOKED', 'illegal-state');
  });

  it('refuses a registration of the revoked agency id (the stream is taken for good)', () => {
    given(agencyRegistered(), agencyRevoked()).when(registerAgency()).thenRefused('AGENCY.ALREADY_REGISTERED', 'conflict');
  });
});

describe("changing an agency's jurisdiction", () => {
  it('given a registered or suspended agency, when an admin sets its parishes, then they replace the ones it served', () => {
    given(agencyRegistered()).when(setAgencyJurisdiction()).then(agencyJurisdictionSet());
    given(agencyRegistered(), agencySuspended()).when(setAgencyJurisdiction([])).then(agencyJurisdictionSet([]));
    const evolved = [agencyRegistered(), agencyJurisdictionSet()].reduce(agencyDecider.evolve, agencyDecider.initialState);
    expect(evolved.status === 'registered' && evolved.record.jurisdiction).toEqual(['Orleans', 'Plaquemines']);
  });

  it.each([
    ['a blank parish', [' ']],
    ['a parish twice', ['Orleans', 'Orleans']],
    ['a parish name over 100 characters', ['x'.repeat(101)]],
    ['more than 100 parishes', Array.from({ length: 101 }, (_, index) => `Parish ${index}`)],
    ['not a list', 'Orleans' as never],
  ])('refuses %s', (_what, jurisdiction) => {
    given(agencyRegistered()).when(setAgencyJurisdiction(jurisdiction)).thenRefused('AGENCY.INVALID_JURISDICTION', 'validation');
  });

  it('refuses an agency that was never registered', () => {
    given().when(setAgencyJurisdiction()).thenRefused('AGENCY.NOT_FOUND', 'not-found');
  });
});
