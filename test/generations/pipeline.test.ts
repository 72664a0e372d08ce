import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "../../worker/db/client";
import { generationItems } from "../../worker/db/schema";
import { TEST_PIPELINE_COST as COST } from "../support/test-pipeline";
import { GENERATION_DLQ, GENERATION_QUEUE } from "../../worker/generations/messages";
import { api, errorOf, register } from "../support/client";
import { balanceOf, createProject, deliver, fetchWith, newKey, submit, submitCaptured, waitForFinal } from "../support/generations";

const SIGNUP = 100;

async function historyKinds(token: string) {
  const res = await api("/api/credits/history?limit=100", { token });
  return (await res.json<{ items: Array<{ kind: string; amount: number }> }>()).items;
}

describe("the generation pipeline, through HTTP and the real queue", () => {
  it("completes every item, stores real images in R2 and charges exactly the completed items", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const res = await submit(user, { projectId, items: ["ok", "ok", "ok"] });
    expect(res.status).toBe(202);
    const { generation } = await res.json<{ generation: { id: string; cost: number; status: string } }>();
    expect(generation.cost).toBe(3 * COST);
    expect(["queued", "processing"]).toContain(generation.status);

    const done = await waitForFinal(user, generation.id);
    expect(done).toMatchObject({ status: "completed", total: 3, completed: 3, failed: 0, charged: 3 * COST, refunded: 0 });
    for (const item of done.items!) {
      expect(item.status).toBe("completed");
      const image = await api(item.outputUrl!);
      expect(image.status).toBe(200);
      expect(image.headers.get("Content-Type")).toMatch(/^image\/(png|jpeg)$/);
      expect(image.headers.get("ETag")).toMatch(/^"[0-9a-f]{32}"$/);
      const bytes = new Uint8Array(await image.arrayBuffer());
      expect(bytes.byteLength).toBeGreaterThan(500);
      expect(item.thumbnailUrl).toMatch(/^\/api\/files\/.+\?.*sig=/);
      expect((await api(item.thumbnailUrl!)).status).toBe(200);
    }
    expect(await balanceOf(user)).toEqual({ balance: SIGNUP - 3 * COST, held: 0, available: SIGNUP - 3 * COST, unlimited: false, dailyQuota: null });
    const history = await historyKinds(user.token);
    expect(history.filter((e) => e.kind === "capture")).toEqual([expect.objectContaining({ amount: -3 * COST })]);
  });

  it("captures only the completed part of a partial failure and releases the rest", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const { generation } = await (await submit(user, { projectId, items: ["ok", "fail", "ok"] })).json<{ generation: { id: string } }>();
    const done = await waitForFinal(user, generation.id);
    expect(done).toMatchObject({ status: "partial", completed: 2, failed: 1, charged: 2 * COST, refunded: COST });
    expect(done.items!.find((i) => i.status === "failed")!.error).toMatch(/refused/);
    expect((await balanceOf(user)).available).toBe(SIGNUP - 2 * COST);
  });

  it("retries a retryable failure and then succeeds", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const { generation } = await (await submit(user, { projectId, items: ["flaky:2"] })).json<{ generation: { id: string } }>();
    const done = await waitForFinal(user, generation.id);
    expect(done).toMatchObject({ status: "completed", completed: 1, charged: COST });
    // Two failed deliveries, then the one that succeeded: three claims of the same item, one charge.
    const [item] = await db(env.DB).select().from(generationItems).where(eq(generationItems.generationId, generation.id));
    expect(item).toMatchObject({ status: "completed", attempts: 3 });
    expect((await historyKinds(user.token)).filter((e) => e.kind === "capture")).toEqual([expect.objectContaining({ amount: -COST })]);
  });

  it("fails an item that exhausts its retries through the dead-letter queue, and never charges it", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const { generation } = await (await submit(user, { projectId, items: ["retry-forever", "ok"] })).json<{ generation: { id: string } }>();
    const done = await waitForFinal(user, generation.id, 30_000);
    expect(done).toMatchObject({ status: "partial", completed: 1, failed: 1, charged: COST, refunded: COST });
    expect(done.items!.find((i) => i.status === "failed")!.error).toMatch(/Gave up after/);
  });

  it("answers 402 and holds nothing when the available balance is short", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const res = await submit(user, { projectId, items: Array(15).fill("ok") });
    expect(res.status).toBe(402);
    expect((await errorOf(res)).code).toBe("INSUFFICIENT_CREDITS");
    expect((await balanceOf(user)).held).toBe(0);
  });

  it("returns the same generation for a replayed Idempotency-Key and 409 for the key with another body", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const key = newKey();
    const first = await (await submit(user, { projectId, items: ["ok"] }, key)).json<{ generation: { id: string } }>();
    const again = await submit(user, { projectId, items: ["ok"] }, key);
    expect(again.status).toBe(202);
    expect((await again.json<{ generation: { id: string } }>()).generation.id).toBe(first.generation.id);
    const other = await submit(user, { projectId, items: ["ok", "ok"] }, key);
    expect(other.status).toBe(409);
    await waitForFinal(user, first.generation.id);
    expect((await balanceOf(user)).balance).toBe(SIGNUP - COST);
  });

  it("lets 20 concurrent identical submissions create one generation and one hold", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const key = newKey();
    const responses = await Promise.all(Array.from({ length: 20 }, () => submit(user, { projectId, items: ["ok", "ok"] }, key)));
    const ids = new Set<string>();
    for (const res of responses) {
      expect([202, 409]).toContain(res.status);
      if (res.status === 202) ids.add((await res.json<{ generation: { id: string } }>()).generation.id);
    }
    expect(ids.size).toBe(1);
    const done = await waitForFinal(user, [...ids][0]!);
    expect(done.charged).toBe(2 * COST);
    expect((await balanceOf(user)).balance).toBe(SIGNUP - 2 * COST);
  });

  it("never lets concurrent generations overdraw: ⌊available / cost⌋ succeed", async () => {
    const user = await register(); // 100 credits, 7 per item → 14 one-item generations fit
    const projectId = await createProject(user);
    const responses = await Promise.all(Array.from({ length: 30 }, () => submit(user, { projectId, items: ["ok"] })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(Math.floor(SIGNUP / COST));
    expect(statuses.filter((s) => s !== 202).every((s) => s === 402)).toBe(true);
    const b = await balanceOf(user);
    expect(b.available).toBe(SIGNUP % COST);
    expect(b.available).toBeGreaterThanOrEqual(0);
  });

  it("rejects a project of another user with 404 and charges nothing", async () => {
    const alice = await register();
    const bob = await register();
    const aliceProject = await createProject(alice);
    const res = await submit(bob, { projectId: aliceProject, items: ["ok"] });
    expect(res.status).toBe(404);
    expect((await balanceOf(bob)).held).toBe(0);
  });

  it("requires an Idempotency-Key and validates the body with the app's schema", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const noKey = await api("/api/apps/test-pipeline/generations", { method: "POST", token: user.token, json: { projectId, items: ["ok"] } });
    expect(noKey.status).toBe(400);
    const bad = await submit(user, { projectId, items: [] });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).code).toBe("VALIDATION_ERROR");
    const unknown = await submit(user, { projectId }, newKey(), "no-such-app");
    expect(unknown.status).toBe(404);
  });
});

