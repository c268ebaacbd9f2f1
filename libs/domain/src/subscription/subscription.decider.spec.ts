import {
  ADMIN_METADATA,
  createSubscription,
  endSubscription,
  givenWhenThen,
  HSI_METADATA,
  pauseSubscription,
  resumeSubscription,
  subscriptionCreated,
  subscriptionEnded,
  subscriptionPaused,
  subscriptionResumed,
} from '../testing';
import { subscriptionDecider } from './subscription.decider';

const given = givenWhenThen(subscriptionDecider);

describe('subscription', () => {
  it('given nothing, when an administrator creates one, then it is created with its terms', () => {
    given().when(createSubscription()).then(subscriptionCreated());
  });

  it('records a backfill when asked for one, and none when not', () => {
    given().when(createSubscription({ backfill: true })).then({ ...subscriptionCreated(), data: { ...subscriptionCreated().data, backfill: true } });
    const { backfill: _omitted, ...withoutBackfill } = createSubscription().data;
    given().when({ ...createSubscription(), data: withoutBackfill }).then(subscriptionCreated());
  });

  it('reads a version 1 subscription, from before backfill, as one without it', () => {
    const { backfill: _absent, ...v1Data } = subscriptionCreated().data;
    const read = subscriptionDecider.readEvent({ ...subscriptionCreated(), data: v1Data, metadata: { ...subscriptionCreated().metadata, schemaVersion: 1 } });
    expect(read).toEqual(subscriptionCreated());
    expect(subscriptionCreated().data.backfill).toBe(false);
  });

  it('refuses an agency managing subscriptions itself', () => {
    given().when(createSubscription({}, HSI_METADATA)).thenRefused('SUBSCRIPTION.NOT_ADMINISTRATION', 'forbidden');
  });

  it.each([
    [{ recordType: 'agency' as never }, 'SUBSCRIPTION.RECORD_TYPE_NOT_SHARABLE'],
    [{ schemaVersion: 3 }, 'SUBSCRIPTION.UNKNOWN_SCHEMA_VERSION'],
    [{ recordType: 'case' as const, schemaVersion: 2 }, 'SUBSCRIPTION.UNKNOWN_SCHEMA_VERSION'],
    [{ filters: { parishes: [] } }, 'SUBSCRIPTION.INVALID_FILTER'],
    [{ agencyId: 'Not An Id' }, 'SUBSCRIPTION.INVALID_AGENCY'],
    [{ backfill: 'yes' as never }, 'SUBSCRIPTION.INVALID_BACKFILL'],
  ])('refuses invalid terms %j with %s', (terms, code) => {
    given().when(createSubscription(terms)).thenRefused(code, 'validation');
  });

  it('refuses creating the same subscription twice', () => {
    given(subscriptionCreated()).when(createSubscription()).thenRefused('SUBSCRIPTION.ALREADY_CREATED', 'conflict');
  });

  it('pauses an active subscription and resumes a paused one', () => {
    given(subscriptionCreated()).when(pauseSubscription()).then(subscriptionPaused());
    given(subscriptionCreated(), subscriptionPaused()).when(resumeSubscription()).then(subscriptionResumed());
  });

  it('refuses pausing a paused subscription and resuming an active one', () => {
    given(subscriptionCreated(), subscriptionPaused()).when(pauseSubscription()).thenRefused('SUBSCRIPTION.ALREADY_PAUSED', 'illegal-state');
    given(subscriptionCreated()).when(resumeSubscription()).thenRefused('SUBSCRIPTION.ALREADY_ACTIVE', 'illegal-state');
  });

  it('ends an active or paused subscription, after which nothing changes it', () => {
    given(subscriptionCreated()).when(endSubscription()).then(subscriptionEnded());
    given(subscriptionCreated(), subscriptionPaused()).when(endSubscription()).then(subscriptionEnded());
    for (const command of [pauseSubscription(), resumeSubscription(), endSubscription()]) {
      given(subscriptionCreated(), subscriptionEnded()).when(command).thenRefused('SUBSCRIPTION.ENDED', 'illegal-state');
    }
  });

  it('refuses changing a subscription that does not exist', () => {
    given().when(pauseSubscription()).thenRefused('SUBSCRIPTION.NOT_FOUND', 'not-found');
  });

  it('keeps the administration as the originator of the record', () => {
    const state = [subscriptionCreated(), subscriptionPaused()].reduce(subscriptionDecider.evolve, subscriptionDecider.initialState);
    expect(subscriptionDecider.view(state)).toMatchObject({ originatorAgencyId: ADMIN_METADATA.agencyId, status: 'paused' });
  });
});
