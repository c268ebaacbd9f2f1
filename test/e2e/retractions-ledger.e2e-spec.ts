import { AdminModule } from '../../apps/admin/src/admin.module';
import { InboxModule } from '../../apps/inbox/src/inbox.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { EXCHANGE_PRINCIPALS, outboundTopic } from '@crescent/messaging';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES } from '@crescent/runtime';
import { openSqlClient } from '@crescent/sql';
import { eventually, exchangeKafka, kafkaBrokers, RunningApp, startApp, startInboxConnector, TEST_DATABASE_URL, TopicMessage, TopicReader, uniqueName } from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
import { ARREST_IN_ORLEANS, consentToSheriff, EXAMPLE_REFERRAL } from './fixtures';

const [hsi, sheriff, shelter] = DEMO_AGENCIES;
const RETRACTED = 'crescent.RecordRetracted.v1';
const SNAPSHOT = 'crescent.RecordSnapshot.v1';
const typeOf = (message: TopicMessage) => message.headers.ce_type;
const NEXT_YEAR = new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString();

/** Revoking a consent or sealing a record takes data back from whoever holds it; the ledger accounts for all of it. */
/**
 * A victim without immigration relief (a T-visa applicant's referral reaches no sheriff: 8 U.S.C. 1367),
 * found in St. Bernard Parish, which the sheriff serves (28 CFR 23.20(e)).
 */
const { victimServicesConsent: _consent, ...WITHOUT_CONSENT } = EXAMPLE_REFERRAL;
const IN_ST_BERNARD = { ...WITHOUT_CONSENT, immigrationReliefStatus: 'none', foundAt: { description: 'Truck stop on Paris Road', parish: 'St. Bernard' } };

