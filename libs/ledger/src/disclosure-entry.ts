import { DomainError } from '@crescent/domain';
import type { Projection } from '@crescent/policy';

/** An event delivered; a record taken back; a record sent whole as it stands (entitlement that widened reaching back). */
export type DisclosureKind = 'delivery' | 'retraction' | 'snapshot';

export const DISCLOSURE_KINDS: readonly DisclosureKind[] = ['delivery', 'retraction', 'snapshot'];

/** One delivery (or retraction) to one recipient: who received what about which record, and why. */
export interface DisclosureEntry {
  readonly recipientAgencyId: string;
  readonly eventId: string;
  readonly recordType: string;
  readonly recordId: string;
  readonly policyId: string;
  readonly policyVersion: number;
  readonly consentIds: readonly string[];
  /** Field paths, never values. */
  readonly disclosedFields: readonly string[];
  readonly withheldFields: readonly string[];
  readonly kind: DisclosureKind;
  /** An ISO-8601 UTC instant as `Date#toISOString` writes it, so text order is time order. */
  readonly deliveredAt: string;
}

/** What the relay knows of a delivery beyond the projection itself. */
export interface Delivery {
  readonly eventId: string;
  readonly recordType: string;
  readonly recordId: string;
  readonly kind: DisclosureKind;
  readonly deliveredAt: string;
}

/** The ledger's account of a projection: a transformed field (masked, generalized…) was still disclosed. */
export function disclosureEntryFor(projection: Projection, delivery: Delivery): DisclosureEntry {
  return {
    recipientAgencyId: projection.recipientAgencyId,
    eventId: delivery.eventId,
    recordType: delivery.recordType,
    recordId: delivery.recordId,
    policyId: projection.policyId,
    policyVersion: projection.policyVersion,
    consentIds: [...projection.consentIds],
    disclosedFields: projection.disclosedFields,
    withheldFields: projection.withheldFields,
    kind: delivery.kind,
    deliveredAt: delivery.deliveredAt,
  };
}

const TEXT_FIELDS = ['recipientAgencyId', 'eventId', 'recordType', 'recordId', 'policyId'] as const;
const LIST_FIELDS = ['consentIds', 'disclosedFields', 'withheldFields'] as const;

/** The text form `toISOString` writes; any other spelling of an instant would sort wrongly as text. */
export function isCanonicalInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString() === value;
}

/** Refuses an entry the ledger could not store faithfully. Messages name the field, never its value. */
export function assertValidEntry(entry: DisclosureEntry, index: number): void {
  for (const name of TEXT_FIELDS) {
    if (typeof entry[name] !== 'string' || entry[name] === '') invalid(index, `${name} must be a non-empty string`);
  }
  for (const name of LIST_FIELDS) {
    const list: unknown = entry[name];
    if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
      invalid(index, `${name} must be a list of strings`);
    }
  }
  if (!Number.isSafeInteger(entry.policyVersion) || entry.policyVersion < 0) {
    invalid(index, 'policyVersion must be a non-negative integer');
  }
  if (!DISCLOSURE_KINDS.includes(entry.kind)) invalid(index, `kind must be one of ${DISCLOSURE_KINDS.join(', ')}`);
  if (!isCanonicalInstant(entry.deliveredAt)) invalid(index, 'deliveredAt must be an ISO-8601 UTC instant (toISOString)');
}

function invalid(index: number, problem: string): never {
  throw new DomainError('validation', 'LEDGER.INVALID_ENTRY', `disclosure entry ${index}: ${problem}`);
}
