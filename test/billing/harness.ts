/** Billing test helpers: checkouts, notifications signed the way Duitku signs them, and the state they may change. */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { eq } from "drizzle-orm";
import { accountOf } from "../../worker/account/client";
import type { Entry } from "../../worker/account/types";
import { db } from "../../worker/db/client";
import { orders } from "../../worker/db/billing";
import type { OrderView } from "../../worker/billing/orders";
import { api, clientRequest, type Client } from "../support/client";
import { newKey } from "../support/generations";
import { SELF } from "cloudflare:test";

export const MERCHANT = env.DUITKU_MERCHANT_CODE;
export const API_KEY = env.DUITKU_API_KEY;

/** Starter: 100 credits for Rp 15.000 (migrations/0009_seed_billing.sql). */
export const STARTER = { id: "starter", credits: 100, price: 15_000 };
export const POPULAR = { id: "popular", credits: 550, price: 65_000 };

export async function md5Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("MD5", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function postCheckout(client: Client, body: unknown, key = newKey()): Promise<Response> {
  return api("/api/billing/checkout", { method: "POST", token: client.token, json: body, headers: { "Idempotency-Key": key } });
}

export async function buy(client: Client, packageId = STARTER.id): Promise<{ order: OrderView; paymentUrl: string }> {
  const res = await postCheckout(client, { packageId });
  expect(res.status).toBe(201);
  return res.json();
}

export interface Notification {
  merchantCode: string;
  amount: string;
  merchantOrderId: string;
  resultCode: string;
  signature: string;
  [field: string]: string;
}

/** The form Duitku posts for an order, signed md5(merchantCode + amount + merchantOrderId + apiKey). */
export async function notification(order: Pick<OrderView, "id" | "amount" | "reference">, resultCode = "00", change: Partial<Notification> = {}): Promise<Notification> {
  const merchantCode = change.merchantCode ?? MERCHANT;
  const amount = change.amount ?? String(order.amount);
  const merchantOrderId = change.merchantOrderId ?? order.id;
  return {
    merchantCode,
    amount,
    merchantOrderId,
    productDetail: "Starter credit package",
    additionalParam: "",
    paymentCode: "VC",
    resultCode,
    merchantUserId: "",
    reference: order.reference ?? "",
    publisherOrderId: "PUB123",
    spUserHash: "",
    settlementDate: "2026-12-01",
    issuerCode: "",
    signature: await md5Hex(merchantCode + amount + merchantOrderId + API_KEY),
    ...change,
  };
}

export function postCallback(form: Record<string, string> | string, contentType = "application/x-www-form-urlencoded"): Promise<Response> {
  const body = typeof form === "string" ? form : new URLSearchParams(form).toString();
  return SELF.fetch(clientRequest("/api/billing/callback", { method: "POST", body, headers: { "Content-Type": contentType } }));
}

export async function orderRow(id: string) {
  return db(env.DB).select().from(orders).where(eq(orders.id, id)).get();
}

/** Every ledger entry of the user, oldest first (straight from their Account object). */
export async function entriesOf(userId: string): Promise<Entry[]> {
  const all: Entry[] = [];
  let cursor: number | null = null;
  for (;;) {
    const page = await accountOf(env, userId).history(100, cursor);
    all.push(...page.items);
    if (page.nextCursor === null) return all.reverse();
    cursor = Number(page.nextCursor);
  }
}

export const purchasesOf = async (userId: string) => (await entriesOf(userId)).filter((e) => e.kind === "purchase");

/** What a rejected notification must leave alone: the balance, the ledger and the order row. */
export async function snapshot(client: Client, orderId: string) {
  const balance = await accountOf(env, client.userId).balance();
  return { balance: balance.balance, entries: (await entriesOf(client.userId)).length, order: await orderRow(orderId) };
}
