/**
 * Reconciliation, the bank check across the boundary: for every user whose Account object
 * changed (or whose generations finished) since the last run, the object agrees with its
 * own entries and with the D1 projection, every finished generation's `charged` and
 * `refunded` are exactly its hold's capture and release for the items it completed, and
 * no hold is open without a generation that can still use it. Drift is reported, kept in
 * D1 for the admin view, and never silently fixed.
 */
import { desc } from "drizzle-orm";
import { chunked, IN_LIST_MAX } from "../db/chunks";
import { db } from "../db/client";
import { reconciliationRuns } from "../db/schema";
import { accountOf } from "./client";
import type { Hold } from "./types";

export type DriftKind =
  | "entries_mismatch"
  | "projection_mismatch"
  | "projection_missing"
  | "unbound_account"
  | "hold_missing"
  | "hold_unsettled"
  | "charge_mismatch"
  | "refund_mismatch"
  | "items_mismatch"
  | "orphan_hold";

export interface Drift {
  userId: string;
  kind: DriftKind;
  expected: number | string | null;
  actual: number | string | null;
  /** The generation or hold the finding is about, when it is about one. */
  subject?: string;
}

export interface ReconcileReport {
  ranAt: string;
  checked: number;
  drift: Drift[];
}

/** Runs overlap their windows by this much, so a change written during the last run is never missed. */
const OVERLAP_MS = 5 * 60_000;

interface FinishedGeneration {
  id: string;
  userId: string;
  completed: number;
  charged: number | null;
  refunded: number | null;
}

interface LiveGeneration {
  id: string;
  status: string;
  charged: number | null;
}

export async function reconcile(env: Env, now = Date.now()): Promise<ReconcileReport> {
  const database = db(env.DB);
  const last = await database.select({ ranAt: reconciliationRuns.ranAt }).from(reconciliationRuns).orderBy(desc(reconciliationRuns.ranAt)).limit(1).get();
  const since = last ? last.ranAt - OVERLAP_MS : 0;

  const users = await changedUsers(env, since);
  const drift: Drift[] = [];
  for (const page of chunked(users, IN_LIST_MAX)) {
    const finished = await finishedGenerations(env, page, since);
    for (const user of page) {
      drift.push(...(await checkUser(env, user, finished.get(user.userId) ?? [], now)));
    }
  }

  const report: ReconcileReport = { ranAt: new Date(now).toISOString(), checked: users.length, drift };
  await database.insert(reconciliationRuns).values({
    id: crypto.randomUUID(),
    ranAt: now,
    since,
    checked: users.length,
    driftCount: drift.length,
    drift: JSON.stringify(drift),
  });
  return report;
}

/** The newest report, for GET /api/admin/reconciliation. */
export async function lastReconciliation(env: Env): Promise<ReconcileReport | null> {
  const row = await db(env.DB).select().from(reconciliationRuns).orderBy(desc(reconciliationRuns.ranAt)).limit(1).get();
  if (!row) return null;
  return { ranAt: new Date(row.ranAt).toISOString(), checked: row.checked, drift: JSON.parse(row.drift) as Drift[] };
}

interface ChangedUser {
  userId: string;
  balance: number | null;
  held: number | null;
}

/** Users whose object wrote its projection, who finished a generation, or who signed up since `since`. */
async function changedUsers(env: Env, since: number): Promise<ChangedUser[]> {
  const { results } = await env.DB.prepare(
    `SELECT u.id AS userId, b.balance AS balance, b.held AS held
     FROM users u LEFT JOIN balances b ON b.user_id = u.id
     WHERE u.created_at >= ?1
        OR b.updated_at >= ?1
        OR EXISTS (SELECT 1 FROM generations g WHERE g.user_id = u.id AND g.finished_at >= ?1)
     ORDER BY u.id`,
  )
    .bind(since)
    .all<ChangedUser>();
  return results;
}

