/**
 * The topic an agency reads one record type from. It names only the agency and the record type:
 * nothing in a topic name may hint at what a message holds or withholds.
 */
export function outboundTopic(namespace: string, agencyId: string, recordType: 'victim-referrals', schemaVersion: number): string {
  return `${namespace}crescent.out.${agencyId}.${recordType}.v${schemaVersion}`;
}

/** Where an agency produces commands; broker ACLs let only that agency write to it. */
export function inboundCommandTopic(namespace: string, agencyId: string): string {
  return `${namespace}crescent.in.${agencyId}.commands`;
}

/** Where the exchange answers an agency's inbound commands: receipts for accepted ones, rejections with reasons. */
export function commandReplyTopic(namespace: string, agencyId: string, reply: 'receipts' | 'rejections'): string {
  return `${namespace}crescent.out.${agencyId}.command-${reply}`;
}
