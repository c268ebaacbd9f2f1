import { AgencyEvent } from '@crescent/domain';
import {
  ADMIN_METADATA,
  agencyCredentialRotated,
  agencyRegistered,
  agencyReinstated,
  agencyRevoked,
  agencySuspended,
  HSI_CREDENTIAL_SHA256,
  HSI_ROTATED_CREDENTIAL_SHA256,
} from '@crescent/domain/testing';
import { agenciesOf, agencyByCredential, agencyStatus, credentialHolder, credentialWindowsOf } from './disclosure-state';
import { stateOf } from './testing/feed';

const HSI = { id: 'hsi-new-orleans', name: 'HSI New Orleans', kind: 'federal-law-enforcement', department: 'DHS', jurisdiction: ['Orleans', 'Jefferson'] };
/** The SHA-256 of `hsi-third-token`. */
const THIRD_CREDENTIAL_SHA256 = '57ce9fd17ca7cbb9e5af2bc47c16ce41352fbd6cbb5012f2361dcc04e3755fa6';

/** Registered 2026-10-01T08:00Z; rotated 2026-10-02T09:30Z with the old token good until 2026-10-03T09:30Z. */
const rotatedWithADaysGrace = [agencyRegistered(), agencyCredentialRotated('2026-10-03T09:30:00.000Z')];

describe('which agency a credential authenticates, and when', () => {
  it('answers for the registered credential from its registration on, with the agency and nothing of its credentials', () => {
    const state = stateOf(agencyRegistered());
    expect(agencyByCredential(state, HSI_CREDENTIAL_SHA256, '2026-10-01T08:00:00.000Z')).toEqual(HSI);
    expect(agencyByCredential(state, HSI_CREDENTIAL_SHA256.toUpperCase(), '2030-01-01T00:00:00.000Z')).toEqual(HSI);
    expect(agencyByCredential(state, HSI_ROTATED_CREDENTIAL_SHA256, '2026-10-01T08:00:00.000Z')).toBeUndefined();
    expect(agenciesOf(state)).toEqual([HSI]);
  });

  it('after a rotation, the new credential works and the old one works until the grace ends, not at that instant', () => {
    const state = stateOf(...rotatedWithADaysGrace);
    expect(agencyByCredential(state, HSI_ROTATED_CREDENTIAL_SHA256, '2026-10-02T09:30:00.000Z')).toEqual(HSI);
    expect(agencyByCredential(state, HSI_CREDENTIAL_SHA256, '2026-10-02T09:30:00.000Z')).toEqual(HSI);
    expect(agencyByCredential(state, HSI_CREDENTIAL_SHA256, '2026-10-03T09:29:59.999Z')).toEqual(HSI);
    expect(agencyByCredential(state, HSI_CREDENTIAL_SHA256, '2026-10-03T09:30:00.000Z')).toBeUndefined();
    expect(agencyByCredential(state, HSI_CREDENTIAL_SHA256, '2026-10-04T00:00:00.000Z')).toBeUndefined();
    expect(agencyByCredential(state, HSI_ROTATED_CREDENTIAL_SHA256, '2027-10-04T00:00:00.000Z')).toEqual(HSI);
  });

  it('with no grace, the old credential stops at the rotation itself', () => {
    const state = stateOf(agencyRegistered(), agencyCredentialRotated('2026-10-02T09:30:00.000Z'));
    expect(agencyByCredential(state, HSI_CREDENTIAL_SHA256, '2026-10-02T09:29:59.999Z')).toEqual(HSI);
    expect(agencyByCredential(state, HSI_CREDENTIAL_SHA256, '2026-10-02T09:30:00.000Z')).toBeUndefined();
    expect(agencyByCredential(state, HSI_ROTATED_CREDENTIAL_SHA256, '2026-10-02T09:30:00.000Z')).toEqual(HSI);
  });

  it('a second rotation with a longer grace does not extend the first grace', () => {
    const state = stateOf(...rotatedWithADaysGrace, rotation(THIRD_CREDENTIAL_SHA256, '2026-10-02T10:00:00.000Z', '2026-10-09T10:00:00.000Z'));
    expect(agencyByCredential(state, HSI_CREDENTIAL_SHA256, '2026-10-03T09:30:00.000Z')).toBeUndefined();
    expect(agencyByCredential(state, HSI_ROTATED_CREDENTIAL_SHA256, '2026-10-09T09:59:59.999Z')).toEqual(HSI);
    expect(agencyByCredential(state, HSI_ROTATED_CREDENTIAL_SHA256, '2026-10-09T10:00:00.000Z')).toBeUndefined();
    expect(credentialWindowsOf(state, 'hsi-new-orleans')).toEqual([
      { issuedAt: '2026-10-01T08:00:00.000Z', validUntil: '2026-10-03T09:30:00.000Z' },
      { issuedAt: '2026-10-02T09:30:00.000Z', validUntil: '2026-10-09T10:00:00.000Z' },
      { issuedAt: '2026-10-02T10:00:00.000Z' },
    ]);
  });

  it('a second rotation with a shorter grace ends every older credential then', () => {
    const state = stateOf(...rotatedWithADaysGrace, rotation(THIRD_CREDENTIAL_SHA256, '2026-10-02T10:00:00.000Z', '2026-10-02T10:00:00.000Z'));
    expect(credentialWindowsOf(state, 'hsi-new-orleans')).toEqual([
      { issuedAt: '2026-10-01T08:00:00.000Z', validUntil: '2026-10-02T10:00:00.000Z' },
      { issuedAt: '2026-10-02T09:30:00.000Z', validUntil: '2026-10-02T10:00:00.000Z' },
      { issuedAt: '2026-10-02T10:00:00.000Z' },
    ]);
  });

  it('lists the windows of an agency\'s credentials and never a hash', () => {
    const state = stateOf(...rotatedWithADaysGrace);
    expect(credentialWindowsOf(state, 'hsi-new-orleans')).toEqual([
      { issuedAt: '2026-10-01T08:00:00.000Z', validUntil: '2026-10-03T09:30:00.000Z' },
      { issuedAt: '2026-10-02T09:30:00.000Z' },
    ]);
    expect(credentialWindowsOf(state, 'fbi-new-orleans')).toBeUndefined();
    expect(JSON.stringify(agenciesOf(state))).not.toMatch(/[0-9a-f]{64}/);
  });
});

