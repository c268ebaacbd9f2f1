import { BusMessage, MessageBus, MessageHandler, toCloudEventMessage } from '@crescent/messaging';
import { RuntimeConfig } from '@crescent/runtime';
import { openTestDatabase } from '@crescent/test-support';
import { InboxConsumer } from './inbox.consumer';
import { InboxStore } from './inbox.store';
import { INBOX_MIGRATIONS } from './inbox.migrations';

const SHELTER = 'bayou-haven-shelter';
const TOPIC = 'crescent.out.bayou-haven-shelter.victim-referrals.v2';
const REFERRAL_ID = 'd4f0c1de-8a51-4a43-9b7e-0f5f3f2c6a11';

/** A message as the relay writes it, by hand: the CloudEvents headers and the data the shelter's policy gave. */
function message(id: string, type: string, extensions: Record<string, string>, data: unknown): BusMessage {
  const attributes = { id, source: 'urn:crescent:relay', type, subject: REFERRAL_ID, time: '2026-11-29T15:00:00.000Z', dataschema: `urn:crescent:schema:${type.split('.')[1]}:1`, extensions };
  return toCloudEventMessage(TOPIC, attributes, data);
}

/** The inbox's consumer on the embedded database, fed by hand through a bus that hands it each message (a unit test: no broker). */
describe('inbox consumer', () => {
  let inbox: InboxStore;
  let deliver: MessageHandler;

  beforeEach(async () => {
    inbox = await InboxStore.create(await openTestDatabase('sqlite', INBOX_MIGRATIONS));
    const bus: MessageBus = {
      publish: async () => undefined,
      subscribe: async (_options, handler) => {
        deliver = handler;
        return { stop: async () => undefined };
      },
      ping: async () => undefined,
      close: async () => undefined,
    };
    await new InboxConsumer(bus, inbox, { topicNamespace: '', inboxAgencyId: SHELTER } as RuntimeConfig).onApplicationBootstrap();
  });

  it('replaces what it holds of a referral with what a snapshot gives, event by event, and forgets it on a retraction', async () => {
    await deliver(message('e1', 'crescent.VictimReferralSubmitted.v2', { recordversion: '1', policyversion: '1' }, { referralId: REFERRAL_ID, victim: { givenName: 'Maria', phone: '+1 504 555 0101' }, needs: ['shelter'] }));
    expect(await inbox.list(SHELTER)).toEqual([expect.objectContaining({ referralId: REFERRAL_ID, status: 'received', recordVersion: 1 })]);

    // A narrower policy: the phone is no longer given; meanwhile the shelter acknowledged the referral.
    await deliver(
      message('s1', 'crescent.RecordSnapshot.v1', { recordversion: '2', policyversion: '2' }, {
        recordType: 'victim-referral',
        recordId: REFERRAL_ID,
        events: [
          { id: 'e1', type: 'crescent.VictimReferralSubmitted.v2', time: '2026-11-29T14:00:00.000Z', recordversion: 1, data: { referralId: REFERRAL_ID, victim: { givenName: 'Maria' }, needs: ['shelter'] } },
          { id: 'e2', type: 'crescent.VictimReferralAcknowledged.v1', time: '2026-11-29T14:10:00.000Z', recordversion: 2, data: {} },
        ],
      }),
    );
    const [held] = await inbox.list(SHELTER);
    expect(held).toMatchObject({ status: 'acknowledged', recordVersion: 2, policyVersion: 2, referral: { referralId: REFERRAL_ID, victim: { givenName: 'Maria' }, needs: ['shelter'] } });
    expect(JSON.stringify(held)).not.toContain('555');

    await deliver(message('r1', 'crescent.RecordRetracted.v1', {}, { recordType: 'victim-referral', recordId: REFERRAL_ID }));
    expect(await inbox.list(SHELTER)).toEqual([]);
    expect(await inbox.detail(SHELTER, REFERRAL_ID)).toMatchObject({ retracted: true, referral: {}, status: 'acknowledged', retractions: [{ at: expect.any(String) }] });
  });

  it("keeps the shelter's questions with their ids and the sender's answers, and returns an answered referral to the shelter", async () => {
    const at = (recordversion: number) => ({ recordversion: String(recordversion), policyversion: '1' });
    await deliver(message('e1', 'crescent.VictimReferralSubmitted.v2', at(1), { referralId: REFERRAL_ID, victim: { givenName: 'Maria' } }));
    await deliver(message('e2', 'crescent.VictimReferralAcknowledged.v1', at(2), {}));
    // A question stored before questions had ids comes without one: it is the first, q1.
    await deliver(message('e3', 'crescent.VictimReferralInformationRequested.v1', at(3), { question: 'Any allergies?', requestedAt: '2026-11-29T15:00:00.000Z' }));
    await deliver(message('e4', 'crescent.VictimReferralInformationProvided.v1', at(4), { questionId: 'q1', answer: 'None known.', providedAt: '2026-11-29T16:00:00.000Z' }));
    await deliver(message('e5', 'crescent.VictimReferralInformationRequested.v1', at(5), { questionId: 'q2', question: 'A cot for the baby?', requestedAt: '2026-11-29T17:00:00.000Z' }));
    const detail = await inbox.detail(SHELTER, REFERRAL_ID);
    expect(detail?.status).toBe('information-requested');
    expect(detail?.referral.questions).toEqual([
      { questionId: 'q1', question: 'Any allergies?', askedAt: '2026-11-29T15:00:00.000Z', answer: 'None known.', answeredAt: '2026-11-29T16:00:00.000Z' },
      { questionId: 'q2', question: 'A cot for the baby?', askedAt: '2026-11-29T17:00:00.000Z' },
    ]);
    expect(detail?.history.map(({ status }) => status)).toEqual(['received', 'acknowledged', 'information-requested', 'acknowledged', 'information-requested']);
    // An answer to a question the shelter accepted meanwhile leaves it accepted.
    await deliver(message('e6', 'crescent.VictimReferralAccepted.v1', at(6), {}));
    await deliver(message('e7', 'crescent.VictimReferralInformationProvided.v1', at(7), { questionId: 'q2', answer: 'Yes.', providedAt: '2026-11-29T18:00:00.000Z' }));
    expect(await inbox.detail(SHELTER, REFERRAL_ID)).toMatchObject({ status: 'accepted', referral: { questions: [{ answer: 'None known.' }, { answer: 'Yes.' }] } });
  });
});
