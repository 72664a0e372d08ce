/** Many callers against one account at once: the ledger never overdraws (the Jepsen bank check). */
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { AccountStub } from "../support/account";
import { cancelAlarms, expectBankInvariants, freshAccount, generation, snapshot } from "../support/account";

afterEach(() => cancelAlarms());

describe("concurrent reserves", () => {
  it("lets exactly ⌊1000 / 30⌋ = 33 of 200 parallel reserves through and never overdraws", async () => {
    const name = crypto.randomUUID();
    const account = freshAccount(name);
    expect((await account.credit({ idempotencyKey: "buy", amount: 1000, kind: "purchase", reference: { type: "order", id: "o1" }, description: "Pack" })).ok).toBe(true);

    // One stub per caller, as 200 separate Worker requests would have.
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (env.ACCOUNT.get(env.ACCOUNT.idFromName(name)) as AccountStub).reserve({
          holdId: `gen-${i}`,
          idempotencyKey: `gen-${i}:reserve`,
          items: 1,
          unitCost: 30,
          reference: generation(`gen-${i}`),
        }),
      ),
    );

    const ok = results.filter((r) => r.ok);
    const insufficient = results.filter((r) => !r.ok && r.reason === "insufficient");
    expect(ok).toHaveLength(33);
    expect(insufficient).toHaveLength(167);
    for (const r of insufficient) {
      if (r.ok || r.reason !== "insufficient") throw new Error("unreachable");
      expect(r.required).toBe(30);
      expect(r.available).toBe(10);
    }
    expect(await account.balance()).toMatchObject({ balance: 1000, held: 990, available: 10 });

    const before = await snapshot(account);
    expectBankInvariants(before);
    expect(before.holds.filter((h) => h.status === "open")).toHaveLength(33);

    // Settle them all concurrently too: 20 fully completed, 13 failed outright.
    const okIds = ok.map((r) => (r.ok ? r.hold.id : ""));
    const settled = await Promise.all(okIds.map((id, i) => account.settle(id, i < 20 ? 1 : 0)));
    expect(settled.every((r) => r.ok && !r.replayed)).toBe(true);

    const after = await snapshot(account);
    expectBankInvariants(after);
    expect(after.balance).toBe(1000 - 20 * 30);
    expect(after.held).toBe(0);
    expect(after.entries.filter((e) => e.kind === "capture")).toHaveLength(20);
    expect(after.entries.filter((e) => e.kind === "release")).toHaveLength(13);
    expect(await account.balance()).toMatchObject({ balance: 400, held: 0, available: 400 });
  });

  it("never lets concurrent negative adjustments and reserves take available below zero", async () => {
    const account = freshAccount();
    await account.credit({ idempotencyKey: "buy", amount: 500, kind: "purchase", reference: null, description: "Pack" });
    const calls = Array.from({ length: 100 }, (_, i) =>
      i % 2 === 0
        ? account.reserve({ holdId: `h${i}`, idempotencyKey: `r${i}`, items: 1, unitCost: 20, reference: generation(`h${i}`) })
        : account.credit({ idempotencyKey: `adj${i}`, amount: -20, kind: "adjustment", reference: null, description: "Correction" }),
    );
    const results = await Promise.all(calls);
    const successes = results.filter((r) => r.ok).length;
    expect(successes).toBe(25); // 500 / 20, whichever kind wins each slot
    const s = await snapshot(account);
    expectBankInvariants(s);
    expect(s.balance - s.held).toBe(0);
  });
});
