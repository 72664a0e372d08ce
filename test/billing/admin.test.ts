import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../../worker/db/client";
import { sandboxPayments } from "../../worker/db/billing";
import { auditLog } from "../../worker/db/schema";
import { api, register } from "../support/client";
import { changeUser } from "../support/users";
import { buy, orderRow, purchasesOf } from "./harness";

async function admin() {
  const client = await register();
  await changeUser(client.userId, { role: "admin" });
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

    const pending = await (await api("/api/admin/orders?status=pending&limit=100", { token: operator.token })).json<{ items: Array<{ id: string; status: string }> }>();
    expect(pending.items.map((o) => o.id)).toContain(order.id);
    expect(pending.items.every((o) => o.status === "pending")).toBe(true);

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
  });
});
