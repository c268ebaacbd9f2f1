export {
  DisclosureLedger,
  type DisclosureLedgerOptions,
  type LedgerRange,
  type LedgerRow,
  type LedgerTimeRange,
  type LedgerVerification,
} from './disclosure-ledger';
export { DISCLOSURE_LEDGER_MIGRATIONS } from './disclosure-ledger.migrations';
export { DISCLOSURE_KINDS, disclosureEntryFor, isCanonicalInstant, type Delivery, type DisclosureEntry, type DisclosureKind } from './disclosure-entry';
export { canonicalRow, chainHash, GENESIS_HASH, hashRow } from './ledger-hash';
export { CHAIN_COLUMNS, type ChainedRow, type ChainVerification, type HashChainOptions, type ChainWriter, type HashChainSpec, HashChainTable, type StoredLink } from './hash-chain-table';
export { QueryArguments } from './query-arguments';
export { AnchorFile, type AnchorKey, anchorSignatureValid, type ChainAnchor, type ChainHead, signAnchor } from './chain-anchor';
