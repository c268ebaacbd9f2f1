import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AnchorFile, ChainAnchor, DisclosureLedger, signAnchor } from '@crescent/ledger';
import { LedgerAnchoring } from '@crescent/runtime';

/** The active relay's anchoring of the disclosure ledger: the head, signed, appended to a file outside the database whenever it moved. */
export class LedgerAnchor {
  private readonly file: AnchorFile;
  private lastSequence: number | undefined;

  constructor(
    private readonly ledger: DisclosureLedger,
    private readonly anchoring: LedgerAnchoring,
  ) {
    mkdirSync(dirname(anchoring.file), { recursive: true });
    this.file = new AnchorFile(anchoring.file);
    this.lastSequence = this.file.latest()?.sequence;
  }

  /** Anchors the head if it moved since the last anchor; the anchor written, or undefined. */
  async anchorHead(now = new Date()): Promise<ChainAnchor | undefined> {
    const head = await this.ledger.head();
    if (!head || head.sequence === this.lastSequence) return undefined;
    const anchor = signAnchor(head, now.toISOString(), this.anchoring.key);
    this.file.append(anchor);
    this.lastSequence = head.sequence;
    return anchor;
  }
}
