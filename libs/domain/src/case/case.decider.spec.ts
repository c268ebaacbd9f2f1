import {
  addCaseTeamMember,
  caseTeamMemberAdded,
  caseTeamMemberRemoved,
  PARTNER_AGENCY_ID,
  removeCaseTeamMember,
  caseClosed,
  caseOpened,
  closeCase,
  givenWhenThen,
  HSI_METADATA,
  linkRecordToCase,
  openCase,
  PROSECUTOR_METADATA,
  recordLinkedToCase,
  SHERIFF_METADATA,
} from '../testing';
import { LinkableRecordType } from './case';
import { caseDecider } from './case.decider';

const given = givenWhenThen(caseDecider);

describe('opening a case', () => {
  it('given no history, when HSI opens a case, then it is opened by HSI', () => {
    given().when(openCase()).then(caseOpened());
  });

  it('lets a local law enforcement agency open a case', () => {
    const [event] = given().when(openCase({}, SHERIFF_METADATA)).then(expect.anything());
    expect(event.data).toMatchObject({ openingAgencyId: SHERIFF_METADATA.agencyId, openedAt: SHERIFF_METADATA.now });
  });

  it.each(['prosecutor', 'victim-service-provider', 'health-provider'] as const)('refuses a case opened by a %s', (agencyKind) => {
    given().when(openCase({}, { ...PROSECUTOR_METADATA, agencyKind })).thenRefused('CASE.OPENER_NOT_ALLOWED', 'forbidden');
  });

  it('refuses to open the same case twice', () => {
    given(caseOpened()).when(openCase()).thenRefused('CASE.ALREADY_OPENED', 'conflict');
  });

  it.each([
    ['title', { title: ' ' }, 'CASE.TITLE_REQUIRED'],
    ['parish', { parish: '' }, 'CASE.PARISH_REQUIRED'],
    ['lead investigator', { leadInvestigator: { name: '', badgeNumber: 'X', phone: '' } }, 'CASE.LEAD_INVESTIGATOR_REQUIRED'],
  ] as const)('refuses a case without a %s', (_what, details, code) => {
    given().when(openCase(details)).thenRefused(code, 'validation');
  });
});

describe('linking records to a case', () => {
  it.each([
    ['victim-referral', 'ref-1'],
    ['arrest-record', 'arrest-1'],
  ] as const)('links a %s', (recordType, recordId) => {
    given(caseOpened()).when(linkRecordToCase(recordType, recordId)).then(recordLinkedToCase(recordType, recordId));
  });

  it('refuses the same record twice', () => {
    given(caseOpened(), recordLinkedToCase()).when(linkRecordToCase()).thenRefused('CASE.RECORD_ALREADY_LINKED', 'conflict');
  });

  it('links a record of another type with the same id', () => {
    given(caseOpened(), recordLinkedToCase('victim-referral', 'x-1'))
      .when(linkRecordToCase('arrest-record', 'x-1'))
      .then(recordLinkedToCase('arrest-record', 'x-1'));
  });

  it.each(['consent', 'case'])('refuses to link a %s record', (recordType) => {
    given(caseOpened())
      .when(linkRecordToCase(recordType as LinkableRecordType))
      .thenRefused('CASE.UNLINKABLE_RECORD_TYPE', 'validation');
  });

  it('refuses a link without a record id', () => {
    given(caseOpened()).when(linkRecordToCase('arrest-record', '')).thenRefused('CASE.RECORD_ID_REQUIRED', 'validation');
  });
});

describe('closing a case', () => {
  it('closes an open case with its reason', () => {
    given(caseOpened(), recordLinkedToCase()).when(closeCase()).then(caseClosed());
  });

  it('refuses to close without a reason', () => {
    given(caseOpened()).when(closeCase(' ')).thenRefused('CASE.REASON_REQUIRED', 'validation');
  });
});

describe('what a case refuses', () => {
  const changes = [
    ['link a record to', () => linkRecordToCase(), () => linkRecordToCase('victim-referral', 'ref-1', SHERIFF_METADATA)],
    ['close', () => closeCase(), () => closeCase(undefined, SHERIFF_METADATA)],
  ] as const;

  it.each(changes)('refuses to %s a closed case', (_change, command) => {
    given(caseOpened(), caseClosed()).when(command()).thenRefused('CASE.CLOSED', 'illegal-state');
  });

  it.each(changes)('refuses to %s a case that was never opened', (_change, command) => {
    given().when(command()).thenRefused('CASE.NOT_FOUND', 'not-found');
  });

  it.each(changes)('lets only the opening agency %s a case: to another, it does not exist', (_change, _command, byAnotherAgency) => {
    given(caseOpened()).when(byAnotherAgency()).thenRefusedAsIfMissing();
  });
});

