/**
 * Reconciliation: every user's Account object against its own entries and against the
 * D1 projection. Anything that disagrees is drift, reported and never silently fixed.
 */
import { accountOf } from "./client";

export interface Drift {
  userId: string;
  problem: "entries_mismatch" | "projection_mismatch" | "projection_missing" | "unbound_account";
  detail: string;
}

export interface ReconcileReport {
  checked: number;
  drift: Drift[];
}

const PAGE = 100;

export async function reconcile(env: Env): Promise<ReconcileReport> {
  const drift: Drift[] = [];
  let checked = 0;
  let after = "";
  for (;;) {
    const { results } = await env.DB.prepare(
      `SELECT u.id AS userId, b.balance, b.held FROM users u LEFT JOIN balances b ON b.user_id = u.id
       WHERE u.id > ? ORDER BY u.id LIMIT ?`,
    )
      .bind(after, PAGE)
      .all<{ userId: string; balance: number | null; held: number | null }>();
    for (const row of results) {
      const audit = await accountOf(env, row.userId).audit();
      checked++;
      if (audit.userId !== null && audit.userId !== row.userId) {
        drift.push({ userId: row.userId, problem: "unbound_account", detail: `object belongs to ${audit.userId}` });
      }
      if (audit.balance !== audit.entrySum) {
        drift.push({ userId: row.userId, problem: "entries_mismatch", detail: `balance ${audit.balance} ≠ sum of entries ${audit.entrySum}` });
      }
      if (audit.projectionPending) continue;
      if (row.balance === null) {
        if (audit.userId !== null) drift.push({ userId: row.userId, problem: "projection_missing", detail: "no projection row" });
      } else if (row.balance !== audit.balance || row.held !== audit.held) {
        drift.push({
          userId: row.userId,
          problem: "projection_mismatch",
          detail: `D1 ${row.balance}/${row.held} ≠ account ${audit.balance}/${audit.held}`,
        });
      }
    }
    if (results.length < PAGE) break;
    after = results.at(-1)!.userId;
  }
  return { checked, drift };
}
