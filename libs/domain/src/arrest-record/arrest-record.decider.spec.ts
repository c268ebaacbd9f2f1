import {
  AMENDED_CHARGES,
  amendCharges,
  arrestChargesAmended,
  arrestDetails,
  arresteeRelationshipRecorded,
  arrestRecordExpunged,
  arrestRecorded,
  arrestRecordSealed,
  expungeArrestRecord,
  givenWhenThen,
  HSI_METADATA,
  PROSECUTOR_METADATA,
  recordArrest,
  recordArresteeRelationship,
  sealArrestRecord,
  SHELTER_METADATA,
  SHERIFF_METADATA,
} from '../testing';
import { GuardianRelationship } from '../values';
import { arrestRecordDecider } from './arrest-record.decider';
import { ArrestRecordedV1 } from './arrest-recorded.versions';

const given = givenWhenThen(arrestRecordDecider);

describe('recording an arrest', () => {
  it('given no history, when the sheriff records an arrest, then the sheriff is the arresting agency', () => {
    given().when(recordArrest()).then(arrestRecorded());
  });

  it('lets federal law enforcement record an arrest', () => {
    const [event] = given().when(recordArrest({}, HSI_METADATA)).then(expect.anything());
    expect(event.data).toMatchObject({ arrestingAgencyId: HSI_METADATA.agencyId });
  });

  it.each([PROSECUTOR_METADATA, SHELTER_METADATA])('refuses an arrest recorded by $agencyKind', (metadata) => {
    given().when(recordArrest({}, metadata)).thenRefused('ARREST.RECORDER_NOT_ALLOWED', 'forbidden');
  });

  it('refuses to record the same arrest twice', () => {
    given(arrestRecorded()).when(recordArrest()).thenRefused('ARREST.ALREADY_RECORDED', 'conflict');
  });

  const arrestee = arrestDetails().arrestee;
  it.each([
    ['no charges', { charges: [] }, 'ARREST.CHARGES_REQUIRED'],
    ['a charge without a statute', { charges: [{ statute: ' ', description: 'Pandering' }] }, 'ARREST.STATUTE_REQUIRED'],
    ['no booking number', { bookingNumber: '' }, 'ARREST.BOOKING_NUMBER_REQUIRED'],
    ['an unnamed arrestee', { arrestee: { ...arrestee, familyName: '' } }, 'ARREST.ARRESTEE_NAME_REQUIRED'],
    ['an impossible date of birth', { arrestee: { ...arrestee, dateOfBirth: '1981-02-30' } }, 'ARREST.INVALID_DATE_OF_BIRTH'],
    ['an arrest after now', { arrestedAt: '2026-11-02T15:00:01.000Z' }, 'ARREST.INVALID_ARREST_TIME'],
    ['an arrest time without an offset', { arrestedAt: '2026-11-02T06:10:00' }, 'ARREST.INVALID_ARREST_TIME'],
    ['a relationship to the victims typed rather than chosen', { arrestee: { ...arrestee, relationshipToVictim: 'Mom' as GuardianRelationship } }, 'ARREST.UNKNOWN_RELATIONSHIP'],
  ] as const)('refuses an arrest with %s', (_what, details, code) => {
    given().when(recordArrest(details)).thenRefused(code, 'validation');
  });
});

describe('the lifecycle of an arrest record', () => {
  it('amends the charges of a recorded arrest', () => {
    given(arrestRecorded()).when(amendCharges()).then(arrestChargesAmended());
  });

  it('refuses an amendment that leaves no charges', () => {
    given(arrestRecorded()).when(amendCharges([])).thenRefused('ARREST.CHARGES_REQUIRED', 'validation');
  });

  it('seals a recorded arrest on a court order', () => {
    given(arrestRecorded(), arrestChargesAmended()).when(sealArrestRecord()).then(arrestRecordSealed());
  });

  it.each([
    ['a recorded', [arrestRecorded()]],
    ['a sealed', [arrestRecorded(), arrestRecordSealed()]],
  ])('expunges %s arrest on a court order', (_status, history) => {
    given(...history).when(expungeArrestRecord()).then(arrestRecordExpunged());
  });

  it.each([
    ['seal', () => sealArrestRecord('')],
    ['expunge', () => expungeArrestRecord(' ')],
  ])('refuses to %s without a court order', (_step, command) => {
    given(arrestRecorded()).when(command()).thenRefused('ARREST.COURT_ORDER_REQUIRED', 'validation');
  });

  it.each([
    ['sealed', 'amend the charges of', () => amendCharges(), 'ARREST.SEALED'],
    ['sealed', 'seal', () => sealArrestRecord(), 'ARREST.SEALED'],
    ['expunged', 'amend the charges of', () => amendCharges(), 'ARREST.EXPUNGED'],
    ['expunged', 'seal', () => sealArrestRecord(), 'ARREST.EXPUNGED'],
    ['expunged', 'expunge', () => expungeArrestRecord(), 'ARREST.EXPUNGED'],
  ] as const)('given a %s record, refuses to %s it', (status, _step, command, code) => {
    const history = status === 'sealed' ? [arrestRecorded(), arrestRecordSealed()] : [arrestRecorded(), arrestRecordExpunged()];
    given(...history).when(command()).thenRefused(code, 'illegal-state');
  });

  const steps = [
    ['amend', (metadata = SHERIFF_METADATA) => amendCharges(AMENDED_CHARGES, metadata)],
    ['seal', (metadata = SHERIFF_METADATA) => sealArrestRecord(undefined, metadata)],
    ['expunge', (metadata = SHERIFF_METADATA) => expungeArrestRecord(undefined, metadata)],
  ] as const;

  it.each(steps)('refuses to %s an arrest that was never recorded', (_step, command) => {
    given().when(command()).thenRefused('ARREST.NOT_FOUND', 'not-found');
  });

  it.each(steps)('lets only the arresting agency %s: to a prosecutor or other police, the arrest does not exist', (_step, command) => {
    for (const metadata of [PROSECUTOR_METADATA, HSI_METADATA]) {
      given(arrestRecorded()).when(command(metadata)).thenRefusedAsIfMissing();
    }
  });
});

