/** Crashes: eviction between steps, a throw inside a mutation, alarms that fire twice. */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { Account } from "../../worker/account/account";
import { Ledger } from "../../worker/account/ledger";
import type { AccountStub } from "../support/account";
import { cancelAlarms, expectBankInvariants, freshAccount, fundedAccount, generation, readSnapshot, snapshot } from "../support/account";

afterEach(() => cancelAlarms());

/** Tears the object down; storage must carry everything that matters. */
async function crash(stub: AccountStub): Promise<void> {
  await evictDurableObject(stub);
}

const RATE = { itemsPerHour: 500 };

describe("eviction between steps", () => {
  it("keeps every step of credit → reserve → settle, and the money stays exact", async () => {
    const account = freshAccount();
    await account.ping();
    await crash(account);
    expect(await account.credit({ idempotencyKey: "buy", amount: 100, kind: "purchase", reference: null, description: "Pack" })).toMatchObject({ ok: true });
    await crash(account);
    expect(await account.balance()).toMatchObject({ balance: 100, held: 0, available: 100 });
    await crash(account);
    const reserved = await account.reserve({ holdId: "g1", idempotencyKey: "g1", items: 5, unitCost: 12, reference: generation("g1") });
    expect(reserved).toMatchObject({ ok: true, replayed: false });
    await crash(account);
    expect(await account.balance()).toMatchObject({ balance: 100, held: 60, available: 40 });
    await crash(account);
    // The caller never heard back and retries with the same key: the first result survives the crash.
    expect(await account.reserve({ holdId: "g1", idempotencyKey: "g1", items: 5, unitCost: 12, reference: generation("g1") })).toEqual({
      ...reserved,
      replayed: true,
    });
    await crash(account);
    expect(await account.hold("g1")).toMatchObject({ status: "open", amount: 60 });
    await crash(account);
    expect(await account.settle("g1", 3)).toMatchObject({ ok: true, replayed: false, hold: { captured: 36, released: 24 } });
    await crash(account);
    expect(await account.settle("g1", 3)).toMatchObject({ ok: true, replayed: true });
    await crash(account);
    expect(await account.release("g1")).toMatchObject({ ok: true, replayed: true, hold: { status: "settled" } });
    await crash(account);

    const s = await snapshot(account);
    expectBankInvariants(s);
    expect(s.balance).toBe(64);
    expect(s.held).toBe(0);
    expect(s.entries.map((e) => [e.kind, e.amount])).toEqual([
      ["purchase", 100],
      ["capture", -36],
      ["release", 0],
    ]);
  });
});

