/**
 * Reconciliation, the bank check across the boundary: for every user whose Account object
 * changed (or whose generations finished) since the last run, the object agrees with its
 * own entries and with the D1 projection, every finished generation's `charged` and
 * `refunded` are exactly its hold's capture and release for the items it completed, and
 * no hold is open without a generation that can still use it, and every paid order has
 * exactly one purchase entry of its credits (and no purchase entry lacks a paid order). Drift is reported, kept in
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
  | "orphan_hold"
  | "purchase_missing"
  | "purchase_duplicated"
  | "purchase_amount_mismatch"
  | "purchase_without_order";

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
    const paid = await paidOrders(env, page);
    for (const user of page) {
      drift.push(...(await checkUser(env, user, finished.get(user.userId) ?? [], paid.get(user.userId) ?? [], now)));
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
        OR EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.paid_at >= ?1)
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

interface PaidOrder {
  id: string;
  userId: string;
  credits: number;
}

/** Every paid order that grants credits, of these users (a plan order grants a period, not credits). */
async function paidOrders(env: Env, users: ChangedUser[]): Promise<Map<string, PaidOrder[]>> {
  const { results } = await env.DB.prepare(`SELECT id, user_id AS userId, credits FROM orders WHERE status = 'paid' AND credits > 0 AND user_id IN (${users.map((_, i) => `?${i + 1}`).join(", ")})`)
    .bind(...users.map((u) => u.userId))
    .all<PaidOrder>();
  const byUser = new Map<string, PaidOrder[]>();
  for (const o of results) byUser.set(o.userId, [...(byUser.get(o.userId) ?? []), o]);
  return byUser;
}

/** Every paid order has exactly one purchase entry of its credits, and every purchase entry a paid order. */
function checkPurchases(userId: string, paid: PaidOrder[], purchases: Array<{ reference: string | null; amount: number }>): Drift[] {
  const drift: Drift[] = [];
  const byReference = new Map<string, number[]>();
  for (const p of purchases) byReference.set(p.reference ?? "", [...(byReference.get(p.reference ?? "") ?? []), p.amount]);
  for (const order of paid) {
    const reference = `order:${order.id}`;
    const amounts = byReference.get(reference) ?? [];
    byReference.delete(reference);
    if (amounts.length === 0) drift.push({ userId, kind: "purchase_missing", expected: order.credits, actual: null, subject: order.id });
    else if (amounts.length > 1) drift.push({ userId, kind: "purchase_duplicated", expected: 1, actual: amounts.length, subject: order.id });
    else if (amounts[0] !== order.credits) drift.push({ userId, kind: "purchase_amount_mismatch", expected: order.credits, actual: amounts[0]!, subject: order.id });
  }
  for (const [reference, amounts] of byReference) {
    drift.push({ userId, kind: "purchase_without_order", expected: null, actual: amounts.reduce((a, b) => a + b, 0), subject: reference || "(no reference)" });
  }
  return drift;
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

async function checkUser(env: Env, user: ChangedUser, finished: FinishedGeneration[], paid: PaidOrder[], now: number): Promise<Drift[]> {
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
  drift.push(...checkPurchases(userId, paid, view.purchases));

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
