import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** The newest link of a chain at one moment: its sequence and hash. */
export interface ChainHead {
  readonly sequence: number;
  readonly hash: string;
}

/**
 * A chain head signed and kept outside the database: whoever can rewrite the ledger table cannot
 * make the newest rows vanish, or the chain be rebuilt, without the anchor giving it away.
 */
export interface ChainAnchor extends ChainHead {
  readonly anchoredAt: string;
  readonly keyId: string;
  /** HMAC-SHA256 (hex) of the sequence, hash and time under the anchoring key. */
  readonly signature: string;
}

/** The anchoring key: a secret the database never holds. */
export interface AnchorKey {
  readonly keyId: string;
  readonly secret: string;
}

export function signAnchor(head: ChainHead, anchoredAt: string, key: AnchorKey): ChainAnchor {
  return { ...head, anchoredAt, keyId: key.keyId, signature: signatureOf(head, anchoredAt, key) };
}

/** Whether the anchor was signed with this key, as it stands. */
export function anchorSignatureValid(anchor: ChainAnchor, key: AnchorKey): boolean {
  if (anchor.keyId !== key.keyId || !/^[0-9a-f]{64}$/.test(anchor.signature)) return false;
  return timingSafeEqual(Buffer.from(anchor.signature, 'hex'), Buffer.from(signatureOf(anchor, anchor.anchoredAt, key), 'hex'));
}

function signatureOf({ sequence, hash }: ChainHead, anchoredAt: string, key: AnchorKey): string {
  return createHmac('sha256', key.secret).update(JSON.stringify(['crescent-ledger-anchor', sequence, hash, anchoredAt])).digest('hex');
}

/** Anchors as JSON lines, only ever appended to: the newest one is the last line. */
export class AnchorFile {
  constructor(readonly path: string) {}

  append(anchor: ChainAnchor): void {
    appendFileSync(this.path, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
  }

  /** The newest anchor; undefined before the first. A line that is not an anchor is a damaged file, and says so. */
  latest(): ChainAnchor | undefined {
    if (!existsSync(this.path)) return undefined;
    const lines = readFileSync(this.path, 'utf8').split('\n').filter((line) => line.trim() !== '');
    if (lines.length === 0) return undefined;
    const anchor: unknown = JSON.parse(lines[lines.length - 1]);
    if (!isAnchor(anchor)) throw new Error(`the last line of ${this.path} is not a ledger anchor`);
    return anchor;
  }
}

function isAnchor(value: unknown): value is ChainAnchor {
  if (value === null || typeof value !== 'object') return false;
  const { sequence, hash, anchoredAt, keyId, signature } = value as Record<string, unknown>;
  return Number.isSafeInteger(sequence) && [hash, anchoredAt, keyId, signature].every((field) => typeof field === 'string');
}
