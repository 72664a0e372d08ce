/**
 * Checkout: one pending order per (user, Idempotency-Key), the amount copied from the
 * catalog at that moment, then the gateway's invoice. The order id is derived from the key,
 * so a retry lands on the same row: the same body gets the first answer again, another
 * body is a 409, and a retry while the first is still creating its invoice is a 409 too.
 * A gateway that cannot make the invoice leaves the order failed and nothing owed (503).
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Config } from "../config/config";
import { db } from "../db/client";
import { orders } from "../db/billing";
import type { AuthUser } from "../http/context";
import { ApiError, notFound } from "../core/errors";
import { idFromKey, requestHash } from "../http/idempotency";
import { log } from "../core/log";
import { activePackage, activePlan, type PlanTerms } from "./catalog";
import type { Invoice, PaymentGateway } from "./gateway";
import { moveOrder, type OrderRow } from "./orders";
import { recordOrder } from "../analytics/events";

export const CheckoutBody = z.union([z.strictObject({ packageId: z.string().min(1).max(64) }), z.strictObject({ planId: z.string().min(1).max(64) })]);
export type CheckoutBody = z.infer<typeof CheckoutBody>;

/** How long the payer has on the gateway's page; the cron expires the order a while after. */
export const INVOICE_EXPIRY_MINUTES = 60;

export interface CheckoutInput {
  env: Env;
  config: Config;
  gateway: PaymentGateway;
  user: AuthUser;
  idempotencyKey: string;
  body: CheckoutBody;
  /** Where callback, return and payment URLs point (PUBLIC_URL or the request's origin). */
  base: string;
  requestId: string;
}

const unavailable = (orderId: string) => new ApiError("SERVICE_UNAVAILABLE", "The payment gateway is not answering; nothing was charged. Try again in a moment.", { orderId }, { "Retry-After": "30" });

type NewOrder = typeof orders.$inferInsert;

async function orderFor(database: ReturnType<typeof db>, body: CheckoutBody): Promise<Omit<NewOrder, "id" | "userId" | "requestHash" | "gateway">> {
  if ("packageId" in body) {
    const p = await activePackage(database, body.packageId);
    if (!p) throw notFound(`Package ${body.packageId}`);
    return { kind: "package", packageId: p.id, itemName: `${p.name} credit package`, credits: p.credits + p.bonusCredits, amount: p.price, currency: p.currency };
  }
  const p = await activePlan(database, body.planId);
  if (!p) throw notFound(`Plan ${body.planId}`);
  const terms: PlanTerms = { name: p.name, tier: p.tier, periodDays: p.periodDays, dailyPoseQuota: p.dailyPoseQuota, unlimited: p.unlimited };
  return { kind: "plan", planId: p.id, itemName: `${p.name} plan, ${p.periodDays} days`, credits: 0, planTerms: JSON.stringify(terms), amount: p.price, currency: p.currency };
}

/** The answer a replay gets: the first request's order and payment page, or what became of it. */
function replayOf(existing: OrderRow, hash: string): { order: OrderRow; paymentUrl: string } {
  if (existing.requestHash !== hash) throw new ApiError("CONFLICT", "This Idempotency-Key was already used for another checkout");
  if (existing.paymentUrl) return { order: existing, paymentUrl: existing.paymentUrl };
  if (existing.status === "pending") throw new ApiError("CONFLICT", "The first checkout with this Idempotency-Key is still running; retry in a moment");
  throw unavailable(existing.id);
}

export async function checkout(input: CheckoutInput): Promise<{ order: OrderRow; paymentUrl: string }> {
  const { env, gateway, user, body, base } = input;
  const database = db(env.DB);
  const id = await idFromKey(user.id, "order", input.idempotencyKey);
  const hash = await requestHash(body);

  const first = await database.select().from(orders).where(eq(orders.id, id)).get();
  if (first) return replayOf(first, hash);

  const item = await orderFor(database, body);
  const [created] = await database
    .insert(orders)
    .values({ ...item, id, userId: user.id, requestHash: hash, gateway: gateway.name })
    .onConflictDoNothing()
    .returning();
  if (!created) {
    // A concurrent request with the same key inserted first.
    const winner = await database.select().from(orders).where(eq(orders.id, id)).get();
    if (!winner) throw new Error(`order ${id} vanished`);
    return replayOf(winner, hash);
  }

  let invoice: Invoice;
  try {
    invoice = await gateway.createInvoice({
      orderId: id,
      amount: created.amount,
      productDetails: created.itemName,
      email: user.email,
      customerName: user.name,
      callbackUrl: `${base}/api/billing/callback`,
      returnUrl: `${base}/credits?order=${id}`,
      expiryMinutes: INVOICE_EXPIRY_MINUTES,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log("error", "billing.invoice_failed", { requestId: input.requestId, orderId: id, gateway: gateway.name, error: message });
    const failed = await moveOrder(database, id, ["pending"], "failed", { error: "The payment gateway could not create the invoice" });
    if (failed) recordOrder(env, failed);
    throw unavailable(id);
  }
  const [ready] = await database.update(orders).set({ reference: invoice.reference, paymentUrl: invoice.paymentUrl, updatedAt: Date.now() }).where(eq(orders.id, id)).returning();
  return { order: ready!, paymentUrl: invoice.paymentUrl };
}
