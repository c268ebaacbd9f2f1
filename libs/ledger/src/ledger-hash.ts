import { createHash } from 'node:crypto';
import { DisclosureEntry } from './disclosure-entry';

/** The previous hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** Bumped if the serialisation ever changes, so old and new rows can never hash alike by accident. */
const FORMAT = 'crescent.disclosure-ledger.v1';

/**
 * One JSON array in a fixed field order: JSON's string escaping and the array's delimiters make it
 * unambiguous (no two different rows serialise alike), and it is the same on every platform.
 */
export function canonicalRow(sequence: number, previousHash: string, entry: DisclosureEntry): string {
  return JSON.stringify([
    FORMAT,
    sequence,
    previousHash,
    entry.recipientAgencyId,
    entry.eventId,
    entry.recordType,
    entry.recordId,
    entry.policyId,
    entry.policyVersion,
    entry.consentIds,
    entry.disclosedFields,
    entry.withheldFields,
    entry.kind,
    entry.deliveredAt,
  ]);
}

/** SHA-256 of the canonical row, lower-case hex. */
export function hashRow(sequence: number, previousHash: string, entry: DisclosureEntry): string {
  return createHash('sha256').update(canonicalRow(sequence, previousHash, entry), 'utf8').digest('hex');
}
