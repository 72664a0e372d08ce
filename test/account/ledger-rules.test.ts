/** Business rules of the ledger: unlimited users, daily quota, rate limit, adjustments and refunds. */
import { afterEach, describe, expect, it } from "vitest";
import { jakartaDay } from "../../worker/account/ledger";
import { cancelAlarms, expectBankInvariants, freshAccount, fundedAccount, generation, reserveInput, snapshot } from "../support/account";

afterEach(() => cancelAlarms());

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString();
/** Quota days are Jakarta's (UTC+7): from 17:00 UTC on, that is already tomorrow in UTC terms. */
const today = () => jakartaDay(Date.now());

describe("unlimited users", () => {
  it("reserve nothing, and settle records a zero-amount usage entry", async () => {
    const account = freshAccount(); // no credits at all
    const reserved = await account.reserve(reserveInput("g1", { unlimited: true, unitCost: 25 }));
    expect(reserved).toMatchObject({ ok: true, hold: { amount: 0, freeItems: 4, items: 4 } });
    expect(await account.balance()).toMatchObject({ balance: 0, held: 0, available: 0 });

    expect(await account.settle("g1", 3)).toMatchObject({ ok: true, hold: { status: "settled", captured: 0, released: 0 } });
    const s = await snapshot(account);
    expectBankInvariants(s);
    expect(s.balance).toBe(0);
    expect(s.entries.map((e) => [e.kind, e.amount, e.reference])).toEqual([["usage", 0, "generation:g1"]]);
  });

  it("leave their paid credits untouched", async () => {
    const account = await fundedAccount(50);
    await account.reserve(reserveInput("g1", { unlimited: true, items: 10, unitCost: 100 }));
    await account.settle("g1", 10);
    const s = await snapshot(account);
    expectBankInvariants(s);
    expect(s.balance).toBe(50);
    expect(s.entries.filter((e) => e.kind === "capture")).toHaveLength(0);
    expect(s.entries.filter((e) => e.kind === "usage")).toHaveLength(1);
  });
});

