import { createHash } from 'node:crypto';
import { DisclosureEntry } from './disclosure-entry';

/** The previous hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** Bumped if the serialisation ever changes, so old and new rows can never hash alike by accident. */
const FORMAT = 'crescent.disclosure-ledger.v1';

/**
 * One JSON array: the chain's format, the row's place in it, then its fields in a fixed order. JSON's
 * string escaping and the array's delimiters make it unambiguous (no two different rows serialise
 * alike), it is the same on every platform, and the format keeps rows of different chains apart.
 */
function canonicalChainRow(format: string, sequence: number, previousHash: string, fields: readonly unknown[]): string {
  return JSON.stringify([format, sequence, previousHash, ...fields]);
}

/** SHA-256 of the canonical row, lower-case hex: the link every hash-chained table stores. */
export function chainHash(format: string, sequence: number, previousHash: string, fields: readonly unknown[]): string {
  return createHash('sha256').update(canonicalChainRow(format, sequence, previousHash, fields), 'utf8').digest('hex');
}

/** An entry's fields in the order of the ledger's columns after the chain's own, which is also the hashed order. */
export function ledgerFields(entry: DisclosureEntry): (string | number | readonly string[])[] {
  return [
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
  ];
}

export function canonicalRow(sequence: number, previousHash: string, entry: DisclosureEntry): string {
  return canonicalChainRow(FORMAT, sequence, previousHash, ledgerFields(entry));
}

export function hashRow(sequence: number, previousHash: string, entry: DisclosureEntry): string {
  return chainHash(FORMAT, sequence, previousHash, ledgerFields(entry));
}
