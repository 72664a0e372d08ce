/**
 * Idempotency keys of the ledger's mutations: the first result is kept under the key with a
 * fingerprint of its parameters, so the same key with the same parameters answers that
 * result again and with other parameters is a conflict. Synchronous, like the ledger, so a
 * check and its record sit in the mutation's own transaction.
 */
import { canonicalJson } from "../core/digest";
import type { Conflict } from "./types";

/** Deterministic JSON of a mutation's parameters, to tell a replay from a conflict. */
const fingerprint = canonicalJson;

export class IdempotencyKeys {
  constructor(
    private readonly sql: SqlStorage,
    private readonly now: () => number,
  ) {}

  /** The first result under `key`, a conflict when it was used with other parameters, or null when unused. */
  replay<R>(key: string, params: unknown): { result: R | Conflict } | null {
    const row = this.sql.exec<{ fingerprint: string; result: string }>("SELECT fingerprint, result FROM idempotency WHERE key = ?", key).toArray()[0];
    if (!row) return null;
    if (row.fingerprint !== fingerprint(params)) {
      return { result: { ok: false, reason: "conflict", message: `idempotency key ${key} was used with other parameters` } };
    }
    return { result: JSON.parse(row.result) as R };
  }

  remember(key: string, params: unknown, result: unknown): void {
    this.sql.exec("INSERT INTO idempotency (key, fingerprint, result, created_at) VALUES (?, ?, ?, ?)", key, fingerprint(params), JSON.stringify(result), this.now());
  }

  /** Forgets keys older than `keepMs`, but the signup grant's. */
  purge(keepMs: number): void {
    this.sql.exec("DELETE FROM idempotency WHERE created_at < ? AND key <> 'signup'", this.now() - keepMs);
  }
}
