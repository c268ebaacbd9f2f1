import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agency } from '@crescent/domain';
import { BusMessage } from '@crescent/messaging';
import { problemFor } from '@crescent/runtime';
import { readInboundCommand } from './inbound-command';

const agency: Agency = { id: 'hsi-new-orleans', name: 'HSI New Orleans Field Office', kind: 'federal-law-enforcement', department: 'DHS', jurisdiction: [] };
const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'contracts', 'examples', 'victim-referral.json'), 'utf8'));

function submission(value: string): BusMessage {
  return { topic: 'crescent.in.hsi-new-orleans.commands', key: 'k', value, headers: { ce_specversion: '1.0', ce_id: 'c-1', ce_type: 'SubmitVictimReferral' } };
}

/** The rejection the agency would read on its rejection topic: what reading the message threw, as a problem. */
async function rejectionOf(value: string) {
  try {
    await readInboundCommand(submission(value), agency);
  } catch (error) {
    return problemFor(error);
  }
  throw new Error('accepted');
}

describe('the person an inbound command names', () => {
  const PERSON = 'person:3f1d2c4b-5a69-4e7f-8a0b-1c2d3e4f5a6b';
  const named = (onBehalfOf: string): BusMessage => ({ ...submission(JSON.stringify(EXAMPLE)), headers: { ...submission('').headers, ce_onbehalfof: onBehalfOf } });

  it('is taken in the X-On-Behalf-Of format, for the event metadata', async () => {
    expect((await readInboundCommand(named(PERSON), agency)).onBehalfOf).toBe(PERSON);
    expect((await readInboundCommand(submission(JSON.stringify(EXAMPLE)), agency)).onBehalfOf).toBeUndefined();
  });

  it('is refused in any other, without repeating it', async () => {
    const refused = await readInboundCommand(named('Casey Caseworker'), agency).then(() => undefined, problemFor);
    expect(refused).toMatchObject({ status: 400, code: 'COMMAND.ON_BEHALF_OF' });
    expect(JSON.stringify(refused)).not.toContain('Casey');
  });
});

describe('an inbound command message with a bad body', () => {
  it('is rejected with reasons, not thrown for redelivery, when its value nests 10,000 levels deep', async () => {
    expect(await rejectionOf(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).toMatchObject({ status: 400, code: 'REQUEST.TOO_DEEP' });
    expect(await rejectionOf(`{"victim":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`)).toMatchObject({ status: 400, code: 'REQUEST.TOO_DEEP' });
  });

  it('is rejected when its dependents are lists', async () => {
    const rejection = await rejectionOf(JSON.stringify({ ...EXAMPLE, dependents: [[], [[]]] }));
    expect(rejection).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    expect(rejection.errors).toEqual(expect.arrayContaining([{ field: 'dependents', problems: expect.arrayContaining(['each value in dependents must be an object']) }]));
  });

  it('reports 20 problems of 8,000 bad elements and counts the rest', async () => {
    const rejection = await rejectionOf(JSON.stringify({ ...EXAMPLE, dependents: Array.from({ length: 8000 }, () => ({ age: -1 })) }));
    expect(rejection.errors).toHaveLength(20);
    expect(rejection.moreErrors).toBeGreaterThan(8000);
    expect(JSON.stringify(rejection).length).toBeLessThan(5000);
  });

  it('names no unknown key and repeats no value', async () => {
    const rejection = await rejectionOf(JSON.stringify({ ...EXAMPLE, victim: { ...EXAMPLE.victim, givenName: 'Ma\u202Eria', nickname: 'Mari' } }));
    expect(rejection.errors).toEqual(expect.arrayContaining([{ field: 'victim', problems: ['an unknown property'] }, { field: 'victim.givenName', problems: [expect.stringContaining('bidirectional')] }]));
    expect(JSON.stringify(rejection)).not.toMatch(/nickname|Mari|ria/);
  });
});
