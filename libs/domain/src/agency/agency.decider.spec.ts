import { agencyRegistered, agencyRegistration, givenWhenThen, registerAgency } from '../testing';
import { AgencyKind } from './agency';
import { agencyDecider } from './agency.decider';

const given = givenWhenThen(agencyDecider);

describe('registering an agency', () => {
  it('given no history, when an admin registers HSI as a DHS component, then it is registered with its credential hash', () => {
    given().when(registerAgency()).then(agencyRegistered());
  });

  it('registers a shelter that is not a DHS component', () => {
    const shelter = { agencyId: 'bayou-haven-shelter', kind: 'victim-service-provider', dhsComponent: false } as const;
    given().when(registerAgency(shelter)).then(agencyRegistered(shelter));
  });

  it('refuses to register the same agency twice', () => {
    given(agencyRegistered()).when(registerAgency()).thenRefused('AGENCY.ALREADY_REGISTERED', 'conflict');
  });

  it.each(['local-law-enforcement', 'prosecutor', 'victim-service-provider', 'health-provider'] as const)(
    'refuses a %s that claims to be a DHS component (8 U.S.C. 1367 follows this flag)',
    (kind) => {
      given().when(registerAgency({ kind, dhsComponent: true })).thenRefused('AGENCY.DHS_COMPONENT_NOT_FEDERAL', 'validation');
    },
  );

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