describe("the pipeline under faults", () => {
  it("releases the hold and fails the generation when the queue send fails", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const { response: res } = await submitCaptured(user, projectId, ["ok", "ok"], "fail");
    expect(res.status).toBe(503);
    const { generationId } = (await errorOf(res)).details as { generationId: string };
    const list = await api(`/api/generations/${generationId}`, { token: user.token });
    expect(await list.json()).toMatchObject({ status: "failed", charged: 0, refunded: 2 * COST });
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP, held: 0, available: SIGNUP });
    expect((await historyKinds(user.token)).some((e) => e.kind === "capture")).toBe(false);
  });

  it("releases the hold when the D1 write fails", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const failingDb = new Proxy(env.DB, {
      get(target, prop, receiver) {
        if (prop === "batch") return async () => Promise.reject(new Error("D1 is down"));
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const res = await fetchWith({ DB: failingDb }, "/api/apps/test-pipeline/generations", {
      method: "POST",
      token: user.token,
      json: { projectId, items: ["ok"] },
      headers: { "Idempotency-Key": newKey() },
    });
    expect(res.status).toBe(503);
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP, held: 0 });
  });

  it("processes a duplicated message once: one output, one charge; redelivery after success is a no-op", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const { response: res, sent } = await submitCaptured(user, projectId, ["ok"]);
    expect(res.status).toBe(202);
    expect(sent).toHaveLength(1);
    const first = await deliver(GENERATION_QUEUE, [sent[0]!, sent[0]!]);
    expect(first.explicitAcks).toHaveLength(2);
    const again = await deliver(GENERATION_QUEUE, [sent[0]!], 2);
    expect(again.explicitAcks).toHaveLength(1);
    const done = await waitForFinal(user, sent[0]!.generationId);
    expect(done).toMatchObject({ status: "completed", charged: COST });
    const listing = await env.FILES.list({ prefix: `users/${user.userId}/projects/${projectId}/generations/${done.id}/` });
    expect(listing.objects.map((o) => o.key).filter((k) => k.includes("/original."))).toHaveLength(1);
    expect((await historyKinds(user.token)).filter((e) => e.kind === "capture")).toHaveLength(1);
  });

  it("asks the queue to retry a retryable failure and fails a permanent one at once", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const { sent } = await submitCaptured(user, projectId, ["flaky:1", "fail"]);
    const result = await deliver(GENERATION_QUEUE, sent);
    expect(result.retryMessages).toHaveLength(1);
    expect(result.explicitAcks).toHaveLength(1);
    const retried = await deliver(GENERATION_QUEUE, [sent[0]!], 2);
    expect(retried.explicitAcks).toHaveLength(1);
    const done = await waitForFinal(user, sent[0]!.generationId);
    expect(done).toMatchObject({ status: "partial", charged: COST, refunded: COST });
  });

  it("fails dead-lettered items and finalizes without charging them", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const { sent } = await submitCaptured(user, projectId, ["ok", "ok"]);
    const dlq = await deliver(GENERATION_DLQ, sent, 5);
    expect(dlq.explicitAcks).toHaveLength(2);
    const done = await waitForFinal(user, sent[0]!.generationId);
    expect(done).toMatchObject({ status: "failed", charged: 0, refunded: 2 * COST });
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP, held: 0 });
    // A late delivery of the original message changes nothing.
    await deliver(GENERATION_QUEUE, sent, 1);
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP, held: 0 });
  });

  it("cancels queued items: never charged, and their late delivery does nothing", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const { sent } = await submitCaptured(user, projectId, ["ok", "ok", "ok"]);
    await deliver(GENERATION_QUEUE, [sent[0]!]);
    const res = await api(`/api/generations/${sent[0]!.generationId}/cancel`, { method: "POST", token: user.token });
    expect(res.status).toBe(200);
    const { generation } = await res.json<{ generation: { status: string; charged: number; refunded: number; cancelled: number } }>();
    expect(generation).toMatchObject({ status: "cancelled", cancelled: 2, charged: COST, refunded: 2 * COST });
    await deliver(GENERATION_QUEUE, sent);
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP - COST, held: 0 });
  });

  it("hides another user's generation (404) and does not let them cancel it", async () => {
    const alice = await register();
    const bob = await register();
    const projectId = await createProject(alice);
    const { generation } = await (await submit(alice, { projectId, items: ["ok"] })).json<{ generation: { id: string } }>();
    expect((await api(`/api/generations/${generation.id}`, { token: bob.token })).status).toBe(404);
    expect((await api(`/api/generations/${generation.id}/cancel`, { method: "POST", token: bob.token })).status).toBe(404);
    const list = await (await api("/api/generations", { token: bob.token })).json<{ items: unknown[] }>();
    expect(list.items).toHaveLength(0);
    await waitForFinal(alice, generation.id);
  });
});
