/** An operator's "check this order with the gateway now": the poller's path, for one order. */
import { ProviderError } from "../ai/errors";
import { ApiError, notFound } from "../core/errors";
import { log } from "../core/log";
import type { Db } from "../db/client";
import { applyConfirmation } from "./fulfil";
import type { PaymentGateway, PaymentState } from "./gateway";
import { findOrder, type OrderRow } from "./orders";

export async function recheckOrder(env: Env, database: Db, gateway: PaymentGateway, id: string, requestId: string): Promise<{ before: OrderRow; after: OrderRow }> {
  const order = await findOrder(database, id);
  if (!order) throw notFound("Order");
  // No invoice was made (its checkout failed): there is nothing the gateway could know.
  if (order.reference === null) return { before: order, after: order };
  let state: PaymentState;
  try {
    state = (await gateway.checkStatus(order.id, null)).state;
  } catch (e) {
    log("error", "billing.recheck_failed", { requestId, orderId: id, error: e instanceof Error ? e.message : String(e) });
    throw new ApiError(
      "SERVICE_UNAVAILABLE",
      e instanceof ProviderError && e.retryable ? "The payment gateway is not answering; try again in a moment" : "The payment gateway could not say how this order stands",
    );
  }
  return { before: order, after: await applyConfirmation(env, order, { state, source: "admin", requestId }) };
}
