/**
 * The ledger's hash chain: each entry's hash covers the previous entry's hash and the
 * entry's own fields, so altering, dropping or reordering any entry breaks every hash after
 * it. Shared by the Account object (which writes the chain inside a synchronous transaction),
 * `npm run verify-statement` and the credits page's Verify button (which recompute it), so its
 * SHA-256 is a synchronous one that runs in all three.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** The "previous hash" of a ledger's first entry. */
export const GENESIS = "0".repeat(64);

export interface ChainedEntry {
  id: string;
  kind: string;
  amount: number;
  balanceAfter: number;
  reference: string | null;
  description: string;
  createdAt: string;
  hash: string;
}

export function entryHash(previous: string, e: Omit<ChainedEntry, "hash">): string {
  const fields = JSON.stringify([e.id, e.kind, e.amount, e.balanceAfter, e.reference, e.description, e.createdAt]);
  return bytesToHex(sha256(utf8ToBytes(`${previous}\n${fields}`)));
}

export type ChainCheck = { ok: true; head: string } | { ok: false; index: number; id: string; reason: string };

/** Recomputes the chain from `previous` over `entries` (oldest first), saying where it first breaks. */
export function verifyChain(previous: string, entries: readonly ChainedEntry[], head?: string): ChainCheck {
  let hash = previous;
  for (const [index, entry] of entries.entries()) {
    const expected = entryHash(hash, entry);
    if (entry.hash !== expected) {
      return { ok: false, index, id: entry.id, reason: `entry ${index + 1} (${entry.id}) does not match its hash: it was changed, or an entry before it was changed, dropped or moved` };
    }
    hash = expected;
  }
  if (head !== undefined && hash !== head) {
    return { ok: false, index: entries.length, id: "", reason: "the chain ends before its signed head: entries at the end were dropped" };
  }
  return { ok: true, head: hash };
}
