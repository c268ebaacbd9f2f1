import type { Projection } from '@crescent/policy';
import { assertValidEntry, DisclosureEntry, disclosureEntryFor } from './disclosure-entry';

const projection: Projection = {
  recipientAgencyId: 'agency-police',
  policyId: 'policy-ngo-to-police',
  policyVersion: 2,
  consentIds: ['consent-1'],
  payload: { referralId: 'referral-1', victim: { ageBand: '18-24' } },
  fields: [
    { path: 'referralId', outcome: 'included', decidedBy: 'rule 1' },
    { path: 'victim.name', outcome: 'withheld', decidedBy: 'VAWA' },
    { path: 'victim.ageBand', outcome: 'generalized', decidedBy: 'rule 2' },
    { path: 'victim.phone', outcome: 'masked', decidedBy: 'rule 3' },
    { path: 'victim.alienNumber', outcome: 'withheld', decidedBy: 'default deny' },
  ],
  disclosedFields: ['referralId', 'victim.ageBand', 'victim.phone'],
  withheldFields: ['victim.name', 'victim.alienNumber'],
};

const delivery = {
  eventId: 'event-1',
  recordType: 'victim-referral',
  recordId: 'referral-1',
  kind: 'delivery',
  deliveredAt: '2025-03-01T10:00:00.000Z',
} as const;

function refusal(work: () => void): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('a disclosure entry', () => {
  it('accounts for a projection by the paths it disclosed (transformed or not) and withheld', () => {
    expect(disclosureEntryFor(projection, delivery)).toEqual({
      recipientAgencyId: 'agency-police',
      eventId: 'event-1',
      recordType: 'victim-referral',
      recordId: 'referral-1',
      policyId: 'policy-ngo-to-police',
      policyVersion: 2,
      consentIds: ['consent-1'],
      disclosedFields: ['referralId', 'victim.ageBand', 'victim.phone'],
      withheldFields: ['victim.name', 'victim.alienNumber'],
      kind: 'delivery',
      deliveredAt: '2025-03-01T10:00:00.000Z',
    });
  });

  const valid = disclosureEntryFor(projection, delivery);

  it('is accepted when complete', () => {
    expect(() => assertValidEntry(valid, 0)).not.toThrow();
  });

  it.each<[string, Partial<Record<keyof DisclosureEntry, unknown>>, string]>([
    ['an empty record id', { recordId: '' }, 'recordId must be a non-empty string'],
    ['a list holding a number', { consentIds: ['consent-1', 7] }, 'consentIds must be a list of strings'],
    ['a fractional policy version', { policyVersion: 1.5 }, 'policyVersion must be a non-negative integer'],
    ['an unknown kind', { kind: 'redelivery' }, 'kind must be one of delivery, retraction, snapshot'],
    ['a time with an offset', { deliveredAt: '2025-03-01T12:00:00.000+02:00' }, 'deliveredAt must be an ISO-8601 UTC instant (toISOString)'],
    ['a time without milliseconds', { deliveredAt: '2025-03-01T10:00:00Z' }, 'deliveredAt must be an ISO-8601 UTC instant (toISOString)'],
  ])('is refused with %s, naming the field but not its value', (_, change, problem) => {
    const entry = { ...valid, ...change } as DisclosureEntry;
    expect(refusal(() => assertValidEntry(entry, 3))).toMatchObject({
      kind: 'validation',
      code: 'LEDGER.INVALID_ENTRY',
      message: `disclosure entry 3: ${problem}`,
    });
  });
});
