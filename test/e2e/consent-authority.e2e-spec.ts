import { randomUUID } from 'node:crypto';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES } from '@crescent/runtime';
import { eventually, RunningApp, startApp } from '@crescent/test-support';
import { createExchangeClient } from '../../contracts/client';
import type { components } from '../../contracts/generated/exchange-api';
import { EXAMPLE_REFERRAL } from './fixtures';

const [hsi, sheriff, shelter] = DEMO_AGENCIES;
const DAY_MS = 24 * 3600 * 1000;
/** This exchange lets a consent run 30 days at most (CONSENT_MAX_DAYS). */
const MAX_DAYS = 30;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

/** Only the agencies holding the victim's relationship record or revoke her consent, for a limited time. */
describe('who may record and revoke a consent, over HTTP', () => {
  let exchange: RunningApp;
  /** A second shelter, registered by the administrators: the example referral is not addressed to it. */
  let otherShelter: string;
  let referralId: string;

  const as = (token: string) => createExchangeClient(exchange.url, token);
  const consentFor = (referral: string, expiresAt = inDays(20)): components['schemas']['RecordConsentDto'] => ({
    referralId: referral,
    victimIsMinor: false,
    recipientAgencyIds: [sheriff.agency.id],
    purposes: ['investigation'],
    fields: ['victim.givenName', 'victim.phone'],
    written: true,
    informed: true,
    expiresAt,
  });
  const recordConsent = (token: string, referral = referralId) => as(token).POST('/v1/consents', { body: consentFor(referral) });
  const revoke = (token: string, consentId: string) => as(token).POST('/v1/consents/{id}/revocation', { params: { path: { id: consentId } }, body: { reason: 'The victim asked' } });
  const read = async (token: string, consentId: string) => (await as(token).GET('/v1/consents/{id}', { params: { path: { id: consentId } } })).data;
  /** What an agency is told, less the path it asked about. */
  const answer = ({ response, error }: { response: Response; error?: { instance?: string } }) => {
    const { instance: _path, ...body } = error ?? {};
    return { status: response.status, body };
  };

  beforeAll(async () => {
    exchange = await startApp({ databaseUrl: 'sqlite::memory:', kafkaBrokers: [], consentMaxDays: MAX_DAYS }, [IntakeModule, AdminModule]);
    const registered = await as(DEMO_ADMIN_TOKEN).POST('/v1/admin/agencies', {
      body: { agencyId: 'st-jude-refuge', name: 'St. Jude Refuge', kind: 'victim-service-provider', jurisdiction: [] },
    });
    expect(registered.response.status).toBe(201);
    otherShelter = registered.data!.token;
    // The directory learns of the new agency from the store, a moment after its registration.
    await eventually('the second shelter known to intake', async () =>
      (await as(otherShelter).GET('/v1/consents/{id}', { params: { path: { id: randomUUID() } } })).response.status === 404 ? true : undefined,
    );
    const submitted = await as(hsi.token).POST('/v1/referrals', { body: EXAMPLE_REFERRAL });
    expect(submitted.response.status).toBe(201);
    referralId = submitted.data!.recordId;
  });

  afterAll(() => exchange?.app.close());

  it('lets the addressee record a consent, as its recorder', async () => {
    const recorded = await recordConsent(shelter.token);
    expect(recorded.response.status).toBe(201);
    expect(await read(shelter.token, recorded.data!.recordId)).toMatchObject({ status: 'recorded', record: { referralId, recordingAgencyId: shelter.agency.id } });
  });

  it("lets the referral's sender record a consent it took, as its recorder", async () => {
    const recorded = await recordConsent(hsi.token);
    expect(recorded.response.status).toBe(201);
    expect(await read(hsi.token, recorded.data!.recordId)).toMatchObject({ status: 'recorded', record: { referralId, recordingAgencyId: hsi.agency.id } });
  });

  it("refuses another shelter, or the sheriff, a consent for the referral, exactly as for a referral that does not exist", async () => {
    const missing = answer(await recordConsent(shelter.token, randomUUID()));
    expect(missing).toEqual({
      status: 404,
      body: { type: 'urn:crescent:problem:CONSENT.REFERRAL_NOT_FOUND', title: 'Not Found', status: 404, code: 'CONSENT.REFERRAL_NOT_FOUND', detail: 'no such victim referral' },
    });
    expect(answer(await recordConsent(otherShelter))).toEqual(missing);
    expect(answer(await recordConsent(sheriff.token))).toEqual(missing);
    expect(answer(await recordConsent(otherShelter, randomUUID()))).toEqual(missing);
  });

  it('lets the addressee revoke a consent the sender recorded, and no one else but the recorder', async () => {
    const consentId = (await recordConsent(hsi.token)).data!.recordId;
    const never = answer(await revoke(shelter.token, randomUUID()));
    expect(never).toMatchObject({ status: 404, body: { code: 'CONSENT.NOT_FOUND' } });

    expect(answer(await revoke(otherShelter, consentId))).toEqual(never);
    expect(answer(await revoke(sheriff.token, consentId))).toEqual(never);
    expect((await revoke(shelter.token, consentId)).response.status).toBe(200);
    expect(await read(hsi.token, consentId)).toMatchObject({ status: 'revoked', record: { revocationReason: 'The victim asked' } });
  });

  it('lets the sender revoke only the consents it recorded', async () => {
    const shelters = (await recordConsent(shelter.token)).data!.recordId;
    const senders = (await recordConsent(hsi.token)).data!.recordId;
    expect(answer(await revoke(hsi.token, shelters))).toEqual(answer(await revoke(hsi.token, randomUUID())));
    expect((await revoke(hsi.token, senders)).response.status).toBe(200);
  });

  it(`refuses a consent that runs past ${MAX_DAYS} days, saying so`, async () => {
    const tooLong = await as(shelter.token).POST('/v1/consents', { body: consentFor(referralId, inDays(MAX_DAYS + 1)) });
    expect(answer(tooLong)).toMatchObject({ status: 400, body: { code: 'CONSENT.EXPIRY_TOO_FAR', detail: expect.stringContaining(`at most ${MAX_DAYS} days`) } });
    expect((await as(shelter.token).POST('/v1/consents', { body: consentFor(referralId, inDays(MAX_DAYS - 1)) })).response.status).toBe(201);
  });

  it('refuses a new consent for a withdrawn referral, and still lets its consents be revoked', async () => {
    const withdrawn = (await as(hsi.token).POST('/v1/referrals', { body: EXAMPLE_REFERRAL })).data!.recordId;
    const consentId = (await recordConsent(shelter.token, withdrawn)).data!.recordId;
    const withdrawal = await as(hsi.token).POST('/v1/referrals/{id}/withdrawal', { params: { path: { id: withdrawn } }, body: { reason: 'Victim moved out of state' } });
    expect(withdrawal.response.status).toBe(200);

    expect(answer(await recordConsent(shelter.token, withdrawn))).toMatchObject({ status: 422, body: { code: 'CONSENT.REFERRAL_WITHDRAWN' } });
    expect((await revoke(shelter.token, consentId)).response.status).toBe(200);
  });
});