async function finishedGenerations(env: Env, users: ChangedUser[], since: number): Promise<Map<string, FinishedGeneration[]>> {
  const placeholders = users.map((_, i) => `?${i + 2}`).join(", ");
  const { results } = await env.DB.prepare(
    `SELECT id, user_id AS userId, completed, charged, refunded FROM generations
     WHERE finished_at >= ?1 AND user_id IN (${placeholders})`,
  )
    .bind(since, ...users.map((u) => u.userId))
    .all<FinishedGeneration>();
  const byUser = new Map<string, FinishedGeneration[]>();
  for (const g of results) byUser.set(g.userId, [...(byUser.get(g.userId) ?? []), g]);
  return byUser;
}

async function liveGenerations(env: Env, ids: string[]): Promise<Map<string, LiveGeneration>> {
  const found = new Map<string, LiveGeneration>();
  for (const chunk of chunked(ids, IN_LIST_MAX)) {
    const { results } = await env.DB.prepare(`SELECT id, status, charged FROM generations WHERE id IN (${chunk.map(() => "?").join(", ")})`)
      .bind(...chunk)
      .all<LiveGeneration>();
    for (const g of results) found.set(g.id, g);
  }
  return found;
}

async function checkUser(env: Env, user: ChangedUser, finished: FinishedGeneration[], now: number): Promise<Drift[]> {
  const { userId } = user;
  const view = await accountOf(env, userId).reconcileView(finished.map((g) => g.id));
  const { audit } = view;
  const drift: Drift[] = [];
  const report = (kind: DriftKind, expected: Drift["expected"], actual: Drift["actual"], subject?: string) => drift.push({ userId, kind, expected, actual, ...(subject ? { subject } : {}) });

  if (audit.userId !== null && audit.userId !== userId) report("unbound_account", userId, audit.userId);
  if (audit.balance !== audit.entrySum) report("entries_mismatch", audit.entrySum, audit.balance);
  if (!audit.projectionPending) {
    if (user.balance === null) {
      if (audit.userId !== null) report("projection_missing", `${audit.balance}/${audit.held}`, null);
    } else if (user.balance !== audit.balance || user.held !== audit.held) {
      report("projection_mismatch", `${audit.balance}/${audit.held}`, `${user.balance}/${user.held}`);
    }
  }

  for (const g of finished) drift.push(...checkFinished(userId, g, view.holds[g.id] ?? null));

  const generationHolds = view.openHolds.filter((h) => h.reference === `generation:${h.id}`);
  const live = await liveGenerations(
    env,
    generationHolds.map((h) => h.id),
  );
  for (const hold of generationHolds) {
    const g = live.get(hold.id);
    // A hold within its first check window may still be waiting for its submit's rows.
    if (!g && Date.parse(hold.expiresAt) < now) report("orphan_hold", null, hold.amount, hold.id);
    else if (g && g.charged !== null) report("hold_unsettled", "settled", "open", hold.id);
  }
  return drift;
}

/** A finished generation against its hold: the same items, the same capture, the same release. */
function checkFinished(userId: string, g: FinishedGeneration, hold: Hold | null): Drift[] {
  const drift: Drift[] = [];
  if (!hold) return [{ userId, kind: "hold_missing", expected: g.id, actual: null, subject: g.id }];
  if (hold.status === "open") return [{ userId, kind: "hold_unsettled", expected: "settled", actual: "open", subject: g.id }];
  const holdItems = hold.status === "settled" ? hold.completedItems : 0;
  if (holdItems !== g.completed) drift.push({ userId, kind: "items_mismatch", expected: g.completed, actual: holdItems, subject: g.id });
  if (g.charged !== hold.captured) drift.push({ userId, kind: "charge_mismatch", expected: hold.captured, actual: g.charged, subject: g.id });
  if (g.refunded !== hold.released) drift.push({ userId, kind: "refund_mismatch", expected: hold.released, actual: g.refunded, subject: g.id });
  return drift;
}