describe("the arrestee's relationship to the victims", () => {
  it('is recorded with the arrest, at schema version 2', () => {
    const details = { arrestee: { ...arrestDetails().arrestee, relationshipToVictim: 'mother' as const } };
    const [event] = given().when(recordArrest(details)).then(arrestRecorded(details));
    expect(event.metadata.schemaVersion).toBe(2);
  });

  it('is recorded later by the arresting agency, and the record shows the latest finding', () => {
    given(arrestRecorded()).when(recordArresteeRelationship('aunt')).then(arresteeRelationshipRecorded('aunt'));
    const { state } = given(arrestRecorded(), arresteeRelationshipRecorded('aunt'), arresteeRelationshipRecorded('grandmother'));
    expect(arrestRecordDecider.view(state)?.record).toMatchObject({ arrestee: { givenName: 'John', relationshipToVictim: 'grandmother' }, relationshipDeterminedAt: SHERIFF_METADATA.now });
  });

  it('refuses a missing, unknown or unchanged relationship', () => {
    given(arrestRecorded()).when(recordArresteeRelationship('' as GuardianRelationship)).thenRefused('ARREST.RELATIONSHIP_REQUIRED', 'validation');
    given(arrestRecorded()).when(recordArresteeRelationship('cousin' as GuardianRelationship)).thenRefused('ARREST.UNKNOWN_RELATIONSHIP', 'validation');
    given(arrestRecorded(), arresteeRelationshipRecorded('aunt')).when(recordArresteeRelationship('aunt')).thenRefused('ARREST.RELATIONSHIP_ALREADY_RECORDED', 'illegal-state');
  });

  it('is not recorded on a sealed or expunged arrest, nor on one never recorded', () => {
    given(arrestRecorded(), arrestRecordSealed()).when(recordArresteeRelationship()).thenRefused('ARREST.SEALED', 'illegal-state');
    given(arrestRecorded(), arrestRecordExpunged()).when(recordArresteeRelationship()).thenRefused('ARREST.EXPUNGED', 'illegal-state');
    given().when(recordArresteeRelationship()).thenRefused('ARREST.NOT_FOUND', 'not-found');
  });

  it('is the arresting agency\'s to record: to a prosecutor, other police or a shelter on the case, the arrest does not exist', () => {
    for (const metadata of [PROSECUTOR_METADATA, HSI_METADATA, SHELTER_METADATA]) {
      given(arrestRecorded()).when(recordArresteeRelationship('aunt', metadata)).thenRefusedAsIfMissing();
    }
  });

  it('is absent from a version 1 arrest read back, and dropped for a subscriber pinned to version 1', () => {
    const current = arrestRecorded({ arrestee: { ...arrestDetails().arrestee, relationshipToVictim: 'uncle' } });
    const { relationshipToVictim: _dropped, ...v1Arrestee } = current.data.arrestee;
    const v1: ArrestRecordedV1 = { ...current, data: { ...current.data, arrestee: v1Arrestee }, metadata: { ...current.metadata, schemaVersion: 1 } };
    expect(arrestRecordDecider.readEvent(v1)).toEqual({ ...v1, metadata: { ...v1.metadata, schemaVersion: 2 } });
    expect(arrestRecordDecider.downcastData('ArrestRecorded', current.data, 1)).toEqual(v1.data);
    expect(arrestRecordDecider.downcastData('ArrestRecorded', { arrestee: { relationshipToVictim: 'uncle' } }, 1)).toEqual({ arrestee: {} });
  });
});

describe('the arrest record as the arresting agency reads it', () => {
  it('shows the current charges and the orders that sealed and expunged it', () => {
    const { state } = given(arrestRecorded(), arrestChargesAmended(), arrestRecordSealed(), arrestRecordExpunged());
    expect(arrestRecordDecider.view(state)).toEqual({
      originatorAgencyId: SHERIFF_METADATA.agencyId,
      status: 'expunged',
      record: {
        ...arrestRecorded().data,
        charges: AMENDED_CHARGES,
        chargesAmendedAt: SHERIFF_METADATA.now,
        sealing: { courtOrderReference: arrestRecordSealed().data.courtOrderReference, sealedAt: SHERIFF_METADATA.now },
        expungement: { courtOrderReference: arrestRecordExpunged().data.courtOrderReference, expungedAt: SHERIFF_METADATA.now },
      },
    });
  });

  it('does not exist before it is recorded', () => {
    expect(arrestRecordDecider.view(arrestRecordDecider.initialState)).toBeUndefined();
    expect(arrestRecordDecider.streamId('arrest-1')).toBe('arrest-record-arrest-1');
  });
});
