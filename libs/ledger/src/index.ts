export {
  DisclosureLedger,
  type DisclosureLedgerOptions,
  type LedgerRange,
  type LedgerRow,
  type LedgerTimeRange,
  type LedgerVerification,
} from './disclosure-ledger';
export { DISCLOSURE_KINDS, disclosureEntryFor, isCanonicalInstant, type Delivery, type DisclosureEntry, type DisclosureKind } from './disclosure-entry';
export { canonicalRow, chainHash, GENESIS_HASH, hashRow } from './ledger-hash';
