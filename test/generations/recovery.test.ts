import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountOf } from "../../worker/account/client";
import { TEST_PIPELINE_COST as COST } from "../support/test-pipeline";
import { db } from "../../worker/db/client";
import { generationItems, generations } from "../../worker/db/schema";
import { finalize, recount } from "../../worker/generations/lifecycle";
import { recover, QUEUED_STALE_MS } from "../../worker/generations/recovery";
import { api, register, testConfig } from "../support/client";
import { balanceOf, createProject, submitCaptured, waitForFinal } from "../support/generations";

async function submitUndelivered(items: string[]) {
  const user = await register();
  const { response, sent } = await submitCaptured(user, await createProject(user), items);
  expect(response.status).toBe(202);
  return { user, generationId: sent[0]!.generationId };
}

describe("recovery", () => {
  it("re-sends items whose messages were lost, and a second run changes nothing", async () => {
    const { user, generationId } = await submitUndelivered(["ok", "ok"]);
    const later = Date.now() + QUEUED_STALE_MS + 1000;
    const first = await recover(env, testConfig(), later);
    expect(first.requeued).toBeGreaterThanOrEqual(2);
    const second = await recover(env, testConfig(), later);
    expect(second).toEqual({ requeued: 0, failed: 0, finalized: 0, released: 0, errors: 0 });
    const done = await waitForFinal(user, generationId);
    expect(done).toMatchObject({ status: "completed", charged: 2 * COST });
  });

  it("fails items that stay stuck after the bounded re-sends, without charging them", async () => {
    const { user, generationId } = await submitUndelivered(["ok"]);
    await db(env.DB).update(generationItems).set({ resends: 3 }).where(eq(generationItems.generationId, generationId));
    const report = await recover(env, testConfig(), Date.now() + QUEUED_STALE_MS + 1000);
    expect(report.failed).toBe(1);
    const done = await waitForFinal(user, generationId);
    expect(done).toMatchObject({ status: "failed", charged: 0, refunded: COST });
    expect(await balanceOf(user)).toMatchObject({ balance: 100, held: 0 });
  });

  it("finalizes a generation whose items all finished but which was never settled (crash before finalize)", async () => {
    const { user, generationId } = await submitUndelivered(["ok", "ok"]);
    const now = Date.now();
    await db(env.DB).update(generationItems).set({ status: "completed", finishedAt: now }).where(eq(generationItems.generationId, generationId));
    const report = await recover(env, testConfig());
    expect(report.finalized).toBe(1);
    expect(await recover(env, testConfig())).toEqual({ requeued: 0, failed: 0, finalized: 0, released: 0, errors: 0 });
    const g = await (await api(`/api/generations/${generationId}`, { token: user.token })).json();
    expect(g).toMatchObject({ status: "completed", charged: 2 * COST });
  });

  it("settles once when two finalizers race", async () => {
    const { user, generationId } = await submitUndelivered(["ok", "fail"]);
    const database = db(env.DB);
    const item = (key: string) => and(eq(generationItems.generationId, generationId), eq(generationItems.key, key));
    await database.update(generationItems).set({ status: "completed" }).where(item("item-0"));
    await database.update(generationItems).set({ status: "failed" }).where(item("item-1"));
    const counted = (await recount(database, generationId))!;
    const [a, b] = await Promise.all([finalize(env, counted), finalize(env, counted)]);
    expect(a.charged).toBe(COST);
    expect(b.charged).toBe(COST);
    const history = await (await api("/api/credits/history", { token: user.token })).json<{ items: Array<{ kind: string }> }>();
    expect(history.items.filter((e) => e.kind === "capture")).toHaveLength(1);
    expect(await balanceOf(user)).toMatchObject({ balance: 100 - COST, held: 0 });
  });

  it("keeps money exact when the Account object is evicted between every step", async () => {
    const { user, generationId } = await submitUndelivered(["ok", "ok"]);
    const account = accountOf(env, user.userId);
    // Eviction needs a running object: wake it, then drop its memory.
    const evict = async () => {
      await account.ping();
      await evictDurableObject(account);
    };
    await evict();
    const database = db(env.DB);
    await database.update(generationItems).set({ status: "completed" }).where(eq(generationItems.key, "item-0"));
    await evict();
    await database.update(generationItems).set({ status: "failed" }).where(eq(generationItems.key, "item-1"));
    await recover(env, testConfig());
    await evict();
    const g = (await database.select().from(generations).where(eq(generations.id, generationId)).get())!;
    expect(g).toMatchObject({ status: "partial", charged: COST, refunded: COST });
    expect(await balanceOf(user)).toMatchObject({ balance: 100 - COST, held: 0 });
  });

  it("releases a hold whose generation never reached D1 (submit crashed after the reserve)", async () => {
    const user = await register();
    const account = accountOf(env, user.userId);
    const orphan = crypto.randomUUID();
    const reserved = await account.reserve({
      holdId: orphan,
      idempotencyKey: `generation:${orphan}`,
      items: 2,
      unitCost: COST,
      reference: { type: "generation", id: orphan },
      expiresInSeconds: 120,
    });
    expect(reserved.ok).toBe(true);
    expect((await balanceOf(user)).held).toBe(2 * COST);
    // Its first check comes due, then the alarm looks at it (twice: alarms may repeat).
    await runInDurableObject(account, (_instance, state) => {
      state.storage.sql.exec("UPDATE holds SET expires_at = ?", Date.now() - 1);
    });
    await runDurableObjectAlarm(account);
    await runDurableObjectAlarm(account);
    expect(await balanceOf(user)).toMatchObject({ balance: 100, held: 0 });
    const history = await (await api("/api/credits/history", { token: user.token })).json<{ items: Array<{ kind: string }> }>();
    expect(history.items.filter((e) => e.kind === "release")).toHaveLength(1);
  });
});
