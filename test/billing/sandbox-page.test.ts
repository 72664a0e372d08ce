import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, BASE, register } from "../support/client";
import { fetchWith } from "../support/generations";
import { buy, orderRow, purchasesOf, STARTER } from "./harness";

const page = (reference: string, init: RequestInit = {}) => SELF.fetch(new Request(`${BASE}/sandbox/pay/${reference}`, { redirect: "manual", ...init }));
const choose = (reference: string, decision: string) =>
  page(reference, { method: "POST", body: new URLSearchParams({ decision }).toString(), headers: { "Content-Type": "application/x-www-form-urlencoded" } });

describe("the sandbox payment page", () => {
  it("shows the order with Pay and Fail", async () => {
    const ada = await register();
    const { order, paymentUrl } = await buy(ada);
    const res = await SELF.fetch(new Request(paymentUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    const text = await res.text();
    expect(text).toContain("Starter credit package");
    expect(text).toMatch(/Rp\s?15\.000/);
    expect(text).toContain('value="pay"');
    expect(text).toContain('value="fail"');
    expect(text).toContain(order.reference!);
  });

  it("Pay sends the signed callback, credits the package once and returns to the order", async () => {
    const bob = await register();
    const { order } = await buy(bob);
    const res = await choose(order.reference!, "pay");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/credits?order=${order.id}`);
    expect((await orderRow(order.id))!.status).toBe("paid");
    expect(await (await api("/api/credits/balance", { token: bob.token })).json()).toMatchObject({ balance: 100 + STARTER.credits });
    // Pressing Pay again (a double click, the back button) changes nothing.
    expect((await choose(order.reference!, "pay")).status).toBe(303);
    expect(await purchasesOf(bob.userId)).toHaveLength(1);
    expect(await (await page(order.reference!)).text()).not.toContain('value="pay"');
  });

  it("Fail marks the order failed and leaves the balance alone", async () => {
    const carol = await register();
    const { order } = await buy(carol);
    const res = await choose(order.reference!, "fail");
    expect(res.status).toBe(303);
    expect((await orderRow(order.id))!.status).toBe("failed");
    expect(await (await api("/api/credits/balance", { token: carol.token })).json()).toMatchObject({ balance: 100 });
    expect(await purchasesOf(carol.userId)).toEqual([]);
  });

  it("knows no other reference, and takes no other choice", async () => {
    const dave = await register();
    const { order } = await buy(dave);
    expect((await page("SBX000000000000000000000000")).status).toBe(404);
    expect((await page(order.reference!.toLowerCase())).status).toBe(404);
    expect((await choose(order.reference!, "refund")).status).toBe(400);
    expect((await orderRow(order.id))!.status).toBe("pending");
  });

  it("does not exist when payments go through Duitku, and production refuses the sandbox outright", async () => {
    const erin = await register();
    const { order } = await buy(erin);
    expect((await fetchWith({ PAYMENT_GATEWAY: "duitku" }, `/sandbox/pay/${order.reference}`)).status).toBe(404);
    expect((await fetchWith({ ENVIRONMENT: "production" }, `/sandbox/pay/${order.reference}`)).status).toBe(404);
    expect((await fetchWith({ ENVIRONMENT: "production" }, "/api/billing/packages", { token: erin.token })).status).toBe(503);
  });
});
