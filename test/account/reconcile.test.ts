/** Reconciliation: Account objects against their own entries and against the D1 projection. */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { Account } from "../../worker/account/account";
import { accountOf } from "../../worker/account/client";
import { reconcile } from "../../worker/account/reconcile";
import { cancelAlarms, generation } from "./support";

const created: string[] = [];
afterEach(() => cancelAlarms(...created.splice(0).map((id) => accountOf(env, id))));

/** A user row in D1 and their opened Account object (100 signup credits). */
async function createUser(): Promise<string> {
  const id = crypto.randomUUID();
  created.push(id);
  await env.DB.prepare("INSERT INTO users (id, email, name, password_hash) VALUES (?, ?, ?, ?)").bind(id, `${id}@example.com`, "Test", "unused").run();
  await accountOf(env, id).open(id, 100);
  return id;
}

/** Runs the object's alarm until the D1 projection has caught up with its ledger. */
async function project(userId: string): Promise<void> {
  const account = accountOf(env, userId);
  for (let i = 0; i < 5 && (await account.audit()).projectionPending; i++) {
    if (!(await runDurableObjectAlarm(account))) await runInDurableObject(account, (instance: Account) => instance.alarm());
  }
  expect((await account.audit()).projectionPending).toBe(false);
}

async function activity(userId: string): Promise<void> {
  const account = accountOf(env, userId);
  await account.credit({ idempotencyKey: "order-1", amount: 250, kind: "purchase", reference: { type: "order", id: `${userId}-1` }, description: "Pack" });
  await account.reserve({ holdId: "g1", idempotencyKey: "g1", items: 4, unitCost: 20, reference: generation("g1") });
  await account.settle("g1", 3);
  await account.reserve({ holdId: "g2", idempotencyKey: "g2", items: 2, unitCost: 15, reference: generation("g2") });
}

const driftOf = (report: Awaited<ReturnType<typeof reconcile>>, users: string[]) => report.drift.filter((d) => users.includes(d.userId));

describe("reconcile", () => {
  it("reports zero drift for healthy users once the projection alarm ran", async () => {
    const users = [await createUser(), await createUser(), await createUser()];
    for (const u of users) await activity(u);
    for (const u of users) await project(u);

    const row = await env.DB.prepare("SELECT balance, held FROM balances WHERE user_id = ?").bind(users[0]).first();
    expect(row).toEqual({ balance: 100 + 250 - 60, held: 30 });

    const report = await reconcile(env);
    expect(report.checked).toBeGreaterThanOrEqual(3);
    expect(driftOf(report, users)).toEqual([]);
  });

  it("reports drift when the D1 projection is tampered with or missing", async () => {
    const [tampered, missing, healthy] = [await createUser(), await createUser(), await createUser()];
    for (const u of [tampered, missing, healthy]) {
      await activity(u);
      await project(u);
    }
    await env.DB.prepare("UPDATE balances SET balance = balance + 5 WHERE user_id = ?").bind(tampered).run();
    await env.DB.prepare("DELETE FROM balances WHERE user_id = ?").bind(missing).run();

    const drift = driftOf(await reconcile(env), [tampered!, missing!, healthy!]);
    expect(drift).toHaveLength(2);
    expect(drift).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: tampered, problem: "projection_mismatch" }),
        expect.objectContaining({ userId: missing, problem: "projection_missing" }),
      ]),
    );
    expect(drift.find((d) => d.userId === tampered)?.detail).toContain("D1 295/30");
  });

  it("reports an object whose stored balance no longer matches its entries", async () => {
    const user = await createUser();
    await activity(user);
    await project(user);
    await runInDurableObject(accountOf(env, user), (_instance, state) => {
      state.storage.sql.exec("UPDATE account SET balance = balance - 7");
    });
    const drift = driftOf(await reconcile(env), [user]);
    expect(drift.map((d) => d.problem)).toContain("entries_mismatch");
  });

  it("reports an object that belongs to another user", async () => {
    const user = await createUser();
    const stranger = crypto.randomUUID();
    const squatted = crypto.randomUUID();
    created.push(squatted);
    await env.DB.prepare("INSERT INTO users (id, email, name, password_hash) VALUES (?, ?, ?, ?)").bind(squatted, `${squatted}@example.com`, "Test", "unused").run();
    await accountOf(env, squatted).open(stranger, 0);
    const drift = driftOf(await reconcile(env), [user, squatted]);
    expect(drift.every((d) => d.userId === squatted)).toBe(true);
    expect(drift).toContainEqual(expect.objectContaining({ userId: squatted, problem: "unbound_account" }));
  });
});
