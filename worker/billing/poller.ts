/**
 * The cron's side of payments: the callback may never come, so pending orders older than a
 * few minutes are checked with the gateway and go through the same path as a callback;
 * orders nobody paid long after their invoice expired become expired. One order's failure
 * is logged and counted, and the run goes on.
 */
import { and, asc, eq, isNull, lte, or } from "drizzle-orm";
import { db } from "../db/client";
import { orders } from "../db/billing";
import { log } from "../core/log";
import { INVOICE_EXPIRY_MINUTES } from "./checkout";
import { applyConfirmation } from "./fulfil";
import type { PaymentGateway } from "./gateway";
import { moveOrder } from "./orders";
import { recordOrder } from "../analytics/events";

/** A callback usually arrives within seconds; after this the poller asks. */
export const POLL_AFTER_MS = 3 * 60_000;
/** An order is checked again at most this often. */
export const RECHECK_MS = 2 * 60_000;
/** Well past the invoice's own expiry: a still-pending order is expired (a late payment is still honoured). */
export const EXPIRE_AFTER_MS = 2 * INVOICE_EXPIRY_MINUTES * 60_000;
const BATCH = 50;

export interface PollReport {
  checked: number;
  paid: number;
  failed: number;
  expired: number;
  errors: number;
}

export async function pollOrders(env: Env, gateway: PaymentGateway, now = Date.now()): Promise<PollReport> {
  const database = db(env.DB);
  const due = await database
    .select()
    .from(orders)
    .where(and(eq(orders.status, "pending"), lte(orders.createdAt, now - POLL_AFTER_MS), or(isNull(orders.checkedAt), lte(orders.checkedAt, now - RECHECK_MS))))
    .orderBy(asc(orders.createdAt))
    .limit(BATCH);
  const report: PollReport = { checked: 0, paid: 0, failed: 0, expired: 0, errors: 0 };
  for (const order of due) {
    try {
      await database.update(orders).set({ checkedAt: now }).where(eq(orders.id, order.id));
      // No invoice was ever made (its checkout died mid-way): nothing can be paid.
      const state = order.reference === null ? "pending" : (await gateway.checkStatus(order.id, null)).state;
      report.checked += 1;
      if (state === "pending") {
        const expired = order.createdAt <= now - EXPIRE_AFTER_MS ? await moveOrder(database, order.id, ["pending"], "expired", { error: "Not paid before the invoice expired" }) : null;
        if (expired) {
          report.expired += 1;
          log("info", "billing.order_expired", { orderId: order.id });
          recordOrder(env, expired);
        }
        continue;
      }
      const updated = await applyConfirmation(env, order, { state, source: "poll" });
      if (updated.status === "paid") report.paid += 1;
      else if (updated.status === "failed") report.failed += 1;
    } catch (e) {
      report.errors += 1;
      log("error", "billing.poll_failed", { orderId: order.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return report;
}
