/** Admin credit grants and adjustments: through the Account object, once per key, never below what is held. */
import { describe, expect, it } from "vitest";
import { adminApi, auditOf, registerAdmin } from "../support/admin";
import { balanceOf } from "../support/auth-clients";
import { expectErrorShape, register } from "../support/client";
import { createProject, submitCaptured } from "../support/generations";
import { TEST_PIPELINE_COST } from "../support/test-pipeline";

const grant = (admin: Awaited<ReturnType<typeof registerAdmin>>, userId: string, json: unknown, key = `grant-${crypto.randomUUID()}`) =>
  adminApi(admin, `/users/${userId}/credits`, { method: "POST", json, headers: { "Idempotency-Key": key } });

describe("admin credits", () => {
  it("grants credits once per Idempotency-Key, with one audit row, and the user's balance shows it", async () => {
    const admin = await registerAdmin();
    const user = await register();
    const key = `grant-${crypto.randomUUID()}`;
    const first = await grant(admin, user.userId, { amount: 250, reason: "Goodwill for the outage" }, key);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ balance: { balance: 350, held: 0, available: 350 } });
    const replay = await grant(admin, user.userId, { amount: 250, reason: "Goodwill for the outage" }, key);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ balance: { balance: 350, held: 0, available: 350 } });
    expect(await balanceOf(user.token)).toMatchObject({ balance: 350 });

    const rows = await auditOf(admin, user.userId, "admin.credits");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: admin.userId, targetType: "user", before: { balance: 100 }, after: { balance: 350, amount: 250, reason: "Goodwill for the outage" } });
  });

  it("answers 409 for the same key with another amount, and changes nothing", async () => {
    const admin = await registerAdmin();
    const user = await register();
    const key = `grant-${crypto.randomUUID()}`;
    expect((await grant(admin, user.userId, { amount: 10, reason: "first" }, key)).status).toBe(200);
    const conflict = await grant(admin, user.userId, { amount: 20, reason: "first" }, key);
    expect(conflict.status).toBe(409);
    await expectErrorShape(conflict, "CONFLICT");
    expect(await balanceOf(user.token)).toMatchObject({ balance: 110 });
    expect(await auditOf(admin, user.userId, "admin.credits")).toHaveLength(1);
  });

  it("takes a negative adjustment down to what is held, and refuses one below it with 422", async () => {
    const admin = await registerAdmin();
    const user = await register();
    const projectId = await createProject(user);
    // A captured (never delivered) generation keeps its hold open: 2 items × 7 credits.
    const { response } = await submitCaptured(user, projectId, ["ok", "ok"]);
    expect(response.status).toBe(202);
    const held = 2 * TEST_PIPELINE_COST;
    expect(await balanceOf(user.token)).toMatchObject({ balance: 100, held });

    const below = await grant(admin, user.userId, { amount: -(100 - held + 1), reason: "Chargeback" });
    expect(below.status).toBe(422);
    await expectErrorShape(below, "UNPROCESSABLE");
    expect(await balanceOf(user.token)).toMatchObject({ balance: 100, held });

    const exact = await grant(admin, user.userId, { amount: -(100 - held), reason: "Chargeback" });
    expect(exact.status).toBe(200);
    expect(await exact.json()).toEqual({ balance: { balance: held, held, available: 0 } });
    const rows = await auditOf(admin, user.userId, "admin.credits");
    expect(rows.map((r) => r.after)).toEqual([{ balance: held, amount: -(100 - held), reason: "Chargeback" }]);
  });

  it("refuses bad input with a 400 before touching the ledger", async () => {
    const admin = await registerAdmin();
    const user = await register();
    for (const json of [
      { amount: 0, reason: "zero" },
      { amount: 1.5, reason: "fraction" },
      { amount: 10 },
      { amount: 10, reason: "" },
      { amount: 1_000_001, reason: "too much" },
      { amount: 10, reason: "x", userId: "other" },
    ]) {
      expect((await grant(admin, user.userId, json)).status, JSON.stringify(json)).toBe(400);
    }
    const noKey = await adminApi(admin, `/users/${user.userId}/credits`, { method: "POST", json: { amount: 10, reason: "no key" } });
    expect(noKey.status).toBe(400);
    // The advertised maximum is accepted.
    expect((await grant(admin, user.userId, { amount: 1_000_000, reason: "the maximum" })).status).toBe(200);
    expect(await balanceOf(user.token)).toMatchObject({ balance: 1_000_100 });
    expect((await grant(admin, "no-such-user", { amount: 10, reason: "nobody" })).status).toBe(404);
  });
});
