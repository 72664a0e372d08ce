/**
 * /sandbox/pay/:reference — the sandbox gateway's payment page (development and test only).
 * It shows the order with Pay and Fail; either records the choice (the sandbox's status
 * check answers from it), sends the callback Duitku would send — the same form-encoded
 * fields, signed the same way — through the callback handler, and returns the browser
 * to /credits?order=:id.
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { html } from "hono/html";
import { loadConfig, type Config } from "../config/config";
import { db } from "../db/client";
import { orders, sandboxPayments } from "../db/billing";
import type { AppEnv } from "../http/context";
import { ApiError } from "../core/errors";
import { limitBody } from "../http/guards";
import { log } from "../core/log";
import { receiveCallback } from "./callback";
import { RESULT_FAILED, RESULT_PAID } from "./gateway";
import type { OrderRow } from "./orders";
import { merchantKeys, publicBase } from "./select";
import { createSandboxGateway } from "./sandbox";
import { callbackSignature } from "./signature";

const REFERENCE = /^SBX[0-9A-F]{24}$/;

/** Duitku's callback fields for an order, signed with md5(merchantCode + amount + merchantOrderId + apiKey). */
export async function sandboxCallbackForm(config: Config, order: OrderRow, resultCode: string): Promise<URLSearchParams> {
  const { merchantCode, apiKey } = merchantKeys(config);
  const amount = String(order.amount);
  return new URLSearchParams({
    merchantCode,
    amount,
    merchantOrderId: order.id,
    productDetail: order.itemName,
    additionalParam: "",
    paymentCode: "SB",
    resultCode,
    merchantUserId: order.userId,
    reference: order.reference ?? "",
    signature: await callbackSignature(merchantCode, amount, order.id, apiKey),
    publisherOrderId: `SBXP${order.id.replace(/-/g, "").slice(0, 16).toUpperCase()}`,
    spUserHash: "",
    settlementDate: resultCode === RESULT_PAID ? new Date().toISOString().slice(0, 10) : "",
    issuerCode: "",
  });
}

const rupiah = (amount: number) => new Intl.NumberFormat("id-ID", { style: "currency", currency: "IDR", maximumFractionDigits: 0 }).format(amount);

const page = (title: string, body: ReturnType<typeof html>) => html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} · Sandbox payment</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; background: #f4f2ee; color: #1d1b18; margin: 0; display: grid; place-items: center; min-height: 100vh; }
      main { background: #fff; border-radius: 14px; box-shadow: 0 6px 30px #0001; padding: 2rem; width: min(26rem, calc(100vw - 2rem)); box-sizing: border-box; }
      .tag { display: inline-block; font-size: .75rem; letter-spacing: .06em; text-transform: uppercase; background: #fde9c8; color: #7a4a00; border-radius: 99px; padding: .15rem .6rem; }
      h1 { font-size: 1.35rem; margin: .8rem 0 .2rem; }
      dl { display: grid; grid-template-columns: auto 1fr; gap: .35rem 1rem; margin: 1.2rem 0; }
      dt { color: #6b655c; } dd { margin: 0; min-width: 0; text-align: right; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
      .amount { font-size: 1.6rem; font-weight: 650; }
      .actions { display: flex; gap: .75rem; }
      button { flex: 1; font: inherit; font-weight: 600; border: 0; border-radius: 10px; padding: .8rem; cursor: pointer; }
      .pay { background: #1f7a4d; color: #fff; } .fail { background: #efe9e1; color: #8a2a1b; }
      p.note { color: #6b655c; font-size: .85rem; margin-top: 1.2rem; }
    </style>
  </head>
  <body>
    <main>${body}</main>
  </body>
</html>`;

function sandboxConfig(env: Env): Config {
  const result = loadConfig(env);
  // Production refuses the sandbox in loadConfig; with duitku configured the page does not exist.
  if (!result.ok || result.config.PAYMENT_GATEWAY !== "sandbox") throw new ApiError("NOT_FOUND", "No sandbox payments here");
  return result.config;
}

async function orderByReference(env: Env, reference: string): Promise<OrderRow> {
  const order = REFERENCE.test(reference) ? await db(env.DB).select().from(orders).where(eq(orders.reference, reference)).get() : undefined;
  if (!order) throw new ApiError("NOT_FOUND", "No payment with this reference");
  return order;
}

export const sandboxRoutes = new Hono<AppEnv>()
  .get("/pay/:reference", async (c) => {
    sandboxConfig(c.env);
    const order = await orderByReference(c.env, c.req.param("reference"));
    const open = order.status !== "paid";
    return c.html(
      page(
        order.itemName,
        html`<span class="tag">Sandbox · no real money</span>
          <h1>${order.itemName}</h1>
          <p class="amount">${rupiah(order.amount)}</p>
          <dl>
            <dt>Order</dt>
            <dd>${order.id.slice(0, 8)}</dd>
            <dt>Reference</dt>
            <dd>${order.reference}</dd>
            ${order.credits > 0 ? html`<dt>Credits</dt><dd>${order.credits}</dd>` : ""}
            <dt>Status</dt>
            <dd>${order.status}</dd>
          </dl>
          ${
            open
              ? html`<form method="post" class="actions">
                <button class="pay" name="decision" value="pay">Pay</button>
                <button class="fail" name="decision" value="fail">Fail</button>
              </form>`
              : html`<p><a href="/credits?order=${order.id}">Back to your order</a></p>`
          }
          <p class="note">This page plays the payment gateway: Pay and Fail send the notification Duitku would send.</p>`,
      ),
    );
  })
  .post("/pay/:reference", limitBody(4096), async (c) => {
    const config = sandboxConfig(c.env);
    const order = await orderByReference(c.env, c.req.param("reference"));
    const decision = (await c.req.parseBody()).decision;
    if (decision !== "pay" && decision !== "fail") throw new ApiError("VALIDATION_ERROR", "Choose Pay or Fail");
    const resultCode = decision === "pay" ? RESULT_PAID : RESULT_FAILED;
    await db(c.env.DB)
      .insert(sandboxPayments)
      .values({ reference: order.reference!, orderId: order.id, resultCode, decidedAt: Date.now() })
      .onConflictDoUpdate({ target: sandboxPayments.reference, set: { resultCode, decidedAt: Date.now() } });
    const base = publicBase(config, c.req.url);
    const notification = new Request(`${base}/api/billing/callback`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: (await sandboxCallbackForm(config, order, resultCode)).toString(),
    });
    try {
      await receiveCallback(c.env, config, createSandboxGateway(c.env), notification, c.var.requestId);
    } catch (e) {
      // The choice is recorded: the cron's status check picks it up, as with a lost callback.
      log("warn", "billing.sandbox_callback_failed", { requestId: c.var.requestId, orderId: order.id, error: e instanceof Error ? e.message : String(e) });
    }
    return c.redirect(`/credits?order=${order.id}`, 303);
  });
