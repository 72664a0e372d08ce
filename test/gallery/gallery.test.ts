import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { db } from "../../worker/db/client";
import { galleryRows } from "../../worker/gallery/query";
import { galleryQuery } from "../../worker/gallery/schema";
import { api, expectErrorShape, register } from "../support/client";
import { countedD1, newTally } from "../../bench/support/counting";
import { galleryPage, seedGeneration, wholeGallery } from "../support/gallery";
import { createProject, fetchWith, funded, submit, waitForFinal } from "../support/generations";

const day = (iso: string, hour = 12) => Date.parse(`${iso}T${String(hour).padStart(2, "0")}:00:00Z`);

describe("gallery", () => {
  it("pages 105 outputs at limit=100 newest first, each once, never another user's", async () => {
    const alice = await register();
    const bob = await register();
    const aliceProject = await createProject(alice);
    const bobProject = await createProject(bob);
    const t0 = Date.now() - 60_000;
    // Equal timestamps inside a generation: the id breaks the tie, so nothing repeats or goes missing.
    const older = await seedGeneration(alice, aliceProject, 40, { createdAt: t0 });
    const middle = await seedGeneration(alice, aliceProject, 40, { createdAt: t0 + 1000 });
    const newer = await seedGeneration(alice, aliceProject, 25, { createdAt: t0 + 2000 });
    await seedGeneration(bob, bobProject, 5, { createdAt: t0 + 3000 });

    const first = await galleryPage(alice, { limit: "100" });
    expect(first.items).toHaveLength(100);
    expect(first.nextCursor).not.toBeNull();
    const second = await galleryPage(alice, { limit: "100", cursor: first.nextCursor! });
    expect(second.items).toHaveLength(5);
    expect(second.nextCursor).toBeNull();

    const all = [...first.items, ...second.items];
    const ids = all.map((i) => `${i.generationId}:${i.key}`);
    expect(new Set(ids).size).toBe(105);
    expect(all.filter((i) => i.generationId === newer.id)).toHaveLength(25);
    expect(all.slice(0, 25).every((i) => i.generationId === newer.id)).toBe(true);
    expect(all.slice(25, 65).every((i) => i.generationId === middle.id)).toBe(true);
    expect(all.slice(65).every((i) => i.generationId === older.id)).toBe(true);
    const times = all.map((i) => Date.parse(i.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect((await wholeGallery(bob)).map((i) => i.generationId)).not.toContain(newer.id);
    expect(await wholeGallery(bob)).toHaveLength(5);

    expect((await api("/api/gallery?limit=101", { token: alice.token })).status).toBe(400);
  });

  it("filters by app, status, favourite and UTC days", async () => {
    const user = await register();
    const testProject = await createProject(user);
    const poseProject = await createProject(user, "pose-generator");
    const march1 = await seedGeneration(user, testProject, 2, { createdAt: day("2026-03-01", 23) });
    const march5 = await seedGeneration(user, poseProject, 3, { appId: "pose-generator", createdAt: day("2026-03-05", 0) });
    const failed = await seedGeneration(user, testProject, 1, { createdAt: day("2026-03-06"), status: "failed" });

    const gens = async (params: Record<string, string>) => (await wholeGallery(user, params)).map((i) => `${i.generationId === march1.id ? "m1" : i.generationId === march5.id ? "m5" : "f"}:${i.key}`);
    expect(await gens({})).toEqual(["m5:item-2", "m5:item-1", "m5:item-0", "m1:item-1", "m1:item-0"]);
    expect(await gens({ appId: "pose-generator" })).toEqual(["m5:item-2", "m5:item-1", "m5:item-0"]);
    expect(await gens({ status: "failed" })).toEqual(["f:item-0"]);
    expect((await wholeGallery(user, { status: "failed" }))[0]).toMatchObject({ generationId: failed.id, outputUrl: null, thumbnailUrl: null });
    expect(await gens({ from: "2026-03-02" })).toEqual(["m5:item-2", "m5:item-1", "m5:item-0"]);
    expect(await gens({ to: "2026-03-01" })).toEqual(["m1:item-1", "m1:item-0"]);
    expect(await gens({ from: "2026-03-01", to: "2026-03-04" })).toEqual(["m1:item-1", "m1:item-0"]);
    expect(await gens({ from: "2026-03-05", to: "2026-03-05" })).toEqual(["m5:item-2", "m5:item-1", "m5:item-0"]);

    const res = await api(`/api/generations/${march5.id}/items/item-1/favorite`, { method: "PUT", token: user.token });
    expect(res.status).toBe(204);
    expect(await gens({ favorite: "true" })).toEqual(["m5:item-1"]);
    expect(await gens({ favorite: "false", appId: "pose-generator" })).toEqual(["m5:item-2", "m5:item-0"]);
  });

  it("refuses malformed filters with 400", async () => {
    const user = await register();
    for (const q of [
      "appId=nope",
      "favorite=yes",
      "status=done",
      "from=2026-13-01",
      "to=yesterday",
      "from=2026-03-05&to=2026-03-01",
      "q=",
      `q=${"x".repeat(101)}`,
      "limit=0",
      "cursor=%%%",
      "cursor=bm90LWpzb24",
    ]) {
      const res = await api(`/api/gallery?${q}`, { token: user.token });
      expect(res.status, q).toBe(400);
      await expectErrorShape(res, "VALIDATION_ERROR");
    }
    expect((await api("/api/gallery")).status).toBe(401);
  });

  it("searches prompts literally: % _ and \\ are plain characters, case does not matter", async () => {
    const user = await register();
    const projectId = await createProject(user);
    const prompts = ["100% cotton shirt", "1000 cotton shirts", "snake_case logo", "snakeXcase logo", "back\\slash", "no prompt here"];
    const seeded = new Map<string, string>();
    for (const [i, prompt] of prompts.entries()) seeded.set((await seedGeneration(user, projectId, 1, { prompt, createdAt: Date.now() - i * 1000 })).id, prompt);
    await seedGeneration(user, projectId, 1, { prompt: null });

    const found = async (q: string) => (await wholeGallery(user, { q })).map((i) => seeded.get(i.generationId));
    expect(await found("100%")).toEqual(["100% cotton shirt"]);
    expect(await found("%")).toEqual(["100% cotton shirt"]);
    expect(await found("e_c")).toEqual(["snake_case logo"]);
    expect(await found("_")).toEqual(["snake_case logo"]);
    expect(await found("\\")).toEqual(["back\\slash"]);
    expect(await found("COTTON")).toEqual(["100% cotton shirt", "1000 cotton shirts"]);
    expect(await found("  logo ")).toEqual(["snake_case logo", "snakeXcase logo"]);
    expect(await found("absent")).toEqual([]);
  });

  it("shows real outputs with signed URLs and the prompt, in one D1 query per page", async () => {
    const user = await funded(100);
    const projectId = await createProject(user);
    const res = await submit(user, { projectId, prompt: "tile of the day", items: ["ok", "ok"] });
    const { generation } = await res.json<{ generation: { id: string } }>();
    await waitForFinal(user, generation.id);

    const { items } = await galleryPage(user);
    expect(items.map((i) => [i.generationId, i.key, i.appId, i.projectId, i.prompt, i.favorite])).toEqual([
      [generation.id, "item-1", "test-pipeline", projectId, "tile of the day", false],
      [generation.id, "item-0", "test-pipeline", projectId, "tile of the day", false],
    ]);
    const file = await api(items[0]!.outputUrl!);
    expect(file.status).toBe(200);
    expect(file.headers.get("Content-Type")).toBe("image/png");
    expect(new Uint8Array(await file.arrayBuffer()).slice(1, 4)).toEqual(new TextEncoder().encode("PNG"));
    expect(items[0]!.thumbnailUrl).toMatch(/^\/api\/files\/.+\?exp=\d+&sig=/);

    const tally = newTally();
    const page = await fetchWith({ DB: countedD1(env.DB, tally) }, "/api/gallery?limit=100", { token: user.token });
    expect(page.status).toBe(200);
    // The session check, then the page itself.
    expect(tally).toMatchObject({ d1RoundTrips: 2, d1Reads: 2, d1Writes: 0 });
  });

  it("keeps the prompt of an app that takes one (Pose Generator's textPrompt) and finds the output by it", async () => {
    const user = await funded(100);
    const projectId = await createProject(user, "pose-generator");
    const res = await submit(user, { projectId, generationType: "TEXT_DESCRIPTION", textPrompt: "standing tall with arms_raised, 50% bright", variationCount: 1 }, undefined, "pose-generator");
    expect(res.status).toBe(202);
    const { generation } = await res.json<{ generation: { id: string } }>();
    await waitForFinal(user, generation.id);
    const found = await wholeGallery(user, { q: "arms_raised, 50%" });
    expect(found.map((i) => [i.generationId, i.appId, i.prompt])).toEqual([[generation.id, "pose-generator", "standing tall with arms_raised, 50% bright"]]);
    expect(await wholeGallery(user, { q: "arms raised" })).toEqual([]);
  });

  it("reads each page through the gallery index, with every filter on, without sorting", async () => {
    const filters = galleryQuery(["test-pipeline", "pose-generator"]).parse({
      appId: "pose-generator",
      favorite: "true",
      from: "2026-03-01",
      to: "2026-03-31",
      q: "50%",
      cursor: "WzE3NzIzMjQ4MDAwMDAsImEiXQ",
    });
    const query = galleryRows(db(env.DB), "someone", filters).toSQL();
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
      .bind(...query.params)
      .all<{ detail: string }>();
    const details = plan.results.map((r) => r.detail);
    expect(details.join("\n")).toMatch(/SEARCH generation_items USING INDEX generation_items_gallery_idx/);
    expect(details.join("\n")).toMatch(/SEARCH generations USING INDEX sqlite_autoindex_generations_1/);
    expect(details.join("\n")).not.toMatch(/TEMP B-TREE/);
  });
});
