import { RecordType } from '@crescent/domain';

const TOPIC_OF: Partial<Record<RecordType, string>> = {
  case: 'cases',
  'victim-referral': 'victim-referrals',
  'arrest-record': 'arrest-records',
  consent: 'consents',
};

/**
 * The topic an agency reads one record type from at one schema version (what its subscription pins),
 * or undefined for records never shared (agencies, policies, subscriptions). It names only the agency,
 * the record type and the version: nothing in a topic name may hint at what a message holds or withholds.
 */
export function outboundTopic(namespace: string, agencyId: string, recordType: RecordType, schemaVersion: number): string | undefined {
  const name = TOPIC_OF[recordType];
  return name && `${namespace}crescent.out.${agencyId}.${name}.v${schemaVersion}`;
}

const OUTBOUND_RECORD_TOPIC = new RegExp(`crescent\\.out\\.[^.]+\\.(${Object.values(TOPIC_OF).join('|')})\\.v\\d+$`);

/** Whether a topic is one of `outboundTopic`'s: the topics that carry records, and their retractions. */
export function isOutboundRecordTopic(topic: string): boolean {
  return OUTBOUND_RECORD_TOPIC.test(topic);
}

/** Where an agency produces commands; broker ACLs let only that agency write to it. */
export function inboundCommandTopic(namespace: string, agencyId: string): string {
  return `${namespace}crescent.in.${agencyId}.commands`;
}

/** Where the exchange answers an agency's inbound commands: receipts for accepted ones, rejections with reasons. */
export function commandReplyTopic(namespace: string, agencyId: string, reply: 'receipts' | 'rejections'): string {
  return `${namespace}crescent.out.${agencyId}.command-${reply}`;
}

/** Where the relay reports an event it could not deliver (identifiers and the reason only), for operators. */
export function deadLetterTopic(namespace: string): string {
  return `${namespace}crescent.relay.dead-letters`;
}
