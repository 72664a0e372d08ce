/** Admin generations: every user's work, dead letters with their last error, and retries charged only for what completes. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { adminApi, auditOf, registerAdmin } from "../support/admin";
import { type Client, errorOf, register } from "../support/client";
import { balanceOf, createProject, submit, submitCaptured, waitForFinal } from "../support/generations";
import { TEST_PIPELINE_COST } from "../support/test-pipeline";

interface DeadLetter {
  generationId: string;
  itemKey: string;
  userId: string;
  appId: string;
  error: string | null;
}

async function finished(user: Client, items: string[]) {
  const projectId = await createProject(user);
  const res = await submit(user, { projectId, items });
  expect(res.status).toBe(202);
  const { generation } = await res.json<{ generation: { id: string } }>();
  return waitForFinal(user, generation.id);
}

const retry = (admin: Client, id: string, key = `retry-${crypto.randomUUID()}`) => adminApi(admin, `/generations/${id}/retry`, { method: "POST", headers: { "Idempotency-Key": key } });

describe("admin generations", () => {
  it("lists any user's generations by status and user, and their failed items as dead letters", async () => {
    const admin = await registerAdmin();
    const user = await register();
    const g = await finished(user, ["ok", "fail"]);
    expect(g.status).toBe("partial");

    const listed = await adminApi(admin, `/generations?userId=${user.userId}&status=partial`);
    expect(listed.status).toBe(200);
    const { items } = await listed.json<{ items: { id: string; userId: string; charged: number }[] }>();
    expect(items).toEqual([expect.objectContaining({ id: g.id, userId: user.userId, charged: TEST_PIPELINE_COST })]);
    expect((await (await adminApi(admin, `/generations?userId=${user.userId}&status=completed`)).json<{ items: unknown[] }>()).items).toEqual([]);

    const dead = await (await adminApi(admin, "/dead-letters?appId=test-pipeline&limit=100")).json<{ items: DeadLetter[] }>();
    expect(dead.items.filter((d) => d.generationId === g.id)).toEqual([
      expect.objectContaining({ itemKey: "item-1", userId: user.userId, appId: "test-pipeline", error: "refused by the test provider" }),
    ]);
    expect((await adminApi(admin, "/generations?status=bogus")).status).toBe(400);
  });

  it("re-runs only the failed items under a new hold: nothing charged when they fail again, their cost when they complete", async () => {
    const admin = await registerAdmin();
    const user = await register();
    const original = await finished(user, ["ok", "fail"]);
    expect(await balanceOf(user)).toMatchObject({ balance: 100 - TEST_PIPELINE_COST, held: 0 });

    const again = await retry(admin, original.id);
    expect(again.status).toBe(202);
    const first = (await again.json<{ generation: { id: string; total: number } }>()).generation;
    expect(first.total).toBe(1);
    expect(await waitForFinal(user, first.id)).toMatchObject({ status: "failed", charged: 0, refunded: TEST_PIPELINE_COST });
    expect(await balanceOf(user)).toMatchObject({ balance: 100 - TEST_PIPELINE_COST, held: 0 });

    // The provider recovers for this item.
    await env.DB.prepare("UPDATE generation_items SET params = replace(params, '\"fail\"', '\"ok\"') WHERE generation_id = ? AND key = 'item-1'").bind(original.id).run();
    const key = `retry-${crypto.randomUUID()}`;
    const second = (await (await retry(admin, original.id, key)).json<{ generation: { id: string } }>()).generation;
    const done = await waitForFinal(user, second.id);
    expect(done).toMatchObject({ status: "completed", total: 1, charged: TEST_PIPELINE_COST });
    expect(done.items?.map((i) => [i.key, i.status])).toEqual([["item-1", "completed"]]);
    expect(await balanceOf(user)).toMatchObject({ balance: 100 - 2 * TEST_PIPELINE_COST, held: 0 });

    // A replayed retry answers the same generation and charges nothing more.
    const replay = await retry(admin, original.id, key);
    expect(replay.status).toBe(202);
    expect((await replay.json<{ generation: { id: string } }>()).generation.id).toBe(second.id);
    expect(await balanceOf(user)).toMatchObject({ balance: 100 - 2 * TEST_PIPELINE_COST, held: 0 });
    // The original stays as it was settled.
    expect(await waitForFinal(user, original.id)).toMatchObject({ status: "partial", charged: TEST_PIPELINE_COST });

    const rows = await auditOf(admin, original.id, "admin.generation.retry");
    expect(rows.map((r) => (r.after as { retryGenerationId: string }).retryGenerationId).sort()).toEqual([first.id, second.id].sort());
  });

  it("refuses a retry of a running generation (409), one with nothing failed (422) and an unknown one (404)", async () => {
    const admin = await registerAdmin();
    const user = await register();
    const projectId = await createProject(user);
    const { response } = await submitCaptured(user, projectId, ["fail"]);
    const running = (await response.json<{ generation: { id: string } }>()).generation;
    const busy = await retry(admin, running.id);
    expect(busy.status).toBe(409);
    expect((await errorOf(busy)).code).toBe("CONFLICT");

    const clean = await finished(user, ["ok"]);
    expect((await retry(admin, clean.id)).status).toBe(422);
    expect((await retry(admin, "no-such-generation")).status).toBe(404);
    const noKey = await adminApi(admin, `/generations/${clean.id}/retry`, { method: "POST" });
    expect(noKey.status).toBe(400);
    expect(await auditOf(admin, clean.id)).toEqual([]);
  });
});
