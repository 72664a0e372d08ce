import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { AVATAR_COST, avatarCreatorApp, composePrompt } from "../../../worker/apps/avatar-creator/app";
import { db } from "../../../worker/db/client";
import { avatars, generationItems } from "../../../worker/db/schema";
import { GENERATION_QUEUE } from "../../../worker/generations/messages";
import { providerFor } from "../../../worker/ai/select";
import { sniffImage } from "../../../worker/media/sniff";
import { api, errorOf, register, testConfig, type Client } from "../../support/client";
import { balanceOf, createProject, deliver, fetchWith, newKey, recordingQueue, submit, waitForFinal } from "../../support/generations";
import { listAvatars } from "../../support/avatars";

const APP = "avatar-creator";
const SIGNUP = 100;

/** Submits with a queue that only records, so the test delivers (and redelivers) by hand. */
async function submitRecorded(client: Client, body: Record<string, unknown>) {
  const { queue, sent } = recordingQueue();
  const res = await fetchWith({ GENERATION_QUEUE: queue }, `/api/apps/${APP}/generations`, {
    method: "POST",
    token: client.token,
    json: body,
    headers: { "Idempotency-Key": newKey() },
  });
  expect(res.status, await res.clone().text()).toBe(202);
  const { generation } = await res.json<{ generation: { id: string; cost: number } }>();
  return { generation, sent };
}

/** Runs the app's process() for one planned item exactly as the consumer would. */
async function processDirectly(client: Client, generationId: string, key: string) {
  const database = db(env.DB);
  const item = (await database
    .select()
    .from(generationItems)
    .where(and(eq(generationItems.generationId, generationId), eq(generationItems.key, key)))
    .get())!;
  const config = testConfig();
  return avatarCreatorApp.process(JSON.parse(item.params) as Record<string, unknown>, {
    env,
    db: database,
    config,
    userId: client.userId,
    generationId,
    itemKey: key,
    attempt: 1,
    signal: AbortSignal.timeout(10_000),
    provider: providerFor(config, env),
  });
}

const rowsOf = (generationId: string) => db(env.DB).select().from(avatars).where(eq(avatars.generationId, generationId)).all();

