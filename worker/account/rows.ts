/** Ledger entries as the Account object's SQLite stores them, and as the API shows them. */
import type { ChainedEntry } from "../core/chain";
import type { Entry, EntryKind } from "./types";

export type Row = Record<string, SqlStorageValue>;

export interface EntryRow extends Row {
  seq: number;
  id: string;
  kind: EntryKind;
  amount: number;
  balance_after: number;
  reference: string | null;
  description: string;
  created_at: number;
  /** Null only between migration 3's column and its backfill. */
  hash: string | null;
}

export function toEntry(r: EntryRow): Entry {
  return {
    id: r.id,
    kind: r.kind,
    amount: r.amount,
    balanceAfter: r.balance_after,
    reference: r.reference,
    description: r.description,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export function toChainedEntry(r: EntryRow): ChainedEntry {
  return { ...toEntry(r), hash: r.hash ?? "" };
}
