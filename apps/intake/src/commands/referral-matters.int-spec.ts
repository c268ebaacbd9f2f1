import { randomUUID } from 'node:crypto';
import { deciderFor, RecordEvent, RecordType } from '@crescent/domain';
import { arrestRecorded, caseOpened, consentRecorded, recordLinkedToCase, referralSubmitted } from '@crescent/domain/testing';
import { CheckpointStore, EVENT_STORE_MIGRATIONS, SqlEventStore } from '@crescent/event-store';
import { initialDisclosureState, referralStatusReleasedTo } from '@crescent/policy';
import { SqlClient } from '@crescent/sql';
import { eventually, openTestDatabase, TestDialect } from '@crescent/test-support';
import { REFERRAL_MATTER_MIGRATIONS, ReferralMatters } from './referral-matters';

const HSI = 'hsi-new-orleans';
const SHERIFF = 'st-bernard-sheriff';
const NOW_MS = Date.parse('2026-11-29T12:00:00.000Z');

/**
 * A minor's referral sent by HSI, and her consent, with her aunt as guardian, that releases its status
 * to HSI alone (34 U.S.C. 12291(b)(2)). An arrest of an aunt of hers, linked to a case that links her
 * referral, makes that guardian a suspect: from then on the consent counts for no one.
 */
const REFERRAL: [RecordType, string, RecordEvent] = ['victim-referral', 'ref-1', referralSubmitted({ referralId: 'ref-1' }, true)];
const CONSENT: [RecordType, string, RecordEvent] = [
  'consent',
  'consent-1',
  consentRecorded({ consentId: 'consent-1', referralId: 'ref-1', victimIsMinor: true, guardian: { name: 'Rosa Example', relationship: 'aunt' }, fields: ['status'] }),
];
const OTHER_REFERRAL: [RecordType, string, RecordEvent] = ['victim-referral', 'ref-2', referralSubmitted({ referralId: 'ref-2' })];
const OTHER_CONSENT: [RecordType, string, RecordEvent] = ['consent', 'consent-2', consentRecorded({ consentId: 'consent-2', referralId: 'ref-2', fields: ['status'] })];
const ARREST_OF_THE_AUNT: [RecordType, string, RecordEvent][] = [
  ['case', 'case-1', caseOpened()],
  ['case', 'case-1', recordLinkedToCase('victim-referral', 'ref-1')],
  // The arrest does not name her: only the case brings it into her matter.
  ['arrest-record', 'arrest-1', arrestRecorded({ arrestRecordId: 'arrest-1', victimReferralIds: [], arrestee: { givenName: 'Jane', familyName: 'Doe', dateOfBirth: '1980-01-01', relationshipToVictim: 'aunt' } })],
  ['case', 'case-1', recordLinkedToCase('arrest-record', 'arrest-1')],
];

describe.each<TestDialect>(['postgres', 'sqlite'])("each referral's matter, kept on %s", (dialect) => {
  let sql: SqlClient;
  let store: SqlEventStore;
  const opened: ReferralMatters[] = [];

  beforeEach(async () => {
    sql = await openTestDatabase(dialect, [...EVENT_STORE_MIGRATIONS, ...REFERRAL_MATTER_MIGRATIONS]);
    store = await SqlEventStore.create(sql);
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((matters) => matters.close()));
    await sql.close();
  });

  const append = async (...events: [RecordType, string, RecordEvent][]) => {
    for (const [recordType, recordId, event] of events) await store.append(deciderFor(recordType).streamId(recordId), [{ id: randomUUID(), ...event }], 'any');
  };
  const open = async () => {
    const matters = await ReferralMatters.open(sql, store, await CheckpointStore.create(sql));
    opened.push(matters);
    return matters;
  };
  /** To whom of HSI and the sheriff each referral's status is released, as `matters` reads it now. */
  const releases = async (matters: ReferralMatters) => {
    const answers: Record<string, string[]> = {};
    for (const referralId of ['ref-1', 'ref-2']) {
      const state = await matters.stateFor(initialDisclosureState, referralId, await store.readStream(deciderFor('victim-referral').streamId(referralId)));
      answers[referralId] = [HSI, SHERIFF].filter((agencyId) => referralStatusReleasedTo(state, referralId, agencyId, NOW_MS));
    }
    return answers;
  };
  const links = () => sql.query<{ referral_id: string; record_type: string; record_id: string }>('SELECT referral_id, record_type, record_id FROM referral_matters ORDER BY referral_id, record_type, record_id');

  it('links what the feed held before it opened, then what the feed brings, and answers from the records linked', async () => {
    await append(REFERRAL, CONSENT, OTHER_REFERRAL);
    const matters = await open();
    expect(await releases(matters)).toEqual({ 'ref-1': [HSI], 'ref-2': [] });

    await append(OTHER_CONSENT, ...ARREST_OF_THE_AUNT);
    await eventually('the arrest of her guardian counted', async () => ((await releases(matters))['ref-1'].length === 0 ? true : undefined));
    expect(await releases(matters)).toEqual({ 'ref-1': [], 'ref-2': [HSI] });
    expect(await links()).toEqual([
      { referral_id: 'ref-1', record_type: 'case', record_id: 'case-1' },
      { referral_id: 'ref-1', record_type: 'consent', record_id: 'consent-1' },
      { referral_id: 'ref-2', record_type: 'consent', record_id: 'consent-2' },
    ]);
  });

  it('starts again from its checkpoint, and shares its links with other instances adding the same', async () => {
    await append(REFERRAL, CONSENT, OTHER_REFERRAL, OTHER_CONSENT);
    const first = await open();
    await first.close();
    const [lastLink] = (await store.readAll(undefined, 100, ['ConsentRecorded'])).slice(-1);
    expect(await (await CheckpointStore.create(sql)).load('intake-referral-matters')).toBe(lastLink.position);

    await append(...ARREST_OF_THE_AUNT);
    const expected = { 'ref-1': [], 'ref-2': [HSI] };
    const second = await open();
    expect(await releases(second)).toEqual(expected);
    await second.close();

    // Two at once, with the checkpoint gone: both add every link again, from the feed's start.
    await sql.query('DELETE FROM feed_checkpoints');
    const [third, fourth] = await Promise.all([open(), open()]);
    expect(await releases(third)).toEqual(expected);
    expect(await releases(fourth)).toEqual(expected);
    expect(await links()).toHaveLength(3);
  });
});
