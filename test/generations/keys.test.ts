/**
 * Idempotency keys and holds tried the way a hostile client would: the same key with
 * another body at once, reused after what it made was deleted, reused after a cancel;
 * holds released under a generation that can still run.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountOf } from "../../worker/account/client";
import { TEST_PIPELINE_COST as COST } from "../support/test-pipeline";
import { db } from "../../worker/db/client";
import { generationItems, generations } from "../../worker/db/schema";
import { GENERATION_QUEUE } from "../../worker/generations/messages";
import { recover } from "../../worker/generations/recovery";
import { api, errorOf, register, testConfig, type Client } from "../support/client";
import { balanceOf, createProject, deliver, getGeneration, newKey, submit, submitCaptured, waitForFinal } from "../support/generations";

const SIGNUP = 100;

const idOf = async (res: Response) => (await res.json<{ generation: { id: string } }>()).generation.id;

async function deleteProject(client: Client, projectId: string) {
  const res = await api(`/api/projects/${projectId}`, { method: "DELETE", token: client.token });
  expect(res.status).toBe(204);
}

describe("an Idempotency-Key names one request", () => {
  it("answers one 202 and one 409 when the same key comes with two bodies at once, and the accepted work is paid", async () => {
    for (let round = 0; round < 8; round++) {
      const user = await register();
      const projectId = await createProject(user);
      const key = newKey();
      const [a, b] = await Promise.all([submit(user, { projectId, prompt: "a red kite", items: ["ok"] }, key), submit(user, { projectId, prompt: "a blue boat", items: ["ok"] }, key)]);
      expect([a.status, b.status].sort()).toEqual([202, 409]);
      const accepted = a.status === 202 ? a : b;
      const done = await waitForFinal(user, await idOf(accepted));
      expect(done).toMatchObject({ status: "completed", charged: COST });
      expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP - COST, held: 0 });
    }
  });

  it("still conflicts after the project it ran in was deleted: a new project and prompt get 409, nothing runs", async () => {
    const user = await register();
    const first = await createProject(user);
    const key = newKey();
    const done = await waitForFinal(user, await idOf(await submit(user, { projectId: first, items: ["ok"] }, key)));
    expect(done.charged).toBe(COST);
    await deleteProject(user, first);

    const second = await createProject(user);
    const reused = await submit(user, { projectId: second, prompt: "something else", items: ["ok"] }, key);
    expect(reused.status).toBe(409);
    expect((await errorOf(reused)).code).toBe("CONFLICT");
    const sameBodyOtherProject = await submit(user, { projectId: second, items: ["ok"] }, key);
    expect(sameBodyOtherProject.status).toBe(409);
    const list = await (await api("/api/generations", { token: user.token })).json<{ items: unknown[] }>();
    expect(list.items).toHaveLength(0);
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP - COST, held: 0 });
  });

  it("after cancel and delete, a reused key conflicts whatever the body, and recovery has nothing to choke on", async () => {
    const user = await register();
    const first = await createProject(user);
    const key = newKey();
    const res = await submit(user, { projectId: first, items: ["retry-forever", "retry-forever"] }, key);
    expect(res.status).toBe(202);
    const id = await idOf(res);
    await api(`/api/generations/${id}/cancel`, { method: "POST", token: user.token });
    const settled = await waitForFinal(user, id);
    expect(settled.charged).toBe(0);
    await deleteProject(user, first);
    const second = await createProject(user);
    for (const body of [
      { projectId: second, items: ["ok", "ok"] },
      { projectId: second, items: ["ok"] },
      { projectId: first, items: ["retry-forever", "retry-forever"] },
    ]) {
      const reused = await submit(user, body, key);
      expect([404, 409]).toContain(reused.status);
    }
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP, held: 0 });
    expect((await recover(env, testConfig())).errors).toBe(0);
  });
});

describe("a hold stays while its generation can complete items", () => {
  it("keeps an expired generation hold whose generation exists, and releases one whose generation never reached D1", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const { sent } = await submitCaptured(user, projectId, ["ok"]);
    const generationId = sent[0]!.generationId;
    const account = accountOf(env, user.userId);
    const orphan = crypto.randomUUID();
    await account.reserve({ holdId: orphan, idempotencyKey: `generation:${orphan}`, items: 1, unitCost: COST, reference: { type: "generation", id: orphan }, expiresInSeconds: 120 });
    await runInDurableObject(account, (_i, state) => {
      state.storage.sql.exec("UPDATE holds SET expires_at = ?", Date.now() - 1);
    });
    await runDurableObjectAlarm(account);
    expect(await account.hold(generationId)).toMatchObject({ status: "open" });
    expect(Date.parse((await account.hold(generationId))!.expiresAt)).toBeGreaterThan(Date.now() + 3600_000);
    expect(await account.hold(orphan)).toMatchObject({ status: "released" });

    await deliver(GENERATION_QUEUE, sent);
    expect(await getGeneration(user, generationId)).toMatchObject({ status: "completed", charged: COST });
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP - COST, held: 0 });
  });

  it("does no work for a generation whose hold was resolved under it, and records the settle as it stands", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const { sent } = await submitCaptured(user, projectId, ["ok", "ok"]);
    const generationId = sent[0]!.generationId;
    // A release that lost a race with the rows (the window the alarm's D1 check leaves).
    await accountOf(env, user.userId).release(generationId);

    await deliver(GENERATION_QUEUE, sent);
    const g = await getGeneration(user, generationId);
    expect(g).toMatchObject({ status: "failed", completed: 0, charged: 0, refunded: 2 * COST });
    expect(g.items!.every((i) => i.status === "failed" && i.outputUrl === null)).toBe(true);
    const files = await env.FILES.list({ prefix: `users/${user.userId}/projects/${projectId}/generations/${generationId}/` });
    expect(files.objects).toHaveLength(0);
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP, held: 0 });
  });

  it("records completed work against a released hold as a settlement mismatch, never as paid or as ok", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const { sent } = await submitCaptured(user, projectId, ["ok"]);
    const generationId = sent[0]!.generationId;
    // The item was done (the release landed after its claim), then the hold was released.
    await db(env.DB).update(generationItems).set({ status: "completed", finishedAt: Date.now() }).where(eq(generationItems.generationId, generationId));
    await accountOf(env, user.userId).release(generationId);
    const report = await recover(env, testConfig());
    expect(report).toMatchObject({ finalized: 1, errors: 0 });
    const row = (await db(env.DB).select().from(generations).where(eq(generations.id, generationId)).get())!;
    expect(row).toMatchObject({ status: "completed", charged: 0, refunded: COST });
    expect(row.error).toMatch(/mismatch/i);
  });
});

describe("recovery is never stopped by one bad row", () => {
  it("logs and counts a generation that cannot settle and still finalizes the others", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const { sent } = await submitCaptured(user, projectId, ["ok"]);
    const good = sent[0]!.generationId;
    await db(env.DB).update(generationItems).set({ status: "failed", finishedAt: Date.now() }).where(eq(generationItems.generationId, good));
    // A generation row with no hold behind it at all (its object lost it): settle cannot succeed.
    const broken = crypto.randomUUID();
    const now = Date.now();
    await db(env.DB)
      .insert(generations)
      .values({ id: broken, userId: user.userId, appId: "test-pipeline", projectId, requestHash: "x", params: "{}", total: 1, unitCost: COST, cost: COST, createdAt: now - 1, updatedAt: now - 1 });
    await db(env.DB)
      .insert(generationItems)
      .values({ id: `${broken}:item-0`, generationId: broken, userId: user.userId, key: "item-0", position: 0, params: "{}", status: "failed", createdAt: now, updatedAt: now, finishedAt: now });

    const report = await recover(env, testConfig());
    expect(report.errors).toBe(1);
    expect(report.finalized).toBeGreaterThanOrEqual(1);
    expect(await getGeneration(user, good)).toMatchObject({ status: "failed", charged: 0, refunded: COST });
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP, held: 0 });
  });
});
