import { assertValidAccessEntry } from '@crescent/audit';
import { Agency } from '@crescent/domain';
import { BusMessage } from '@crescent/messaging';
import { inboundAccessEntry } from './inbound-command-audit';

const agency: Agency = { id: 'hsi-new-orleans', name: 'HSI New Orleans Field Office', kind: 'federal-law-enforcement', department: 'DHS', jurisdiction: [] };
const REFERRAL_ID = '7d1f3c2a-4b5e-4f60-8a71-9b2c3d4e5f60';
const TOPIC = 'crescent.in.hsi-new-orleans.commands';

function message(headers: Record<string, string>): BusMessage {
  return { topic: TOPIC, key: 'k', value: '{"victim":{"givenName":"Maria"}}', headers: { ce_specversion: '1.0', ce_id: 'c-1', ...headers } };
}

const refused = (status: number, code: string) => ({ refused: { type: `urn:crescent:problem:${code}`, title: 'Error', status, code } });

describe('the access audit entry of an inbound command', () => {
  it('records an accepted command as a write by the agency owning the topic, on the record it wrote', () => {
    const entry = inboundAccessEntry(message({ ce_type: 'AcceptVictimReferral', ce_subject: REFERRAL_ID }), agency, { accepted: { recordId: REFERRAL_ID, version: 2 } });
    expect(entry).toMatchObject({
      principal: 'agency:hsi-new-orleans',
      action: 'kafka:AcceptVictimReferral',
      category: 'record-write',
      recordType: 'victim-referral',
      recordId: REFERRAL_ID,
      source: TOPIC,
      outcome: 'success',
      status: null,
      code: null,
    });
    expect(() => assertValidAccessEntry(entry)).not.toThrow();
  });

  it('records a refused command with its code, denied when refused for who sent it', () => {
    const forbidden = inboundAccessEntry(message({ ce_type: 'AcceptVictimReferral', ce_subject: REFERRAL_ID }), agency, refused(403, 'REFERRAL.NOT_ADDRESSEE'));
    expect(forbidden).toMatchObject({ recordId: REFERRAL_ID, outcome: 'denied', code: 'REFERRAL.NOT_ADDRESSEE' });
    const invalid = inboundAccessEntry(message({ ce_type: 'SubmitVictimReferral' }), agency, refused(400, 'REQUEST.INVALID'));
    expect(invalid).toMatchObject({ action: 'kafka:SubmitVictimReferral', recordId: null, outcome: 'failed', code: 'REQUEST.INVALID' });
  });

  it('keeps of the headers only a known command type and an id, since the sender writes them', () => {
    const entry = inboundAccessEntry(message({ ce_type: 'Maria Example', ce_subject: 'Maria Example, 1994-03-17' }), agency, refused(400, 'COMMAND.UNKNOWN_TYPE'));
    expect(entry).toMatchObject({ action: 'kafka:unknown', recordType: null, recordId: null, code: 'COMMAND.UNKNOWN_TYPE' });
    expect(() => assertValidAccessEntry(entry)).not.toThrow();
    expect(inboundAccessEntry(message({ ce_type: 'CloseCase', ce_subject: 'not an id!' }), agency, refused(404, 'RECORD.NOT_FOUND'))).toMatchObject({
      recordType: 'case',
      recordId: null,
    });
  });

  it('names the person the agency named as taking the step, and no text in its place', () => {
    const person = 'person:3f1d2c4b-5a69-4e7f-8a0b-1c2d3e4f5a6b';
    const named = inboundAccessEntry(message({ ce_type: 'AcceptVictimReferral', ce_subject: REFERRAL_ID, ce_onbehalfof: person }), agency, { accepted: { recordId: REFERRAL_ID, version: 2 } });
    expect(named.onBehalfOf).toBe(person);
    expect(() => assertValidAccessEntry(named)).not.toThrow();
    const text = inboundAccessEntry(message({ ce_type: 'AcceptVictimReferral', ce_subject: REFERRAL_ID, ce_onbehalfof: 'Casey Caseworker' }), agency, refused(400, 'COMMAND.ON_BEHALF_OF'));
    expect(text).not.toHaveProperty('onBehalfOf');
  });
});