describe("avatar generation", () => {
  it("generates avatars through the real queue, charges 10 each and lists each one once", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const res = await submit(alice, { projectId, prompt: "  a friendly astronaut with freckles  ", presetId: "3d-cartoon", style: "pastel colours", count: 3 }, newKey(), APP);
    expect(res.status, await res.clone().text()).toBe(202);
    const { generation } = await res.json<{ generation: { id: string; cost: number } }>();
    expect(generation.cost).toBe(3 * AVATAR_COST);

    const done = await waitForFinal(alice, generation.id);
    expect(done).toMatchObject({ status: "completed", total: 3, completed: 3, charged: 3 * AVATAR_COST, refunded: 0 });
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP - 3 * AVATAR_COST, held: 0 });
    expect(done.items!.map((i) => i.key)).toEqual(["avatar-1", "avatar-2", "avatar-3"]);
    for (const item of done.items!) {
      const image = await api(item.outputUrl!);
      expect(image.status).toBe(200);
      expect(sniffImage(new Uint8Array(await image.arrayBuffer()))).toMatchObject({ width: 512, height: 512 });
    }

    const { items } = await listAvatars(alice, projectId);
    expect(items).toHaveLength(3);
    expect(new Set(items.map((a) => a.id)).size).toBe(3);
    for (const avatar of items) {
      expect(avatar).toMatchObject({ source: "generated", generationId: generation.id, prompt: "a friendly astronaut with freckles", presetId: "3d-cartoon", width: 512, height: 512 });
      expect(avatar.name).toMatch(/^a friendly astronaut with freckles #[1-3]$/);
      expect((await api(avatar.imageUrl)).status).toBe(200);
      expect((await api(avatar.thumbnailUrl)).status).toBe(200);
    }
    // Each avatar has its own files: deleting one leaves the generation's outputs alone.
    expect((await api(`/api/apps/${APP}/avatars/${items[0]!.id}`, { method: "DELETE", token: alice.token })).status).toBe(204);
    expect((await api(done.items![0]!.outputUrl!)).status).toBe(200);
    expect((await listAvatars(alice, projectId)).items).toHaveLength(2);
  });

  it("makes one avatar by default, composing the prompt with the preset and style", async () => {
    expect(composePrompt({ prompt: "a cat", presetId: "pixel-art", style: "blue" })).toBe("a cat, pixel art portrait, 16-bit retro game style, limited palette, crisp pixels, blue");
    expect(composePrompt({ prompt: "a cat" })).toBe("a cat");
    const alice = await register();
    const projectId = await createProject(alice, APP);
    // Fields the client may not set (cost, userId) are ignored, not honoured.
    const res = await submit(alice, { projectId, prompt: "a cat", cost: 0, userId: "someone-else" }, newKey(), APP);
    expect(res.status).toBe(202);
    const done = await waitForFinal(alice, (await res.json<{ generation: { id: string } }>()).generation.id);
    expect(done).toMatchObject({ status: "completed", total: 1, charged: AVATAR_COST });
    expect((await listAvatars(alice, projectId)).items).toHaveLength(1);
  });

  it("validates the body and the project before holding anything", async () => {
    const alice = await register();
    const bob = await register();
    const projectId = await createProject(alice, APP);
    for (const body of [
      { projectId, prompt: "hi" },
      { projectId, prompt: "   hi   " },
      { projectId, prompt: "x".repeat(501) },
      { projectId, prompt: "a cat", count: 0 },
      { projectId, prompt: "a cat", count: 5 },
      { projectId, prompt: "a cat", count: 1.5 },
      { projectId, prompt: "a cat", presetId: "no-such-preset" },
      { prompt: "a cat" },
    ]) {
      const res = await submit(alice, body, newKey(), APP);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await submit(alice, { projectId: await createProject(alice, "pose-generator"), prompt: "a cat" }, newKey(), APP)).status).toBe(404);
    const stolen = await submit(bob, { projectId, prompt: "a cat" }, newKey(), APP);
    expect(stolen.status).toBe(404);
    expect((await errorOf(stolen)).code).toBe("NOT_FOUND");
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP, held: 0 });
    expect(await balanceOf(bob)).toMatchObject({ balance: SIGNUP, held: 0 });
  });

  it("answers 402 when 10 × count is more than the available balance", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    for (let i = 0; i < 2; i++) expect((await submitRecorded(alice, { projectId, prompt: `batch ${i}`, count: 4 })).generation.cost).toBe(40);
    const res = await submit(alice, { projectId, prompt: "one too many", count: 4 }, newKey(), APP);
    expect(res.status).toBe(402);
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP, held: 80, available: 20 });
  });

  it("writes each generated avatar once under redelivery, and shows it only once its item completed", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const { generation, sent } = await submitRecorded(alice, { projectId, prompt: "a knight in silver armour", count: 2 });
    expect(sent).toHaveLength(2);

    // A crash after process() and before the item is marked done runs process() again.
    await processDirectly(alice, generation.id, "avatar-1");
    await processDirectly(alice, generation.id, "avatar-1");
    expect(await rowsOf(generation.id)).toHaveLength(1);
    expect((await listAvatars(alice, projectId)).items).toEqual([]);

    // Duplicates in one batch, then the whole batch again.
    const first = await deliver(GENERATION_QUEUE, [sent[0]!, sent[0]!, sent[1]!]);
    expect(first.explicitAcks).toHaveLength(3);
    const again = await deliver(GENERATION_QUEUE, [sent[0]!, sent[1]!], 2);
    expect(again.explicitAcks).toHaveLength(2);

    const done = await waitForFinal(alice, generation.id);
    expect(done).toMatchObject({ status: "completed", completed: 2, charged: 2 * AVATAR_COST });
    expect(await rowsOf(generation.id)).toHaveLength(2);
    const listed = (await listAvatars(alice, projectId)).items;
    expect(listed.map((a) => a.name).sort()).toEqual(["a knight in silver armour #1", "a knight in silver armour #2"]);
    const files = await env.FILES.list({ prefix: `users/${alice.userId}/projects/${projectId}/avatars/` });
    expect(files.objects).toHaveLength(4);
    expect((await balanceOf(alice)).balance).toBe(SIGNUP - 2 * AVATAR_COST);
  });

  it("never shows (or charges) an avatar whose item failed", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const { generation, sent } = await submitRecorded(alice, { projectId, prompt: "a portrait that will explode-now", count: 1 });
    // The row may exist from an earlier attempt that crashed after process()…
    await processDirectly(alice, generation.id, "avatar-1");
    expect(await rowsOf(generation.id)).toHaveLength(1);
    // …but the item then fails for good (the provider refuses this prompt).
    await deliver(GENERATION_QUEUE, sent, 1, { PROCEDURAL_FAIL_TRIGGER: "explode-now" } as Partial<Env>);
    const done = await waitForFinal(alice, generation.id);
    expect(done).toMatchObject({ status: "failed", charged: 0, refunded: AVATAR_COST });
    expect((await listAvatars(alice, projectId)).items).toEqual([]);
    const id = (await rowsOf(generation.id))[0]!.id;
    expect((await api(`/api/apps/${APP}/avatars/${id}`, { token: alice.token })).status).toBe(404);
    expect((await balanceOf(alice)).balance).toBe(SIGNUP);
  });
});
