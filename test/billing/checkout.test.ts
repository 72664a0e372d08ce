import { env } from "cloudflare:test";
import { count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "../../worker/db/client";
import { orders } from "../../worker/db/billing";
import { api, errorOf, expectErrorShape, register } from "../support/client";
import { fetchWith, newKey } from "../support/generations";
import { fakeDuitku } from "./fake-duitku";
import { API_KEY, buy, MERCHANT, orderRow, POPULAR, postCheckout, purchasesOf, STARTER } from "./harness";

const ordersOf = async (userId: string) => (await db(env.DB).select({ n: count() }).from(orders).where(eq(orders.userId, userId)).get())!.n;

afterEach(() => vi.restoreAllMocks());

describe("the catalog", () => {
  it("lists three packages with bonus credits and two 30-day plans, priced in rupiah", async () => {
    const ada = await register();
    const packages = await (await api("/api/billing/packages", { token: ada.token })).json<{
      packages: Array<{ id: string; credits: number; bonusCredits: number; price: number; currency: string }>;
    }>();
    expect(packages.packages.map((p) => p.id)).toEqual(["starter", "popular", "studio"]);
    expect(packages.packages.every((p) => p.currency === "IDR" && Number.isInteger(p.price))).toBe(true);
    expect(packages.packages.filter((p) => p.bonusCredits > 0).map((p) => p.id)).toEqual(["popular", "studio"]);
    const plans = await (await api("/api/billing/plans", { token: ada.token })).json<{
      plans: Array<{ id: string; tier: string; periodDays: number; unlimited: boolean; dailyPoseQuota: number | null }>;
    }>();
    expect(plans.plans).toEqual([
      expect.objectContaining({ id: "pro-monthly", tier: "pro", periodDays: 30, unlimited: false, dailyPoseQuota: 25 }),
      expect.objectContaining({ id: "enterprise-monthly", tier: "enterprise", periodDays: 30, unlimited: true, dailyPoseQuota: null }),
    ]);
    expect((await api("/api/billing/packages")).status).toBe(401);
  });
});

describe("POST /api/billing/checkout", () => {
  it("opens one pending order with the catalog's amount and a payment page on this origin", async () => {
    const ada = await register();
    const { order, paymentUrl } = await buy(ada, POPULAR.id);
    expect(order).toMatchObject({ kind: "package", packageId: "popular", planId: null, credits: POPULAR.credits, amount: POPULAR.price, currency: "IDR", status: "pending", paidAt: null });
    expect(paymentUrl).toMatch(/^https:\/\/lumiku\.test\/sandbox\/pay\/SBX[0-9A-F]{24}$/);
    expect(paymentUrl.endsWith(order.reference!)).toBe(true);
  });

  it("builds the payment, callback and return URLs from PUBLIC_URL when it is set", async () => {
    const ada = await register();
    const res = await fetchWith({ PUBLIC_URL: "https://studio.example.com/" }, "/api/billing/checkout", {
      method: "POST",
      token: ada.token,
      json: { packageId: "starter" },
      headers: { "Idempotency-Key": newKey() },
    });
    expect(res.status).toBe(201);
    expect((await res.json<{ paymentUrl: string }>()).paymentUrl).toMatch(/^https:\/\/studio\.example\.com\/sandbox\/pay\//);
  });

  it("answers a replay with the same order, and the same key with another body with 409", async () => {
    const ada = await register();
    const key = newKey();
    const first = await postCheckout(ada, { packageId: "starter" }, key);
    const again = await postCheckout(ada, { packageId: "starter" }, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    const [a, b] = [await first.json<{ order: { id: string }; paymentUrl: string }>(), await again.json<{ order: { id: string }; paymentUrl: string }>()];
    expect(b).toEqual(a);
    const other = await postCheckout(ada, { packageId: "studio" }, key);
    expect(other.status).toBe(409);
    await expectErrorShape(other, "CONFLICT");
    expect(await orderRow(a.order.id)).toMatchObject({ packageId: "starter", amount: STARTER.price });
    expect(await ordersOf(ada.userId)).toBe(1);
  });

  it("makes one order of ten concurrent checkouts with one key", async () => {
    const ada = await register();
    const key = newKey();
    const answers = await Promise.all(Array.from({ length: 10 }, () => postCheckout(ada, { planId: "pro-monthly" }, key)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses).toContain(201);
    const ids = new Set(await Promise.all(answers.filter((r) => r.status === 201).map(async (r) => (await r.json<{ order: { id: string } }>()).order.id)));
    expect(ids.size).toBe(1);
    expect(await ordersOf(ada.userId)).toBe(1);
    const settled = await postCheckout(ada, { planId: "pro-monthly" }, key);
    expect(settled.status).toBe(201);
    expect((await settled.json<{ order: { id: string; kind: string; credits: number } }>()).order).toMatchObject({ id: [...ids][0], kind: "plan", credits: 0 });
  });

  it.each([
    ["no Idempotency-Key", { packageId: "starter" }, null, 400],
    ["both a package and a plan", { packageId: "starter", planId: "pro-monthly" }, newKey(), 400],
    ["a client-chosen amount", { packageId: "starter", amount: 1 }, newKey(), 400],
    ["an unknown package", { packageId: "platinum" }, newKey(), 404],
    ["an unknown plan", { planId: "gold" }, newKey(), 404],
  ])("refuses %s and makes no order", async (_name, body, key, status) => {
    const ada = await register();
    const res = await api("/api/billing/checkout", { method: "POST", token: ada.token, json: body, headers: key ? { "Idempotency-Key": key } : {} });
    expect(res.status).toBe(status);
    await expectErrorShape(res);
    expect(await ordersOf(ada.userId)).toBe(0);
  });

  it("answers 503 when the gateway is down, leaves the order failed and owes nothing", async () => {
    const ada = await register();
    const fake = fakeDuitku(MERCHANT, API_KEY);
    fake.mode = "unreachable";
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    const key = newKey();
    const viaDuitku = () =>
      fetchWith({ PAYMENT_GATEWAY: "duitku", DUITKU_ENV: "sandbox" }, "/api/billing/checkout", {
        method: "POST",
        token: ada.token,
        json: { packageId: "starter" },
        headers: { "Idempotency-Key": key },
      });
    const res = await viaDuitku();
    expect(res.status).toBe(503);
    await expectErrorShape(res, "SERVICE_UNAVAILABLE");
    const { orderId } = (await errorOf(await viaDuitku())).details as { orderId: string };
    expect(await orderRow(orderId)).toMatchObject({ status: "failed", gateway: "duitku", reference: null, paymentUrl: null });
    expect(fake.calls).toHaveLength(1);
    expect(await purchasesOf(ada.userId)).toEqual([]);

    // The gateway is back: a new checkout (new key) goes through Duitku's real flow.
    fake.mode = "up";
    const ok = await fetchWith({ PAYMENT_GATEWAY: "duitku", DUITKU_ENV: "sandbox" }, "/api/billing/checkout", {
      method: "POST",
      token: ada.token,
      json: { packageId: "starter" },
      headers: { "Idempotency-Key": newKey() },
    });
    expect(ok.status).toBe(201);
    expect((await ok.json<{ paymentUrl: string }>()).paymentUrl).toMatch(/^https:\/\/app-sandbox\.duitku\.com\//);
    expect(fake.invoices[0]!.body).toMatchObject({ paymentAmount: STARTER.price, callbackUrl: "https://lumiku.test/api/billing/callback" });
  });
});

describe("GET /api/billing/orders", () => {
  it("shows each user only their own orders; another user's order is a 404", async () => {
    const ada = await register();
    const bob = await register();
    const { order } = await buy(ada);
    await buy(ada, "studio");
    await buy(bob);
    const mine = await (await api("/api/billing/orders", { token: ada.token })).json<{ items: Array<{ id: string; packageId: string }>; nextCursor: string | null }>();
    expect(mine.items.map((o) => o.packageId)).toEqual(["studio", "starter"]);
    const theirs = await api(`/api/billing/orders/${order.id}`, { token: bob.token });
    expect(theirs.status).toBe(404);
    await expectErrorShape(theirs, "NOT_FOUND");
    expect((await api(`/api/billing/orders/${order.id}`, { token: ada.token })).status).toBe(200);
    expect((await api("/api/billing/orders?limit=0", { token: ada.token })).status).toBe(400);
  });

  it("pages at the maximum of 100 per page", async () => {
    const ada = await register();
    const values = Array.from({ length: 101 }, (_, i) => ({
      id: `bulk-${ada.userId.slice(0, 8)}-${i}`,
      userId: ada.userId,
      kind: "package" as const,
      packageId: "starter",
      itemName: "Starter credit package",
      credits: 100,
      amount: 15_000,
      currency: "IDR",
      requestHash: "h",
      gateway: "sandbox",
      createdAt: 1_000 + i,
    }));
    for (let i = 0; i < values.length; i += 5)
      await db(env.DB)
        .insert(orders)
        .values(values.slice(i, i + 5));
    const first = await (await api("/api/billing/orders?limit=100", { token: ada.token })).json<{ items: unknown[]; nextCursor: string }>();
    expect(first.items).toHaveLength(100);
    const rest = await (await api(`/api/billing/orders?limit=100&cursor=${first.nextCursor}`, { token: ada.token })).json<{ items: unknown[]; nextCursor: string | null }>();
    expect(rest).toMatchObject({ items: [expect.anything()], nextCursor: null });
  });
});
