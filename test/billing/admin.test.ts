import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../../worker/db/client";
import { sandboxPayments } from "../../worker/db/billing";
import { auditLog } from "../../worker/db/schema";
import { api, register } from "../support/client";
import { buy, orderRow, purchasesOf } from "./harness";

async function admin() {
  const client = await register();
  await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(client.userId).run();
  return client;
}

describe("admin orders", () => {
  it("are for admins only: everyone else gets 403 before any lookup", async () => {
    const user = await register();
    const { order } = await buy(user);
    expect((await api("/api/admin/orders", { token: user.token })).status).toBe(403);
    expect((await api(`/api/admin/orders/${order.id}/check`, { method: "POST", token: user.token })).status).toBe(403);
    expect((await orderRow(order.id))!.status).toBe("pending");
  });

  it("lists orders by status and re-checks one with the gateway, crediting it once", async () => {
    const operator = await admin();
    const payer = await register();
    const { order } = await buy(payer);
    // Paid on the gateway's page; its notification never arrived.
    await db(env.DB).insert(sandboxPayments).values({ reference: order.reference!, orderId: order.id, resultCode: "00", decidedAt: Date.now() });

    const pending = await (await api("/api/admin/orders?status=pending&limit=100", { token: operator.token })).json<{ items: Array<{ id: string; status: string; user: unknown }> }>();
    expect(pending.items.map((o) => o.id)).toContain(order.id);
    expect(pending.items.every((o) => o.status === "pending")).toBe(true);
    // Each order names who placed it (one lookup for the page).
    expect(pending.items.find((o) => o.id === order.id)!.user).toEqual({ id: payer.userId, email: payer.email, name: expect.any(String) });

    for (let i = 0; i < 2; i++) {
      const res = await api(`/api/admin/orders/${order.id}/check`, { method: "POST", token: operator.token });
      expect(res.status).toBe(200);
      expect((await res.json<{ order: { status: string } }>()).order.status).toBe("paid");
    }
    expect(await purchasesOf(payer.userId)).toHaveLength(1);
    const audits = await db(env.DB).select().from(auditLog).where(eq(auditLog.targetId, order.id));
    expect(audits.map((a) => [a.action, a.actorId, JSON.parse(a.details)])).toEqual([
      ["admin.order_check", operator.userId, { before: "pending", after: "paid" }],
      ["admin.order_check", operator.userId, { before: "paid", after: "paid" }],
    ]);
    expect((await api("/api/admin/orders/no-such-order/check", { method: "POST", token: operator.token })).status).toBe(404);
    expect((await api("/api/admin/orders?status=refunded", { token: operator.token })).status).toBe(400);
    expect((await api("/api/admin/orders?limit=101", { token: operator.token })).status).toBe(400);
  });

  it("pages through every order at the largest page, each with its user, none twice", async () => {
    const operator = await admin();
    const buyers = await Promise.all(Array.from({ length: 3 }, () => register()));
    // 101 orders: one more than the largest page.
    const placed = new Set<string>();
    for (let i = 0; i < 101; i++) placed.add((await buy(buyers[i % 3]!)).order.id);
    const seen: Array<{ id: string; user: { id: string } | null }> = [];
    let cursor: string | null = null;
    do {
      const res = await api(`/api/admin/orders?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { token: operator.token });
      expect(res.status).toBe(200);
      const body = await res.json<{ items: Array<{ id: string; user: { id: string } | null }>; nextCursor: string | null }>();
      expect(body.items.length).toBeLessThanOrEqual(100);
      seen.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen.filter((o) => placed.has(o.id))).toHaveLength(101);
    expect(new Set(seen.map((o) => o.id)).size).toBe(seen.length);
    const owners = new Set(buyers.map((b) => b.userId));
    expect(seen.filter((o) => placed.has(o.id)).every((o) => o.user && owners.has(o.user.id))).toBe(true);
  });
});