describe('retractions and the disclosure ledger', () => {
  const namespace = `${uniqueName('e2e')}.`;
  const schema = uniqueName('e2e_ledger');
  let exchange: RunningApp;
  let sheriffInbox: RunningApp;
  let topics: TopicReader;

  const as = (token: string) => createExchangeClient(exchange.url, token);
  const admin = () => as(DEMO_ADMIN_TOKEN);
  const sheriffInboxReferrals = async () => (await createExchangeClient(sheriffInbox.url, sheriff.token).GET('/v1/inbox')).data!.referrals;
  const id = (recordId: string) => ({ path: { id: recordId } });

  beforeAll(async () => {
    const shared = { databaseUrl: TEST_DATABASE_URL, topicNamespace: namespace };
    exchange = await startApp({ ...shared, ...exchangeKafka(EXCHANGE_PRINCIPALS.admin), databaseSchema: schema }, [IntakeModule, RelayModule, AdminModule]);
    sheriffInbox = await startInboxConnector(exchange.url, sheriff, { ...shared, kafkaBrokers: kafkaBrokers() }, InboxModule);
    topics = await TopicReader.start([
      outboundTopic(namespace, sheriff.agency.id, 'victim-referral', 2)!,
      outboundTopic(namespace, hsi.agency.id, 'arrest-record', 1)!,
    ]);
  });

  afterAll(async () => {
    await topics?.stop();
    await sheriffInbox?.app.close();
    await exchange?.app.close();
  });

  it('retracts a referral from the sheriff, inbox included, when the consent it received names under is revoked', async () => {
    const referralId = (await as(hsi.token).POST('/v1/referrals', { body: IN_ST_BERNARD })).data!.recordId;
    const sheriffInboxHolds = async () => (await sheriffInboxReferrals()).some((entry) => entry.referralId === referralId);
    await eventually('the referral in the sheriff inbox', async () => ((await sheriffInboxHolds()) ? true : undefined));

    const consent = await as(shelter.token).POST('/v1/consents', { body: consentToSheriff(referralId, NEXT_YEAR) });
    expect(consent.response.status).toBe(201);
    const consentId = consent.data!.recordId;
    // A consent recorded after the referral reaches back: the referral as it stands, in one snapshot, with the name it now grants.
    const snapshot = await topics.waitFor('the snapshot on the sheriff topic', (message) => message.key === referralId && typeOf(message) === SNAPSHOT);
    const [submitted] = JSON.parse(snapshot.value).events;
    expect(submitted).toMatchObject({ type: 'crescent.VictimReferralSubmitted.v2', recordversion: 1, data: { referralId, victim: { givenName: 'Maria', familyName: 'Example' } } });
    expect(snapshot.value).not.toContain('1994-03-17');
    await eventually('the name in the sheriff inbox', async () => {
      const referrals = await sheriffInboxReferrals();
      return referrals.find((entry) => entry.referralId === referralId && (entry.referral as { victim?: { givenName?: string } }).victim?.givenName === 'Maria');
    });
    const { referredToAgencyId: _addressee, ...content } = IN_ST_BERNARD;
    expect((await as(hsi.token).POST('/v1/referrals/{id}/corrections', { params: id(referralId), body: content })).response.status).toBe(200);
    const correction = await topics.waitFor('the correction, with the consented name, on the sheriff topic', (message) => message.key === referralId && typeOf(message).includes('Corrected'));
    expect(correction.value).toContain('Maria');
    expect(correction.value).not.toContain('1994-03-17');

    const revocation = await as(shelter.token).POST('/v1/consents/{id}/revocation', { params: id(consentId), body: { reason: 'The victim withdrew consent' } });
    expect(revocation.response.status).toBe(200);
    const retraction = await topics.waitFor('the retraction on the sheriff topic', (message) => message.key === referralId && typeOf(message) === RETRACTED);
    expect(JSON.parse(retraction.value)).toEqual({ recordType: 'victim-referral', recordId: referralId });
    await eventually('the referral gone from the sheriff inbox', async () => ((await sheriffInboxHolds()) ? undefined : true));

    const ledger = (await admin().GET('/v1/admin/ledger', { params: { query: { recordType: 'victim-referral', recordId: referralId } } })).data!.rows.map((row) => row.entry);
    expect(ledger).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recipientAgencyId: sheriff.agency.id, kind: 'delivery', consentIds: [consentId] }),
        expect.objectContaining({ recipientAgencyId: sheriff.agency.id, kind: 'snapshot', eventId: snapshot.headers.ce_id, consentIds: [consentId] }),
        expect.objectContaining({ recipientAgencyId: sheriff.agency.id, kind: 'retraction', consentIds: [consentId] }),
        expect.objectContaining({ recipientAgencyId: shelter.agency.id, kind: 'delivery', withheldFields: expect.arrayContaining(['victim.dateOfBirth', 'immigrationReliefStatus']) }),
      ]),
    );
    expect(ledger.some((entry) => entry.recipientAgencyId === hsi.agency.id)).toBe(false);
  });

  it('retracts an arrest record from HSI when the sheriff seals it, and discloses nothing of the seal', async () => {
    const arrest = await as(sheriff.token).POST('/v1/arrests', { body: ARREST_IN_ORLEANS });
    const arrestId = arrest.data!.recordId;
    await topics.waitFor('the arrest on the HSI topic', (message) => message.key === arrestId);

    expect((await as(sheriff.token).POST('/v1/arrests/{id}/seal', { params: id(arrestId), body: { courtOrderReference: '34th JDC 2026-77' } })).response.status).toBe(200);
    const retraction = await topics.waitFor('the retraction on the HSI topic', (message) => message.key === arrestId && typeOf(message) === RETRACTED);
    expect(JSON.stringify(retraction)).not.toMatch(/seal/i);
    expect(topics.messages.filter((message) => message.key === arrestId).map(typeOf)).toEqual([
      'crescent.ArrestRecorded.v1',
      'crescent.RecordRetracted.v1',
    ]);
  });

  it('verifies the hash chain, and names the first row altered behind its back', async () => {
    expect((await admin().GET('/v1/admin/ledger/verification')).data).toMatchObject({ ok: true });
    const sql = await openSqlClient(TEST_DATABASE_URL, { schema });
    await sql.query(`UPDATE disclosure_ledger SET withheld_fields = '[]' WHERE sequence = 2`);
    await sql.close();
    expect((await admin().GET('/v1/admin/ledger/verification')).data).toMatchObject({ ok: false, firstBrokenSequence: 2 });
    expect((await admin().GET('/v1/admin/ledger')).response.status).toBe(400);
  });
});
