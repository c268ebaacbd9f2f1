import { AnchorFile, DisclosureLedger, LedgerVerification } from '@crescent/ledger';
import { LedgerAnchoring } from '@crescent/runtime';

/** The ledger's verification and the anchor it was held to: none when anchoring is off or nothing was anchored yet. */
export type AnchoredVerification = LedgerVerification & { readonly anchoredSequence?: number; readonly anchoredAt?: string };

/** Walks the ledger, held to the newest anchor the relay wrote outside the database when there is one. */
export async function verifyLedger(ledger: DisclosureLedger, anchoring: LedgerAnchoring | undefined): Promise<AnchoredVerification> {
  const anchor = anchoring && new AnchorFile(anchoring.file).latest();
  if (!anchoring || !anchor) return ledger.verify();
  return { ...(await ledger.verify({ anchor, key: anchoring.key })), anchoredSequence: anchor.sequence, anchoredAt: anchor.anchoredAt };
}
