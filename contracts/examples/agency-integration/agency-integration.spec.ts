import { applyMessage, IntegrationReport, ReadMessage } from './agency-integration';

const emptyReport = (): IntegrationReport => ({ agencyId: 'bayou-haven-shelter', received: [], duplicates: [], invalid: [], retracted: [], snapshots: [], records: new Map(), commands: [] });
const message = (id: string, type: string, data: object, recordversion = '1'): ReadMessage => ({
  key: 'referral-1',
  value: JSON.stringify(data),
  headers: { ce_id: id, ce_type: type, ce_subject: 'referral-1', ce_recordversion: recordversion },
});

describe('what the example holds of a record, message after message', () => {
  it('adds each event once, however often it is delivered', () => {
    const report = emptyReport();
    const seen = new Set<string>();
    const submitted = message('e1', 'crescent.VictimReferralSubmitted.v2', { referralId: 'referral-1' });
    expect(applyMessage(report, seen, submitted).step).toBe('received');
    expect(applyMessage(report, seen, submitted).step).toBe('duplicate');
    expect(report.records.get('referral-1')).toEqual([{ id: 'e1', type: 'crescent.VictimReferralSubmitted.v2', recordversion: 1, data: { referralId: 'referral-1' } }]);
    expect(report.duplicates).toEqual(['e1']);
  });

  it('forgets the record on a retraction and takes the snapshot in place of what it held', () => {
    const report = emptyReport();
    const seen = new Set<string>();
    applyMessage(report, seen, message('e1', 'crescent.VictimReferralSubmitted.v2', { referralId: 'referral-1', victim: { phone: '+1 504 555 0142' } }));
    applyMessage(report, seen, message('r1', 'crescent.RecordRetracted.v1', { recordType: 'victim-referral', recordId: 'referral-1' }));
    expect(report.records.has('referral-1')).toBe(false);

    const events = [{ id: 'e1', type: 'crescent.VictimReferralSubmitted.v2', time: '2026-11-02T21:15:00Z', recordversion: 1, data: { referralId: 'referral-1' } }];
    applyMessage(report, seen, message('s1', 'crescent.RecordSnapshot.v1', { recordType: 'victim-referral', recordId: 'referral-1', events }));
    expect(report.records.get('referral-1')).toEqual(events);
    expect({ retracted: report.retracted, snapshots: report.snapshots }).toEqual({ retracted: ['referral-1'], snapshots: ['referral-1'] });
  });

  it('matches a receipt or a rejection to the command it answers', () => {
    const report = emptyReport();
    report.commands.push({ commandId: 'c1', commandType: 'AcknowledgeVictimReferral', recordId: 'referral-1' });
    report.commands.push({ commandId: 'c2', commandType: 'AcknowledgeVictimReferral', recordId: 'referral-1' });
    const seen = new Set<string>();
    applyMessage(report, seen, message('a1', 'crescent.CommandAccepted.v1', { commandId: 'c1', commandType: 'AcknowledgeVictimReferral', recordId: 'referral-1', version: 2 }));
    applyMessage(report, seen, message('a2', 'crescent.CommandRejected.v1', { commandId: 'c2', commandType: 'AcknowledgeVictimReferral', code: 'RECORD.VERSION_CONFLICT', status: 409 }));
    expect(report.commands.map(({ receipt, rejection }) => receipt?.version ?? rejection?.code)).toEqual([2, 'RECORD.VERSION_CONFLICT']);
    expect(report.records.size).toBe(0);
  });
});
