import { randomUUID } from 'node:crypto';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES } from '@crescent/runtime';
import { eventually, request, RunningApp, startApp } from '@crescent/test-support';
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

  const post = (path: string, token: string, body: unknown) => request(`${exchange.url}${path}`, { method: 'POST', token, body });
  const consentFor = (referral: string, expiresAt = inDays(20)) => ({
    referralId: referral,
    victimIsMinor: false,
    recipientAgencyIds: [sheriff.agency.id],
    purposes: ['investigation'],
    fields: ['victim.givenName', 'victim.phone'],
    written: true,
    informed: true,
    expiresAt,
  });
  const recordConsent = (token: string, referral = referralId) => post('/v1/consents', token, consentFor(referral));
  const revoke = (token: string, consentId: string) => post(`/v1/consents/${consentId}/revocation`, token, { reason: 'The victim asked' });
  /** What an agency is told, less the path it asked about. */
  const answer = ({ status, body: { instance: _path, ...body } }: { status: number; body: Record<string, unknown> }) => ({ status, body });

  beforeAll(async () => {
    exchange = await startApp({ databaseUrl: 'sqlite::memory:', kafkaBrokers: [], consentMaxDays: MAX_DAYS }, [IntakeModule, AdminModule]);
    const registered = await request(`${exchange.url}/v1/admin/agencies`, {
      method: 'POST',
      token: DEMO_ADMIN_TOKEN,
      body: { agencyId: 'st-jude-refuge', name: 'St. Jude Refuge', kind: 'victim-service-provider', jurisdiction: [] },
    });
    expect(registered.status).toBe(201);
    otherShelter = registered.body.token;
    // The directory learns of the new agency from the store, a moment after its registration.
    await eventually('the second shelter known to intake', async () => ((await request(`${exchange.url}/v1/consents/${randomUUID()}`, { token: otherShelter })).status === 404 ? true : undefined));
    const submitted = await post('/v1/referrals', hsi.token, EXAMPLE_REFERRAL);
    expect(submitted.status).toBe(201);
    referralId = submitted.body.recordId;
  });

  afterAll(() => exchange?.app.close());

  it('lets the addressee record a consent, as its recorder', async () => {
    const recorded = await recordConsent(shelter.token);
    expect(recorded.status).toBe(201);
    const read = await request(`${exchange.url}/v1/consents/${recorded.body.recordId}`, { token: shelter.token });
    expect(read.body).toMatchObject({ status: 'recorded', record: { referralId, recordingAgencyId: shelter.agency.id } });
  });

  it("lets the referral's sender record a consent it took, as its recorder", async () => {
    const recorded = await recordConsent(hsi.token);
    expect(recorded.status).toBe(201);
    const read = await request(`${exchange.url}/v1/consents/${recorded.body.recordId}`, { token: hsi.token });
    expect(read.body).toMatchObject({ status: 'recorded', record: { referralId, recordingAgencyId: hsi.agency.id } });
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
    const consentId: string = (await recordConsent(hsi.token)).body.recordId;
    const never = answer(await revoke(shelter.token, randomUUID()));
    expect(never).toMatchObject({ status: 404, body: { code: 'CONSENT.NOT_FOUND' } });

    expect(answer(await revoke(otherShelter, consentId))).toEqual(never);
    expect(answer(await revoke(sheriff.token, consentId))).toEqual(never);
    expect((await revoke(shelter.token, consentId)).status).toBe(200);
    const read = await request(`${exchange.url}/v1/consents/${consentId}`, { token: hsi.token });
    expect(read.body).toMatchObject({ status: 'revoked', record: { revocationReason: 'The victim asked' } });
  });

  it('lets the sender revoke only the consents it recorded', async () => {
    const shelters: string = (await recordConsent(shelter.token)).body.recordId;
    const senders: string = (await recordConsent(hsi.token)).body.recordId;
    expect(answer(await revoke(hsi.token, shelters))).toEqual(answer(await revoke(hsi.token, randomUUID())));
    expect((await revoke(hsi.token, senders)).status).toBe(200);
  });

  it(`refuses a consent that runs past ${MAX_DAYS} days, saying so`, async () => {
    const tooLong = await post('/v1/consents', shelter.token, consentFor(referralId, inDays(MAX_DAYS + 1)));
    expect(tooLong).toMatchObject({ status: 400, body: { code: 'CONSENT.EXPIRY_TOO_FAR', detail: expect.stringContaining(`at most ${MAX_DAYS} days`) } });
    expect((await post('/v1/consents', shelter.token, consentFor(referralId, inDays(MAX_DAYS - 1)))).status).toBe(201);
  });

  it('refuses a new consent for a withdrawn referral, and still lets its consents be revoked', async () => {
    const withdrawn: string = (await post('/v1/referrals', hsi.token, EXAMPLE_REFERRAL)).body.recordId;
    const consentId: string = (await recordConsent(shelter.token, withdrawn)).body.recordId;
    expect((await post(`/v1/referrals/${withdrawn}/withdrawal`, hsi.token, { reason: 'Victim moved out of state' })).status).toBe(200);

    expect(await recordConsent(shelter.token, withdrawn)).toMatchObject({ status: 422, body: { code: 'CONSENT.REFERRAL_WITHDRAWN' } });
    expect((await revoke(shelter.token, consentId)).status).toBe(200);
  });
});
