import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountOf } from "../../worker/account/client";
import { reconcile } from "../../worker/account/reconcile";
import type { PaymentGateway } from "../../worker/billing/gateway";
import { EXPIRE_AFTER_MS, POLL_AFTER_MS, pollOrders } from "../../worker/billing/poller";
import { createSandboxGateway } from "../../worker/billing/sandbox";
import { db } from "../../worker/db/client";
import { orders, sandboxPayments } from "../../worker/db/billing";
import { register } from "../support/client";
import { buy, notification, orderRow, postCallback, purchasesOf, STARTER } from "./harness";

/** The payer chose on the sandbox's page, but its notification never arrived. */
async function paidWithoutCallback(order: { id: string; reference: string | null }, resultCode = "00") {
  await db(env.DB).insert(sandboxPayments).values({ reference: order.reference!, orderId: order.id, resultCode, decidedAt: Date.now() });
}

const later = (ms: number) => Date.now() + ms + 1000;

describe("the order poller (cron)", () => {
  it("confirms a payment whose callback never came, once, and only after a few minutes", async () => {
    const ada = await register();
    const { order } = await buy(ada);
    await paidWithoutCallback(order);
    const gateway = createSandboxGateway(env);

    const early = await pollOrders(env, gateway, Date.now());
    expect((await orderRow(order.id))!.status).toBe("pending");
    expect(early.paid).toBe(0);

    await pollOrders(env, gateway, later(POLL_AFTER_MS));
    expect((await orderRow(order.id))!.status).toBe("paid");
    expect(await purchasesOf(ada.userId)).toEqual([expect.objectContaining({ amount: STARTER.credits })]);

    // A paid order is never polled again; a late callback is answered 200 and changes nothing.
    await pollOrders(env, gateway, later(2 * POLL_AFTER_MS));
    expect((await postCallback(await notification(order))).status).toBe(200);
    expect(await purchasesOf(ada.userId)).toHaveLength(1);
  });

  it("races the callback: one purchase entry whichever lands first", async () => {
    const bob = await register();
    const { order } = await buy(bob);
    await paidWithoutCallback(order);
    const form = await notification(order);
    const gateway = createSandboxGateway(env);
    const [polled, ...answers] = await Promise.all([pollOrders(env, gateway, later(POLL_AFTER_MS)), ...Array.from({ length: 5 }, () => postCallback(form))]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(polled.errors).toBe(0);
    expect(await purchasesOf(bob.userId)).toHaveLength(1);
    expect((await orderRow(order.id))!.status).toBe("paid");
  });

  it("marks a payment the gateway reports failed, and expires an order nobody paid", async () => {
    const carol = await register();
    const failed = (await buy(carol)).order;
    const unpaid = (await buy(carol, "studio")).order;
    await paidWithoutCallback(failed, "01");
    const gateway = createSandboxGateway(env);
    await pollOrders(env, gateway, later(POLL_AFTER_MS));
    expect((await orderRow(failed.id))!.status).toBe("failed");
    expect((await orderRow(unpaid.id))!.status).toBe("pending");

    const report = await pollOrders(env, gateway, later(EXPIRE_AFTER_MS));
    expect(report.expired).toBeGreaterThanOrEqual(1);
    expect((await orderRow(unpaid.id))!.status).toBe("expired");
    expect(await purchasesOf(carol.userId)).toEqual([]);

    // People do pay late: a valid paid notification for the expired order is honoured.
    const late = await postCallback(await notification(unpaid));
    expect(await late.json()).toEqual({ orderId: unpaid.id, status: "paid" });
    expect(await purchasesOf(carol.userId)).toEqual([expect.objectContaining({ amount: 1800, reference: `order:${unpaid.id}` })]);
  });

  it("goes on past an order whose check fails, and counts it", async () => {
    const dave = await register();
    const broken = (await buy(dave)).order;
    const fine = (await buy(dave, "popular")).order;
    await paidWithoutCallback(fine);
    const sandbox = createSandboxGateway(env);
    const flaky: PaymentGateway = {
      name: "sandbox",
      createInvoice: (r) => sandbox.createInvoice(r),
      checkStatus: async (id, claimed) => {
        if (id === broken.id) throw new Error("gateway hiccup");
        return sandbox.checkStatus(id, claimed);
      },
    };
    // Both orders were made in this test; anything older is another test's and is left as it is.
    await db(env.DB)
      .update(orders)
      .set({ createdAt: Date.now() - POLL_AFTER_MS - 5000 })
      .where(eq(orders.userId, dave.userId));
    const report = await pollOrders(env, flaky, Date.now());
    expect(report.errors).toBe(1);
    expect((await orderRow(fine.id))!.status).toBe("paid");
    expect((await orderRow(broken.id))!.status).toBe("pending");
  });
});

describe("reconciliation of orders", () => {
  it("finds every paid order with exactly one purchase entry of its credits, and reports what is not", async () => {
    const healthy = await register();
    const { order } = await buy(healthy);
    await postCallback(await notification(order));

    const unpaidCredit = await register();
    const stray = (await buy(unpaidCredit)).order;
    await accountOf(env, unpaidCredit.userId).credit({
      idempotencyKey: `order:${stray.id}`,
      amount: 100,
      kind: "purchase",
      reference: { type: "order", id: stray.id },
      description: "credited, never paid",
    });

    const paidNoCredit = await register();
    const lost = (await buy(paidNoCredit)).order;
    await db(env.DB).update(orders).set({ status: "paid", paidAt: Date.now() }).where(eq(orders.id, lost.id));

    const report = await reconcile(env);
    const about = (userId: string) => report.drift.filter((d) => d.userId === userId && d.kind.startsWith("purchase"));
    expect(about(healthy.userId)).toEqual([]);
    expect(about(unpaidCredit.userId)).toEqual([{ userId: unpaidCredit.userId, kind: "purchase_without_order", expected: null, actual: 100, subject: `order:${stray.id}` }]);
    expect(about(paidNoCredit.userId)).toEqual([{ userId: paidNoCredit.userId, kind: "purchase_missing", expected: 100, actual: null, subject: lost.id }]);
  });
});
