/** Reconciliation: Account objects against their own entries and against the D1 projection. */
import { env, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { accountOf } from "../../worker/account/client";
import { reconcile } from "../../worker/account/reconcile";
import { cancelAlarms, generation, project } from "../support/account";

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

/** A paid order and its purchase, a hold of 4 × 20 settled for 3 (g1), and an open hold of 2 × 15 (g2); ids unique to the user. */
async function activity(userId: string): Promise<{ g1: string; g2: string }> {
  const account = accountOf(env, userId);
  const g1 = `${userId}-g1`;
  const g2 = `${userId}-g2`;
  await env.DB.prepare(
    "INSERT INTO orders (id, user_id, kind, package_id, item_name, credits, amount, currency, status, request_hash, gateway, paid_at) VALUES (?, ?, 'package', 'starter', 'Pack', 250, 15000, 'IDR', 'paid', 'h', 'sandbox', ?)",
  )
    .bind(`${userId}-1`, userId, Date.now())
    .run();
  await account.credit({ idempotencyKey: "order-1", amount: 250, kind: "purchase", reference: { type: "order", id: `${userId}-1` }, description: "Pack" });
  await account.reserve({ holdId: g1, idempotencyKey: g1, items: 4, unitCost: 20, reference: generation(g1) });
  await account.settle(g1, 3);
  await account.reserve({ holdId: g2, idempotencyKey: g2, items: 2, unitCost: 15, reference: generation(g2) });
  return { g1, g2 };
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
      expect.arrayContaining([expect.objectContaining({ userId: tampered, kind: "projection_mismatch" }), expect.objectContaining({ userId: missing, kind: "projection_missing" })]),
    );
    expect(drift.find((d) => d.userId === tampered)).toMatchObject({ expected: "290/30", actual: "295/30" });
  });

  it("reports an object whose stored balance no longer matches its entries", async () => {
    const user = await createUser();
    await activity(user);
    await project(user);
    await runInDurableObject(accountOf(env, user), (_instance, state) => {
      state.storage.sql.exec("UPDATE account SET balance = balance - 7");
    });
    const drift = driftOf(await reconcile(env), [user]);
    expect(drift.map((d) => d.kind)).toContain("entries_mismatch");
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
    expect(drift).toContainEqual(expect.objectContaining({ userId: squatted, kind: "unbound_account" }));
  });

  it("keeps each report in D1 and visits only the objects that changed since the last run", async () => {
    const [quiet, busy] = [await createUser(), await createUser()];
    for (const u of [quiet, busy]) await project(u);
    // Runs an hour and two hours from now: by the second, only the object that changed in between is visited.
    const hour = 3600_000;
    const first = await reconcile(env, Date.now() + hour);
    expect(first.checked).toBeGreaterThanOrEqual(2);
    await env.DB.prepare("UPDATE balances SET updated_at = ? WHERE user_id = ?")
      .bind(Date.now() + 2 * hour - 60_000, busy)
      .run();
    const second = await reconcile(env, Date.now() + 2 * hour);
    expect(second.checked).toBe(1);
    expect(driftOf(second, [quiet, busy])).toEqual([]);
    const rows = await env.DB.prepare("SELECT checked, drift_count FROM reconciliation_runs ORDER BY ran_at DESC LIMIT 1").all<{ checked: number; drift_count: number }>();
    expect(rows.results).toEqual([{ checked: 1, drift_count: second.drift.length }]);
    // Later tests reconcile at the real time again.
    await env.DB.prepare("DELETE FROM reconciliation_runs").run();
  });
});

describe("reconcile across the boundary", () => {
  async function finishedGeneration(userId: string, id: string, completed: number, charged: number, refunded: number) {
    const now = Date.now();
    const projectId = crypto.randomUUID();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO projects (id, user_id, app_id, name) VALUES (?, ?, 'test-pipeline', 'P')").bind(projectId, userId),
      env.DB.prepare(
        `INSERT INTO generations (id, user_id, app_id, project_id, status, request_hash, params, total, completed, unit_cost, cost, charged, refunded, created_at, updated_at, finished_at)
         VALUES (?, ?, 'test-pipeline', ?, 'partial', 'h', '{}', 4, ?, 20, 80, ?, ?, ?, ?, ?)`,
      ).bind(id, userId, projectId, completed, charged, refunded, now, now, now),
    ]);
  }

  it("agrees when every finished generation's charge is its hold's capture", async () => {
    const user = await createUser();
    const { g1 } = await activity(user); // 60 captured, 20 released; g2 open
    await finishedGeneration(user, g1, 3, 60, 20);
    await project(user);
    const drift = driftOf(await reconcile(env), [user]);
    // g2's hold is open with no generation and past no check window yet: not drift.
    expect(drift).toEqual([]);
  });

  it("reports a generation whose recorded charge, refund or item count differs from its hold", async () => {
    const user = await createUser();
    const { g1 } = await activity(user);
    await finishedGeneration(user, g1, 4, 40, 40);
    await project(user);
    const drift = driftOf(await reconcile(env), [user]);
    expect(drift).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "items_mismatch", expected: 4, actual: 3, subject: g1 }),
        expect.objectContaining({ kind: "charge_mismatch", expected: 60, actual: 40, subject: g1 }),
        expect.objectContaining({ kind: "refund_mismatch", expected: 20, actual: 40, subject: g1 }),
      ]),
    );
  });

  it("reports an open hold whose generation never appeared once its check window passed", async () => {
    const user = await createUser();
    const { g2 } = await activity(user);
    await project(user);
    const drift = driftOf(await reconcile(env, Date.now() + 7 * 3600_000), [user]);
    expect(drift).toContainEqual(expect.objectContaining({ kind: "orphan_hold", subject: g2, actual: 30 }));
    await env.DB.prepare("DELETE FROM reconciliation_runs").run();
  });

  it("reports a finished generation with no hold at all", async () => {
    const user = await createUser();
    await finishedGeneration(user, crypto.randomUUID(), 1, 20, 60);
    await project(user);
    const drift = driftOf(await reconcile(env), [user]);
    expect(drift.map((d) => d.kind)).toEqual(["hold_missing"]);
  });
});