describe("a throw inside a mutation", () => {
  it("rolls back every write of the transaction, and the key stays free", async () => {
    const account = await fundedAccount(100);
    const before = await snapshot(account);
    await runInDurableObject(account, (_instance, state) => {
      const ledger = new Ledger(state.storage.sql);
      expect(() =>
        state.storage.transactionSync(() => {
          expect(ledger.credit({ idempotencyKey: "c1", amount: 50, kind: "grant", reference: null, description: "Bonus" }).ok).toBe(true);
          expect(ledger.reserve({ holdId: "g1", idempotencyKey: "g1", items: 2, unitCost: 10, reference: generation("g1") }, RATE).ok).toBe(true);
          expect(ledger.settle("g1", 1).ok).toBe(true);
          throw new Error("power cut");
        }),
      ).toThrow("power cut");
      expect(readSnapshot(state.storage.sql)).toEqual(before);
    });
    expect(await snapshot(account)).toEqual(before);
    // Nothing remembered the key: the retry performs the credit for real.
    expect(await account.credit({ idempotencyKey: "c1", amount: 50, kind: "grant", reference: null, description: "Bonus" })).toMatchObject({
      ok: true,
      replayed: false,
    });
    expect(await account.hold("g1")).toBeNull();
    expectBankInvariants(await snapshot(account));
  });

  it("leaves nothing when a CHECK constraint fails halfway through a settle", async () => {
    const account = await fundedAccount(100);
    await account.reserve({ holdId: "g1", idempotencyKey: "g1", items: 5, unitCost: 10, reference: generation("g1") });
    const before = await snapshot(account);
    await runInDurableObject(account, (_instance, state) => {
      const ledger = new Ledger(state.storage.sql);
      expect(() =>
        state.storage.transactionSync(() => {
          // Corrupt the balance inside the same transaction so the capture, written after
          // the hold row was already marked settled, breaks `balance >= 0`.
          state.storage.sql.exec("UPDATE account SET balance = 10");
          ledger.settle("g1", 5);
        }),
      ).toThrow(/CHECK constraint failed/);
    });
    expect(await snapshot(account)).toEqual(before);
    expect(await account.hold("g1")).toMatchObject({ status: "open", captured: 0, released: 0 });
    expect(await account.settle("g1", 5)).toMatchObject({ ok: true, replayed: false, hold: { captured: 50 } });
    expectBankInvariants(await snapshot(account));
  });

  it("leaves nothing when a refused input makes a write fail after earlier writes", async () => {
    const account = await fundedAccount(100);
    const before = await snapshot(account);
    await runInDurableObject(account, (_instance, state) => {
      const ledger = new Ledger(state.storage.sql);
      expect(() =>
        state.storage.transactionSync(() => {
          ledger.credit({ idempotencyKey: "c2", amount: 5, kind: "grant", reference: null, description: "Bonus" });
          // A negative unit cost (the RPC schema refuses it) trips `holds.amount >= 0`.
          ledger.reserve({ holdId: "g9", idempotencyKey: "g9", items: 1, unitCost: -3, reference: generation("g9") }, RATE);
        }),
      ).toThrow(/CHECK constraint failed/);
    });
    expect(await snapshot(account)).toEqual(before);
  });

  it("refuses invalid RPC input before touching storage", async () => {
    const account = await fundedAccount(100);
    const before = await snapshot(account);
    const bad = await account.reserve({ holdId: "g1", idempotencyKey: "g1", items: 1, unitCost: -5, reference: generation("g1") }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(bad).toBeInstanceOf(Error);
    const badCredit = await account.credit({ idempotencyKey: "x", amount: -5, kind: "grant", reference: null, description: "Nope" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(badCredit).toBeInstanceOf(Error);
    expect(await snapshot(account)).toEqual(before);
  });
});

describe("the expiry alarm", () => {
  it("releases an expired hold once, however often the alarm fires", async () => {
    const account = await fundedAccount(100);
    await account.reserve({ holdId: "g1", idempotencyKey: "g1", items: 3, unitCost: 10, reference: generation("g1"), expiresInSeconds: 1 });
    await account.reserve({ holdId: "g2", idempotencyKey: "g2", items: 1, unitCost: 10, reference: generation("g2") });
    expect(await account.balance()).toMatchObject({ held: 40, available: 60 });
    await runInDurableObject(account, (_instance, state) => {
      state.storage.sql.exec("UPDATE holds SET expires_at = ? WHERE id = 'g1'", Date.now() - 1);
    });

    await runDurableObjectAlarm(account);
    await evictDurableObject(account).catch(() => undefined);
    // At-least-once: the same alarm may be delivered again, even to a fresh instance.
    await runInDurableObject(account, (instance: Account) => instance.alarm());
    await runDurableObjectAlarm(account);

    const s = await snapshot(account);
    expectBankInvariants(s);
    expect(s.entries.filter((e) => e.kind === "release")).toHaveLength(1);
    expect(s.holds.find((h) => h.id === "g1")).toMatchObject({ status: "released", captured: 0, released: 30 });
    expect(s.holds.find((h) => h.id === "g2")).toMatchObject({ status: "open" });
    expect(await account.balance()).toMatchObject({ balance: 100, held: 10, available: 90 });
    // A late finalizer finds the hold released: it charges nothing and says so.
    expect(await account.settle("g1", 3)).toMatchObject({ ok: false, reason: "mismatch", hold: { status: "released", captured: 0 } });
    expect((await snapshot(account)).balance).toBe(100);
  });

  it("schedules the alarm at the earliest hold expiry", async () => {
    const account = await fundedAccount(100);
    await runDurableObjectAlarm(account);
    const before = Date.now();
    await account.reserve({ holdId: "g1", idempotencyKey: "g1", items: 1, unitCost: 10, reference: generation("g1"), expiresInSeconds: 60 });
    const alarm = await runInDurableObject(account, (_i, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeGreaterThanOrEqual(before + 59_000);
    expect(alarm!).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it("does not spin the alarm for an account that is not bound to a user yet", async () => {
    // Nothing to project without a user: the alarm must not keep re-arming itself at "now".
    const account = await fundedAccount(100);
    await runDurableObjectAlarm(account);
    const alarm = await runInDurableObject(account, (_i, state) => state.storage.getAlarm());
    expect(alarm === null || alarm > Date.now() + 3_600_000).toBe(true);
  });
});
