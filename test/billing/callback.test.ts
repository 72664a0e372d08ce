import { describe, expect, it } from "vitest";
import { api, errorOf, expectErrorShape, register } from "../support/client";
import { buy, entriesOf, md5Hex, notification, orderRow, postCallback, purchasesOf, snapshot, STARTER, API_KEY, MERCHANT } from "./harness";

const SIGNUP = 100;

describe("POST /api/billing/callback", () => {
  it("credits a valid paid notification once: the order is paid and the balance rises by the package's credits", async () => {
    const alice = await register();
    const { order } = await buy(alice);
    expect(order).toMatchObject({ status: "pending", credits: STARTER.credits, amount: STARTER.price, currency: "IDR" });

    const res = await postCallback(await notification(order));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ orderId: order.id, status: "paid" });

    const seen = await (await api(`/api/billing/orders/${order.id}`, { token: alice.token })).json<{ order: { status: string; paidAt: string | null; paymentMethod: string } }>();
    expect(seen.order).toMatchObject({ status: "paid", paidAt: expect.any(String), paymentMethod: "VC" });
    const balance = await (await api("/api/credits/balance", { token: alice.token })).json<{ balance: number }>();
    expect(balance.balance).toBe(SIGNUP + STARTER.credits);
    const purchases = await purchasesOf(alice.userId);
    expect(purchases).toEqual([expect.objectContaining({ amount: STARTER.credits, reference: `order:${order.id}`, balanceAfter: SIGNUP + STARTER.credits })]);
  });

  it.each([
    ["a wrong signature", async (o: Parameters<typeof notification>[0]) => notification(o, "00", { signature: await md5Hex(`${MERCHANT}${o.amount}${o.id}not-the-key`) }), 401, "INVALID_SIGNATURE"],
    [
      "a signature of another order",
      async (o: Parameters<typeof notification>[0]) => notification(o, "00", { signature: await md5Hex(`${MERCHANT}${o.amount}other-order${API_KEY}`) }),
      401,
      "INVALID_SIGNATURE",
    ],
    ["a wrong merchant code (signed with it)", async (o: Parameters<typeof notification>[0]) => notification(o, "00", { merchantCode: "D9999" }), 401, "INVALID_SIGNATURE"],
    ["an amount one rupiah short (correctly signed)", async (o: Parameters<typeof notification>[0]) => notification(o, "00", { amount: String(o.amount - 1) }), 422, "UNPROCESSABLE"],
    ["an amount one rupiah over (correctly signed)", async (o: Parameters<typeof notification>[0]) => notification(o, "00", { amount: String(o.amount + 1) }), 422, "UNPROCESSABLE"],
    ["an unknown order (correctly signed)", async (o: Parameters<typeof notification>[0]) => notification(o, "00", { merchantOrderId: "00000000-0000-4000-8000-000000000000" }), 404, "NOT_FOUND"],
    ["a result code that is neither 00 nor 01", async (o: Parameters<typeof notification>[0]) => notification(o, "02"), 400, "VALIDATION_ERROR"],
    [
      "no signature",
      async (o: Parameters<typeof notification>[0]) => {
        const { signature: _, ...rest } = await notification(o);
        return rest as Awaited<ReturnType<typeof notification>>;
      },
      400,
      "VALIDATION_ERROR",
    ],
  ] as const)("rejects %s and changes nothing", async (_name, make, status, code) => {
    const bob = await register();
    const { order } = await buy(bob);
    const before = await snapshot(bob, order.id);
    const res = await postCallback(await make(order));
    expect(res.status).toBe(status);
    await expectErrorShape(res, code);
    expect(await snapshot(bob, order.id)).toEqual(before);
    expect(before.order!.status).toBe("pending");
  });

  it("rejects a repeated field, JSON and a tampered body, changing nothing", async () => {
    const carol = await register();
    const { order } = await buy(carol);
    const before = await snapshot(carol, order.id);
    const form = await notification(order);
    const twice = `${new URLSearchParams(form).toString()}&amount=1`;
    expect((await postCallback(twice)).status).toBe(400);
    expect((await postCallback(JSON.stringify(form), "application/json")).status).toBe(415);
    // Raw fields are what is signed: a leading zero is another amount string, so another signature.
    expect((await postCallback({ ...form, amount: `0${form.amount}` })).status).toBe(401);
    expect(await snapshot(carol, order.id)).toEqual(before);
  });

  it("answers 20 concurrent copies of the same notification 200 and credits once", async () => {
    const dave = await register();
    const { order } = await buy(dave);
    const form = await notification(order);
    const answers = await Promise.all(Array.from({ length: 20 }, () => postCallback(form)));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await purchasesOf(dave.userId)).toHaveLength(1);
    expect((await orderRow(order.id))!.status).toBe("paid");
    const again = await postCallback(form);
    expect(again.status).toBe(200);
    expect(await purchasesOf(dave.userId)).toHaveLength(1);
    const entries = await entriesOf(dave.userId);
    expect(entries.at(-1)!.balanceAfter).toBe(SIGNUP + STARTER.credits);
  });

  it("marks 01 failed, then honours a later valid paid (a late payment), crediting once", async () => {
    const erin = await register();
    const { order } = await buy(erin);
    const failed = await postCallback(await notification(order, "01"));
    expect(failed.status).toBe(200);
    expect(await failed.json()).toEqual({ orderId: order.id, status: "failed" });
    expect(await purchasesOf(erin.userId)).toEqual([]);
    const balance = await (await api("/api/credits/balance", { token: erin.token })).json<{ balance: number }>();
    expect(balance.balance).toBe(SIGNUP);

    const paid = await postCallback(await notification(order, "00"));
    expect(paid.status).toBe(200);
    expect(await paid.json()).toEqual({ orderId: order.id, status: "paid" });
    expect(await purchasesOf(erin.userId)).toHaveLength(1);
  });

  it("keeps a paid order paid when a failure arrives after it (out of order)", async () => {
    const frank = await register();
    const { order } = await buy(frank);
    expect((await postCallback(await notification(order, "00"))).status).toBe(200);
    const late = await postCallback(await notification(order, "01"));
    expect(late.status).toBe(200);
    expect(await late.json()).toEqual({ orderId: order.id, status: "paid" });
    expect(await purchasesOf(frank.userId)).toHaveLength(1);
  });

  it("answers concurrent paid and failed copies 200 with one purchase (paid wins whatever the order)", async () => {
    const gina = await register();
    const { order } = await buy(gina);
    const paid = await notification(order, "00");
    const failed = await notification(order, "01");
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => postCallback(i % 2 ? paid : failed)));
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect((await orderRow(order.id))!.status).toBe("paid");
    expect(await purchasesOf(gina.userId)).toHaveLength(1);
  });

  it("needs no bearer token but never trusts one: a signed-in caller is checked the same way", async () => {
    const hank = await register();
    const { order } = await buy(hank);
    const forged = await notification(order, "00", { signature: "0".repeat(32) });
    const res = await api("/api/billing/callback", {
      method: "POST",
      token: hank.token,
      body: new URLSearchParams(forged).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("INVALID_SIGNATURE");
    expect(await purchasesOf(hank.userId)).toEqual([]);
  });
});
