import { loadEventContracts } from '../events/event-contracts';
import { messageProblems } from './message-contracts';

const referral = loadEventContracts().find(({ name }) => name === 'VictimReferralSubmitted.v2')!.fixture!;
const RECORD_ID = 'ref-1';

/** A delivery of `VictimReferralSubmitted.v2` with `data` as its value, as the relay sends it; `headers` replace (or, undefined, remove) its own. */
function delivery(data: unknown, headers: Record<string, string | undefined> = {}) {
  const all: Record<string, string | undefined> = {
    ce_specversion: '1.0',
    ce_id: '0b0c9f0e-8a57-4a43-9a3e-1f6f7a1b2c3d',
    ce_source: 'urn:crescent:relay',
    ce_type: 'crescent.VictimReferralSubmitted.v2',
    ce_subject: RECORD_ID,
    ce_time: '2026-03-01T10:00:00.000Z',
    ce_dataschema: 'urn:crescent:schema:VictimReferralSubmitted:2',
    'content-type': 'application/json',
    ce_recordversion: '1',
    ce_policyversion: '3',
    ce_correlationid: 'corr-1',
    ...headers,
  };
  return { headers: Object.fromEntries(Object.entries(all).filter((header): header is [string, string] => header[1] !== undefined)), value: JSON.stringify(data) };
}

describe('messageProblems: a message against the schemas its headers name', () => {
  it('takes every event fixture whole, as a policy that includes everything would send it', () => {
    const problems = loadEventContracts().map(({ name, type, version, fixture }) => ({
      name,
      problems: messageProblems(delivery(fixture!.data, { ce_type: `crescent.${type}.v${version}`, ce_dataschema: `urn:crescent:schema:${type}:${version}` })),
    }));
    expect(problems.filter((entry) => entry.problems.length > 0)).toEqual([]);
  });

  it('takes an event cut by a policy: properties withheld, values masked, pseudonymized, generalized or counted', () => {
    const { victim, dependents: _dependents, ...data } = referral.data as { victim: Record<string, unknown>; dependents: unknown[] };
    const cut = { ...data, victim: { ...victim, dateOfBirth: '25-34', phone: '***********0142' }, foundAt: 'St. Bernard', referringOfficer: 'k1:Zm9v', needs: 2 };
    expect(messageProblems(delivery(cut))).toEqual([]);
    expect(messageProblems(delivery({}))).toEqual([]);
  });

  it('refuses a property the event does not have, a value of no transform, and names neither the value nor the unknown key', () => {
    const problems = messageProblems(delivery({ referralId: RECORD_ID, nickname: 'Mari', victim: { isMinor: 0.5 } }));
    expect(problems).toEqual(expect.arrayContaining(['/ must NOT have additional properties', expect.stringContaining('/victim/isMinor')]));
    expect(problems.join(' ')).not.toMatch(/Mari\b|0\.5|nickname/);
  });

  it('checks the headers of the message\'s kind: an event carries the relay\'s extensions, a retraction nothing beyond the core set', () => {
    expect(messageProblems(delivery({}, { ce_correlationid: undefined }))).toEqual([expect.stringContaining('ce_correlationid')]);
    const retraction = delivery({ recordType: 'victim-referral', recordId: RECORD_ID }, { ce_type: 'crescent.RecordRetracted.v1', ce_dataschema: 'urn:crescent:schema:RecordRetracted:1' });
    expect(messageProblems(retraction)).not.toEqual([]);
    const core = { ...retraction.headers, ce_recordversion: undefined, ce_policyversion: undefined, ce_correlationid: undefined };
    expect(messageProblems(delivery({ recordType: 'victim-referral', recordId: RECORD_ID }, core))).toEqual([]);
    expect(messageProblems(delivery({ recordType: 'victim-referral' }, core))).toEqual([expect.stringContaining('recordId')]);
  });

  it('checks each event of a snapshot against its own outbound schema', () => {
    const event = { id: '0b0c9f0e-8a57-4a43-9a3e-1f6f7a1b2c3d', type: 'crescent.VictimReferralSubmitted.v1', time: '2026-03-01T10:00:00.000Z', recordversion: 1 };
    const snapshot = (data: unknown) =>
      delivery(
        { recordType: 'victim-referral', recordId: RECORD_ID, events: [{ ...event, data }] },
        { ce_type: 'crescent.RecordSnapshot.v1', ce_dataschema: 'urn:crescent:schema:RecordSnapshot:1', ce_correlationid: undefined },
      );
    expect(messageProblems(snapshot({ referralId: RECORD_ID }))).toEqual([]);
    expect(messageProblems(snapshot({ referralId: RECORD_ID, dependentCount: 1 }))).toEqual(['/events/0/data/ must NOT have additional properties']);
  });

  it('refuses a message whose ce_dataschema names no schema, or another type than ce_type', () => {
    expect(messageProblems(delivery({}, { ce_dataschema: 'urn:crescent:schema:Nothing:1', ce_type: 'crescent.Nothing.v1' }))).toEqual(['no schema Nothing.v1']);
    expect(messageProblems(delivery({}, { ce_dataschema: 'urn:crescent:schema:VictimReferralSubmitted:1' }))).not.toEqual([]);
  });
});