describe("daily quota", () => {
  it("covers N items per UTC day before charging credits", async () => {
    const account = await fundedAccount(100);
    expect(await account.setDailyQuota({ idempotencyKey: "q1", limit: 3, expiresAt: tomorrow() })).toEqual({ ok: true });

    const first = await account.reserve(reserveInput("g1", { items: 2, quotaEligible: true }));
    expect(first).toMatchObject({ ok: true, hold: { freeItems: 2, amount: 0 } });
    const second = await account.reserve(reserveInput("g2", { items: 3, quotaEligible: true }));
    expect(second).toMatchObject({ ok: true, hold: { freeItems: 1, amount: 20 } });
    const third = await account.reserve(reserveInput("g3", { items: 1, quotaEligible: true }));
    expect(third).toMatchObject({ ok: true, hold: { freeItems: 0, amount: 10 } });
    expect(await account.balance()).toMatchObject({ balance: 100, held: 30, dailyQuota: { limit: 3, used: 3 } });

    await account.settle("g1", 2);
    await account.settle("g2", 3);
    await account.settle("g3", 1);
    const s = await snapshot(account);
    expectBankInvariants(s);
    expect(s.balance).toBe(70);
    expect(s.entries.filter((e) => e.kind === "usage").map((e) => e.amount)).toEqual([0, 0]);
  });

  it("ignores the quota for items that are not eligible and once it has expired", async () => {
    const account = await fundedAccount(100);
    await account.setDailyQuota({ idempotencyKey: "q1", limit: 5, expiresAt: tomorrow() });
    expect(await account.reserve(reserveInput("g1", { items: 2 }))).toMatchObject({ ok: true, hold: { freeItems: 0, amount: 20 } });
    await account.setDailyQuota({ idempotencyKey: "q2", limit: 5, expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect(await account.reserve(reserveInput("g2", { items: 2, quotaEligible: true }))).toMatchObject({ ok: true, hold: { freeItems: 0, amount: 20 } });
    expect((await account.balance()).dailyQuota).toBeNull();
  });

  it("gives unused free items back when a hold is released", async () => {
    const account = await fundedAccount(100);
    await account.setDailyQuota({ idempotencyKey: "q1", limit: 3, expiresAt: tomorrow() });
    await account.reserve(reserveInput("g1", { items: 5, quotaEligible: true }));
    expect(await account.balance()).toMatchObject({ held: 20, dailyQuota: { used: 3 } });
    await account.release("g1");
    expect(await account.balance()).toMatchObject({ balance: 100, held: 0, dailyQuota: { used: 0 } });
    // Released twice: the quota does not come back twice.
    await account.release("g1");
    await account.reserve(reserveInput("g2", { items: 4, quotaEligible: true }));
    expect(await account.balance()).toMatchObject({ held: 10, dailyQuota: { used: 3 } });
  });

  it("uses free items first and gives the rest back on a partial settle", async () => {
    const account = await fundedAccount(100);
    await account.setDailyQuota({ idempotencyKey: "q1", limit: 3, expiresAt: tomorrow() });
    await account.reserve(reserveInput("g1", { items: 5, quotaEligible: true })); // 3 free + 2 × 10 held

    expect(await account.settle("g1", 2)).toMatchObject({ ok: true, hold: { captured: 0, released: 20 } });
    expect(await account.balance()).toMatchObject({ balance: 100, held: 0, dailyQuota: { used: 2 } });

    await account.reserve(reserveInput("g2", { items: 5, quotaEligible: true })); // 1 free + 4 × 10 held
    expect(await account.settle("g2", 4)).toMatchObject({ ok: true, hold: { captured: 30, released: 10 } });
    const s = await snapshot(account);
    expectBankInvariants(s);
    expect(s.balance).toBe(70);
    expect(s.quotaUsed[today()]).toBe(3);
  });

  it("replays setDailyQuota and refuses its key with another limit", async () => {
    const account = freshAccount();
    const input = { idempotencyKey: "q1", limit: 3, expiresAt: tomorrow() };
    expect(await account.setDailyQuota(input)).toEqual({ ok: true });
    expect(await account.setDailyQuota(input)).toEqual({ ok: true });
    expect(await account.setDailyQuota({ ...input, limit: 4 })).toMatchObject({ ok: false, reason: "conflict" });
    expect(await account.balance()).toMatchObject({ dailyQuota: { limit: 3 } });
  });
});

describe("rate limit (GENERATION_ITEMS_PER_HOUR = 500)", () => {
  it("refuses items beyond the hourly bucket with retryAfterSeconds and writes nothing", async () => {
    const account = await fundedAccount(10_000);
    expect(await account.reserve(reserveInput("big", { items: 500, unitCost: 1 }))).toMatchObject({ ok: true });
    const before = await snapshot(account);

    const refused = await account.reserve(reserveInput("one-more", { items: 5, unitCost: 1 }));
    expect(refused).toMatchObject({ ok: false, reason: "rate_limited" });
    if (refused.ok || refused.reason !== "rate_limited") throw new Error("unreachable");
    // 500 items/hour refill one item every 7.2 s: five items are ~36 s away.
    expect(refused.retryAfterSeconds).toBeGreaterThan(30);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(36);
    expect(await snapshot(account)).toEqual(before);

    // Free items count against the bucket too: the limit is about cost to us, not to the user.
    expect(await account.reserve(reserveInput("free", { items: 5, unlimited: true }))).toMatchObject({ ok: false, reason: "rate_limited" });
    // A replay of an earlier reserve is not a new request and still answers.
    expect(await account.reserve(reserveInput("big", { items: 500, unitCost: 1 }))).toMatchObject({ ok: true, replayed: true });
    expect(await snapshot(account)).toEqual(before);
  });

  it("refuses a single request larger than the bucket", async () => {
    const account = await fundedAccount(10_000);
    const r = await account.reserve(reserveInput("huge", { items: 501, unitCost: 1 }));
    expect(r).toMatchObject({ ok: false, reason: "rate_limited" });
    expect((await snapshot(account)).holds).toHaveLength(0);
  });
});

describe("adjustments and refunds", () => {
  it("never lets a negative adjustment take the balance below what is held", async () => {
    const account = await fundedAccount(100);
    await account.reserve(reserveInput("g1", { items: 6 })); // holds 60
    const before = await snapshot(account);
    expect(await account.credit({ idempotencyKey: "a1", amount: -41, kind: "adjustment", reference: null, description: "Fix" })).toEqual({
      ok: false,
      reason: "below_held",
      balance: 100,
      held: 60,
    });
    expect(await snapshot(account)).toEqual(before);
    expect(await account.credit({ idempotencyKey: "a2", amount: -40, kind: "adjustment", reference: null, description: "Fix" })).toMatchObject({
      ok: true,
      entry: { amount: -40, balanceAfter: 60 },
    });
    expect(await account.balance()).toMatchObject({ balance: 60, held: 60, available: 0 });
    // The hold can still be captured in full.
    expect(await account.settle("g1", 6)).toMatchObject({ ok: true, hold: { captured: 60 } });
    const s = await snapshot(account);
    expectBankInvariants(s);
    expect(s.balance).toBe(0);
  });

  it("never refunds more than was captured for that reference", async () => {
    const account = await fundedAccount(100);
    await account.reserve(reserveInput("g1", { items: 4 }));
    const refund = (key: string, amount: number, id = "g1") => account.credit({ idempotencyKey: key, amount, kind: "refund", reference: generation(id), description: "Refund" });

    // Nothing captured yet: nothing to refund.
    expect(await refund("r0", 1)).toEqual({ ok: false, reason: "refund_exceeds_charge", refundable: 0 });
    await account.settle("g1", 3); // captured 30
    expect(await refund("r1", 31)).toEqual({ ok: false, reason: "refund_exceeds_charge", refundable: 30 });
    expect(await refund("r2", 20)).toMatchObject({ ok: true });
    expect(await refund("r3", 11)).toEqual({ ok: false, reason: "refund_exceeds_charge", refundable: 10 });
    expect(await refund("r2", 20)).toMatchObject({ ok: true, replayed: true });
    expect(await refund("r4", 10)).toMatchObject({ ok: true });
    expect(await refund("r5", 1)).toEqual({ ok: false, reason: "refund_exceeds_charge", refundable: 0 });
    // Another generation's charge cannot pay for this refund, nor can no reference at all.
    expect(await refund("r6", 1, "g2")).toEqual({ ok: false, reason: "refund_exceeds_charge", refundable: 0 });
    expect(await account.credit({ idempotencyKey: "r7", amount: 1, kind: "refund", reference: null, description: "Refund" })).toMatchObject({
      ok: false,
      reason: "refund_exceeds_charge",
    });
    const s = await snapshot(account);
    expectBankInvariants(s);
    expect(s.balance).toBe(100);
  });
});