describe('the case as its opener reads it', () => {
  it('lists its linked records and how it was closed', () => {
    const { state } = given(caseOpened(), recordLinkedToCase(), recordLinkedToCase('arrest-record', 'arrest-1'), caseClosed());
    expect(caseDecider.view(state)).toEqual({
      originatorAgencyId: HSI_METADATA.agencyId,
      status: 'closed',
      record: {
        ...caseOpened().data,
        linkedRecords: [
          { recordType: 'victim-referral', recordId: 'ref-1', linkedAt: HSI_METADATA.now, linkedBy: HSI_METADATA.agencyId },
          { recordType: 'arrest-record', recordId: 'arrest-1', linkedAt: HSI_METADATA.now, linkedBy: HSI_METADATA.agencyId },
        ],
        team: [],
        closeReason: caseClosed().data.reason,
        closedAt: HSI_METADATA.now,
      },
    });
  });

  it('does not exist before it is opened', () => {
    expect(caseDecider.view(caseDecider.initialState)).toBeUndefined();
    expect(caseDecider.streamId('case-1')).toBe('case-case-1');
  });
});

describe("the case's team (28 CFR Part 23: who has a need to know)", () => {
  const SHERIFF_ON_TEAM = { ...SHERIFF_METADATA, agencyId: PARTNER_AGENCY_ID };

  it('takes a partner agency the opener adds, once, and lets it go again', () => {
    given(caseOpened()).when(addCaseTeamMember()).then(caseTeamMemberAdded());
    given(caseOpened(), caseTeamMemberAdded()).when(addCaseTeamMember()).thenRefused('CASE.ALREADY_ON_TEAM', 'conflict');
    given(caseOpened()).when(addCaseTeamMember(HSI_METADATA.agencyId)).thenRefused('CASE.ALREADY_ON_TEAM', 'conflict');
    given(caseOpened(), caseTeamMemberAdded()).when(removeCaseTeamMember()).then(caseTeamMemberRemoved());
    given(caseOpened()).when(removeCaseTeamMember()).thenRefused('CASE.NOT_ON_TEAM', 'not-found');
  });

  it('lets a team member link its records, and nothing else; to any other agency the case does not exist', () => {
    const [linked] = given(caseOpened(), caseTeamMemberAdded()).when(linkRecordToCase('arrest-record', 'arrest-9', SHERIFF_ON_TEAM)).then(expect.anything());
    expect(linked).toMatchObject({ type: 'RecordLinkedToCase', data: { recordId: 'arrest-9' }, metadata: { agencyId: PARTNER_AGENCY_ID } });
    given(caseOpened(), caseTeamMemberAdded()).when(closeCase(undefined, SHERIFF_ON_TEAM)).thenRefusedAsIfMissing();
    given(caseOpened(), caseTeamMemberAdded()).when(addCaseTeamMember('other-agency', SHERIFF_ON_TEAM)).thenRefusedAsIfMissing();
    given(caseOpened(), caseTeamMemberAdded(), caseTeamMemberRemoved()).when(linkRecordToCase('arrest-record', 'arrest-9', SHERIFF_ON_TEAM)).thenRefusedAsIfMissing();
    given(caseOpened()).when(linkRecordToCase('arrest-record', 'arrest-9', SHERIFF_ON_TEAM)).thenRefusedAsIfMissing();
  });

  it('lists the team and who linked each record in the opener view', () => {
    const sheriffLinked = { ...recordLinkedToCase('arrest-record', 'arrest-9'), metadata: { ...recordLinkedToCase().metadata, agencyId: PARTNER_AGENCY_ID } };
    const { state } = given(caseOpened(), caseTeamMemberAdded(), sheriffLinked);
    expect(caseDecider.view(state)?.record).toMatchObject({
      team: [PARTNER_AGENCY_ID],
      linkedRecords: [{ recordType: 'arrest-record', recordId: 'arrest-9', linkedBy: PARTNER_AGENCY_ID }],
    });
  });
});