describe('an agency\'s status', () => {
  it('is active once registered, and unknown before', () => {
    expect(agencyStatus(stateOf(), 'hsi-new-orleans')).toBeUndefined();
    expect(agencyStatus(stateOf(agencyRegistered()), 'hsi-new-orleans')).toBe('active');
  });

  it('while suspended, no credential authenticates it, even inside a grace; the holder is known as suspended', () => {
    const state = stateOf(...rotatedWithADaysGrace, agencySuspended());
    expect(agencyStatus(state, 'hsi-new-orleans')).toBe('suspended');
    expect(agencyByCredential(state, HSI_ROTATED_CREDENTIAL_SHA256, '2026-10-02T10:00:00.000Z')).toBeUndefined();
    expect(agencyByCredential(state, HSI_CREDENTIAL_SHA256, '2026-10-02T10:00:00.000Z')).toBeUndefined();
    expect(credentialHolder(state, HSI_ROTATED_CREDENTIAL_SHA256, '2026-10-02T10:00:00.000Z')).toEqual({ agency: HSI, status: 'suspended' });
    expect(agenciesOf(state)).toEqual([HSI]);
  });

  it('after reinstatement the credentials work again, within the windows they had', () => {
    const state = stateOf(...rotatedWithADaysGrace, agencySuspended(), agencyReinstated());
    expect(agencyStatus(state, 'hsi-new-orleans')).toBe('active');
    expect(agencyByCredential(state, HSI_ROTATED_CREDENTIAL_SHA256, '2026-10-05T00:00:00.000Z')).toEqual(HSI);
    expect(agencyByCredential(state, HSI_CREDENTIAL_SHA256, '2026-10-05T00:00:00.000Z')).toBeUndefined();
  });

  it('once revoked, no credential authenticates it; the holder of a working one is known as revoked', () => {
    const state = stateOf(agencyRegistered(), agencyRevoked());
    expect(agencyStatus(state, 'hsi-new-orleans')).toBe('revoked');
    expect(agencyByCredential(state, HSI_CREDENTIAL_SHA256, '2026-10-02T10:00:00.000Z')).toBeUndefined();
    expect(credentialHolder(state, HSI_CREDENTIAL_SHA256, '2026-10-02T10:00:00.000Z')).toEqual({ agency: HSI, status: 'revoked' });
  });

  it('names no holder for a credential outside its window, whatever the status', () => {
    const state = stateOf(agencyRegistered(), agencyCredentialRotated('2026-10-02T09:30:00.000Z'), agencySuspended());
    expect(credentialHolder(state, HSI_CREDENTIAL_SHA256, '2026-10-02T09:30:00.000Z')).toBeUndefined();
  });
});

function rotation(credentialSha256: string, rotatedAt: string, previousCredentialsValidUntil: string): AgencyEvent {
  return {
    type: 'AgencyCredentialRotated',
    data: { agencyId: 'hsi-new-orleans', credentialSha256, rotatedAt, previousCredentialsValidUntil },
    metadata: { ...ADMIN_METADATA, now: rotatedAt, schemaVersion: 1 },
  };
}
