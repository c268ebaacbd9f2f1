/**
 * The topic an agency reads one record type from. It names only the agency and the record type:
 * nothing in a topic name may hint at what a message holds or withholds.
 */
export function outboundTopic(namespace: string, agencyId: string, recordType: 'victim-referrals', schemaVersion: number): string {
  return `${namespace}crescent.out.${agencyId}.${recordType}.v${schemaVersion}`;
}
