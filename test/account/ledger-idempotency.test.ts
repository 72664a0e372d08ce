/** Every mutation carries an id: a replay returns the first result and writes nothing; other parameters are a conflict. */
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { AccountStub } from "../support/account";
import { cancelAlarms, expectBankInvariants, freshAccount, fundedAccount, generation, reserveInput, snapshot } from "../support/account";

afterEach(() => cancelAlarms());

describe("reserve idempotency", () => {
  it("returns the first result on replay and writes nothing", async () => {
    const account = await fundedAccount(100);
    const first = await account.reserve(reserveInput("g1"));
    expect(first).toMatchObject({ ok: true, replayed: false, hold: { id: "g1", amount: 40, status: "open" } });
    const before = await snapshot(account);

    const again = await account.reserve(reserveInput("g1"));
    expect(again).toEqual({ ...first, replayed: true });
    const after = await snapshot(account);
    expect(after).toEqual(before);
    expect(await account.balance()).toMatchObject({ balance: 100, held: 40, available: 60 });
  });

  it("answers a typed conflict when the key comes back with another amount, and writes nothing", async () => {
    const account = await fundedAccount(100);
    await account.reserve(reserveInput("g1"));
    const before = await snapshot(account);
    for (const other of [{ items: 5 }, { unitCost: 11 }, { reference: generation("g2") }, { holdId: "g2" }, { unlimited: true }]) {
      const r = await account.reserve(reserveInput("g1", other));
      expect(r).toMatchObject({ ok: false, reason: "conflict" });
    }
    // The same hold id under a fresh key is a conflict too: one generation, one hold.
    expect(await account.reserve(reserveInput("g1", { idempotencyKey: "another-key" }))).toMatchObject({ ok: false, reason: "conflict" });
    expect(await snapshot(account)).toEqual(before);
  });

  it("turns 200 concurrent identical reserve requests into one hold", async () => {
    const name = crypto.randomUUID();
    const account = freshAccount(name);
    await account.credit({ idempotencyKey: "buy", amount: 100, kind: "purchase", reference: null, description: "Pack" });
    const results = await Promise.all(Array.from({ length: 200 }, () => (env.ACCOUNT.get(env.ACCOUNT.idFromName(name)) as AccountStub).reserve(reserveInput("g1"))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
    const s = await snapshot(account);
    expectBankInvariants(s);
    expect(s.holds).toHaveLength(1);
    expect(s.held).toBe(40);
    expect(await account.balance()).toMatchObject({ balance: 100, held: 40, available: 60 });
  });

  it("does not remember a refusal: the same key succeeds once credits arrive", async () => {
    const account = await fundedAccount(10);
    expect(await account.reserve(reserveInput("g1"))).toMatchObject({ ok: false, reason: "insufficient", required: 40, available: 10 });
    await account.credit({ idempotencyKey: "top-up", amount: 30, kind: "purchase", reference: null, description: "Pack" });
    expect(await account.reserve(reserveInput("g1"))).toMatchObject({ ok: true, replayed: false });
  });
});

describe("credit idempotency", () => {
  it("credits once however often the same purchase is replayed, concurrently or not", async () => {
    const account = freshAccount();
    const input = { idempotencyKey: "order-42", amount: 250, kind: "purchase" as const, reference: { type: "order", id: "42" }, description: "Pack of 250" };
    const results = await Promise.all(Array.from({ length: 50 }, () => account.credit(input)));
    const first = results.find((r) => r.ok && !r.replayed);
    expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
    for (const r of results) expect(r).toEqual({ ...first, replayed: r.ok && r.replayed });
    const before = await snapshot(account);
    expect(await account.credit(input)).toEqual({ ...first, replayed: true });
    expect(await snapshot(account)).toEqual(before);
    expect(before.balance).toBe(250);
    expect(before.entries).toHaveLength(1);
  });

  it("rejects the same key with another amount, kind or reference as a conflict", async () => {
    const account = freshAccount();
    const input = { idempotencyKey: "order-42", amount: 250, kind: "purchase" as const, reference: { type: "order", id: "42" }, description: "Pack of 250" };
    await account.credit(input);
    const before = await snapshot(account);
    for (const other of [{ amount: 251 }, { kind: "grant" as const }, { reference: { type: "order", id: "43" } }]) {
      expect(await account.credit({ ...input, ...other })).toMatchObject({ ok: false, reason: "conflict" });
    }
    // A reserve cannot borrow a credit's key either.
    expect(await account.reserve(reserveInput("g1", { idempotencyKey: "order-42", unitCost: 1 }))).toMatchObject({ ok: false, reason: "conflict" });
    expect(await snapshot(account)).toEqual(before);
  });
});

describe("settle idempotency", () => {
  it("captures once when settled twice, and once when settled concurrently", async () => {
    const account = await fundedAccount(100);
    await account.reserve(reserveInput("g1"));
    const first = await account.settle("g1", 3);
    expect(first).toMatchObject({ ok: true, replayed: false, hold: { status: "settled", captured: 30, released: 10 } });
    const before = await snapshot(account);
    expect(await account.settle("g1", 3)).toEqual({ ...first, replayed: true });
    expect(await snapshot(account)).toEqual(before);
    expect(before.balance).toBe(70);
    expect(before.entries.filter((e) => e.kind === "capture")).toHaveLength(1);

    await account.reserve(reserveInput("g2"));
    const many = await Promise.all(Array.from({ length: 50 }, () => account.settle("g2", 2)));
    expect(many.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
    const s = await snapshot(account);
    expectBankInvariants(s);
    expect(s.balance).toBe(50);
    expect(s.entries.filter((e) => e.kind === "capture")).toHaveLength(2);
  });

  it("answers a conflict when a settled hold is settled again with another count", async () => {
    const account = await fundedAccount(100);
    await account.reserve(reserveInput("g1"));
    await account.settle("g1", 3);
    const before = await snapshot(account);
    expect(await account.settle("g1", 4)).toMatchObject({ ok: false, reason: "mismatch" });
    expect(await account.settle("g1", 0)).toMatchObject({ ok: false, reason: "mismatch" });
    expect(await snapshot(account)).toEqual(before);
  });

  it("replays a settle whose count exceeded the hold's items instead of calling it a conflict", async () => {
    // A finalizer that over-counts (say, a redelivered item counted twice) retries with the same number.
    const account = await fundedAccount(100);
    await account.reserve(reserveInput("g1"));
    const first = await account.settle("g1", 6);
    expect(first).toMatchObject({ ok: true, replayed: false, hold: { captured: 40, released: 0 } });
    expect(await account.settle("g1", 6)).toEqual({ ...first, replayed: true });
    expect((await snapshot(account)).balance).toBe(60);
  });

  it("never charges a released hold, and reports completed work settled against it as a mismatch", async () => {
    const account = await fundedAccount(100);
    await account.reserve(reserveInput("g1"));
    expect(await account.release("g1")).toMatchObject({ ok: true, replayed: false, hold: { status: "released", captured: 0, released: 40 } });
    const before = await snapshot(account);
    expect(await account.release("g1")).toMatchObject({ ok: true, replayed: true });
    expect(await account.settle("g1", 4)).toMatchObject({ ok: false, reason: "mismatch", hold: { status: "released", captured: 0 } });
    // Zero completed items against a released hold is the same outcome, so it replays.
    expect(await account.settle("g1", 0)).toMatchObject({ ok: true, replayed: true, hold: { status: "released", captured: 0 } });
    expect(await snapshot(account)).toEqual(before);
    expect(before.balance).toBe(100);
  });

  it("reports an unknown hold as not_found", async () => {
    const account = await fundedAccount(100);
    expect(await account.settle("nope", 1)).toEqual({ ok: false, reason: "not_found" });
    expect(await account.release("nope")).toEqual({ ok: false, reason: "not_found" });
  });
});
