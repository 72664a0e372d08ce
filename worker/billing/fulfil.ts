/**
 * The one path from "the gateway says this order is paid / failed" to its effect, shared by
 * the callback and the poller. A paid order first grants what it bought through the
 * Account object under the order's own id (a repeat is a replay, never a second grant),
 * then moves to paid by a conditional update: of any number of racing confirmations one
 * moves the row and all of them see one purchase entry.
 */
import { accountOf } from "../account/client";
import { recordOrder } from "../analytics/events";
import { db } from "../db/client";
import { log } from "../core/log";
import { PlanTerms } from "./catalog";
import type { PaymentState } from "./gateway";
import { findOrder, moveOrder, type OrderRow } from "./orders";

export interface Confirmation {
  state: PaymentState;
  paymentMethod?: string | null;
  /** "callback" or "poll", for the log. */
  source: string;
  requestId?: string;
}

/** The idempotency key of everything an order grants. */
export const orderKey = (orderId: string) => `order:${orderId}`;

async function grant(env: Env, order: OrderRow): Promise<void> {
  const account = accountOf(env, order.userId);
  if (order.kind === "plan") {
    const terms = PlanTerms.parse(JSON.parse(order.planTerms ?? "null"));
    const result = await account.applyPlan({ idempotencyKey: orderKey(order.id), planId: order.planId!, ...terms });
    if (!result.ok) throw new Error(`plan for order ${order.id} was refused: ${result.message}`);
    return;
  }
  const result = await account.credit({
    idempotencyKey: orderKey(order.id),
    amount: order.credits,
    kind: "purchase",
    reference: { type: "order", id: order.id },
    description: `${order.itemName}: ${order.credits} credits`,
  });
  if (!result.ok) throw new Error(`credit for order ${order.id} was refused: ${result.reason}`);
}

/** Applies a confirmed state to an order; returns the order as it now stands. */
export async function applyConfirmation(env: Env, order: OrderRow, confirmation: Confirmation): Promise<OrderRow> {
  const database = db(env.DB);
  const fields = { requestId: confirmation.requestId, orderId: order.id, source: confirmation.source };
  const method = confirmation.paymentMethod ? { paymentMethod: confirmation.paymentMethod } : {};
  switch (confirmation.state) {
    case "paid": {
      await grant(env, order);
      const moved = await moveOrder(database, order.id, ["pending"], "paid", { error: null, ...method });
      if (moved) {
        log("info", "billing.order_paid", fields);
        recordOrder(env, moved);
        return moved;
      }
      // People do pay late: a failed or expired order that is confirmed paid is honoured.
      const late = await moveOrder(database, order.id, ["failed", "expired"], "paid", { error: null, ...method });
      if (late) {
        log("warn", "billing.late_payment_honoured", { ...fields, was: order.status });
        recordOrder(env, late);
        return late;
      }
      break;
    }
    case "failed": {
      const moved = await moveOrder(database, order.id, ["pending"], "failed", { error: "The payment failed or was cancelled", ...method });
      if (moved) {
        log("info", "billing.order_failed", fields);
        recordOrder(env, moved);
        return moved;
      }
      break;
    }
    case "pending":
      break;
  }
  return (await findOrder(database, order.id)) ?? order;
}
