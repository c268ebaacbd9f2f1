import { RecordType } from '@crescent/domain';

const TOPIC_OF: Partial<Record<RecordType, string>> = {
  case: 'cases',
  'victim-referral': 'victim-referrals',
  'arrest-record': 'arrest-records',
  consent: 'consents',
};

/**
 * The topic an agency reads one record type from, or undefined for records never shared (agencies,
 * policies). It names only the agency and the record type: nothing in a topic name may hint at what
 * a message holds or withholds. Event types and their schema versions travel in `ce_type`.
 */
export function outboundTopic(namespace: string, agencyId: string, recordType: RecordType): string | undefined {
  const name = TOPIC_OF[recordType];
  return name && `${namespace}crescent.out.${agencyId}.${name}`;
}

/** Where an agency produces commands; broker ACLs let only that agency write to it. */
export function inboundCommandTopic(namespace: string, agencyId: string): string {
  return `${namespace}crescent.in.${agencyId}.commands`;
}

/** Where the exchange answers an agency's inbound commands: receipts for accepted ones, rejections with reasons. */
export function commandReplyTopic(namespace: string, agencyId: string, reply: 'receipts' | 'rejections'): string {
  return `${namespace}crescent.out.${agencyId}.command-${reply}`;
}
