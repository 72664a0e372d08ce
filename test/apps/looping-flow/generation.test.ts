import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LOOP_COST } from "../../../worker/apps/looping-flow/schema";
import { GENERATION_QUEUE } from "../../../worker/generations/messages";
import { sniffImage } from "../../../worker/media/sniff";
import { api, errorOf, register } from "../../support/client";
import { balanceOf, createProject, deliver, newKey, submit, waitForFinal } from "../../support/generations";
import { parseAnimatedWebp } from "../../support/webp-animation";
import { photoPng } from "../../support/avatars";
import { APP, createStill, download, makeLoop, MOUNT, smallLoop, submitRecorded, uploadStill } from "../../support/loops";

const SIGNUP = 100;

describe("looping flow", () => {
  it("turns an uploaded still into a seamless WebP loop with a poster through the real queue, for 20 credits", async () => {
    const alice = await register();
    const apps = await (await api("/api/apps", { token: alice.token })).json<{ apps: { id: string }[] }>();
    expect(apps.apps.find((a) => a.id === APP)).toMatchObject({
      enabled: true,
      credits: { loop: LOOP_COST },
      limits: {
        maxItems: 1,
        ranges: { durationSeconds: { min: 2, max: 8 }, fps: { min: 12, max: 30 }, intensity: { min: 0.1, max: 1 } },
        options: { effects: ["zoom-pulse", "pan", "sway", "ripple", "parallax"], sizes: ["512", "768", "1024"] },
      },
    });

    const projectId = await createProject(alice, APP);
    const still = await createStill(alice, projectId);
    const done = await makeLoop(alice, smallLoop(projectId, { uploadId: still.id }, { effect: "ripple" }));
    expect(done).toMatchObject({ status: "completed", total: 1, completed: 1, cost: LOOP_COST, charged: LOOP_COST, refunded: 0 });
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP - LOOP_COST, held: 0 });

    const item = done.items![0]!;
    expect(item.outputs).toEqual([{ format: "webp", url: expect.any(String), contentType: "image/webp", width: 512, height: 512, frames: 24, durationMs: 2000 }]);
    expect(item.outputUrl).toBe((item.outputs as unknown as { url: string }[])[0]!.url);
    const parsed = parseAnimatedWebp(await download(item.outputUrl!));
    expect(parsed).toMatchObject({ width: 512, height: 512, loopCount: 0, totalMs: 2000 });
    expect(parsed.frames).toHaveLength(24);
    expect(sniffImage(await download(item.posterUrl!))).toMatchObject({ format: "jpeg", width: 512, height: 512 });
    expect(sniffImage(await download(item.thumbnailUrl!))).toMatchObject({ format: "webp", animated: false });
  });

  it("loops an output of another app of the same user, and lists such outputs as sources", async () => {
    const alice = await register();
    const avatarProject = await createProject(alice, "avatar-creator");
    const avatars = await submit(alice, { projectId: avatarProject, prompt: "a lighthouse keeper" }, newKey(), "avatar-creator");
    const avatar = await waitForFinal(alice, (await avatars.json<{ generation: { id: string } }>()).generation.id);
    expect(avatar.status).toBe("completed");

    const sources = await (await api(`${MOUNT}/sources`, { token: alice.token })).json<{ items: { generationId: string; itemKey: string; appId: string; imageUrl: string }[] }>();
    expect(sources.items).toEqual([expect.objectContaining({ generationId: avatar.id, itemKey: "avatar-1", appId: "avatar-creator", width: 512, height: 512 })]);
    expect((await api(sources.items[0]!.imageUrl)).status).toBe(200);

    const projectId = await createProject(alice, APP);
    const done = await makeLoop(alice, smallLoop(projectId, { generationId: avatar.id, itemKey: "avatar-1" }, { effect: "parallax", size: 768 }));
    expect(done).toMatchObject({ status: "completed", charged: LOOP_COST });
    expect(parseAnimatedWebp(await download(done.items![0]!.outputUrl!))).toMatchObject({ width: 768, height: 768 });
    // A loop is no still: it is neither listed as a source nor accepted as one.
    const listed = await (await api(`${MOUNT}/sources`, { token: alice.token })).json<{ items: { generationId: string }[] }>();
    expect(listed.items.map((s) => s.generationId)).toEqual([avatar.id]);
    const loopOfLoop = await submit(alice, smallLoop(projectId, { generationId: done.id, itemKey: "loop" }), newKey(), APP);
    expect(loopOfLoop.status).toBe(422);
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP - 10 - LOOP_COST, held: 0 });
  });

  it("refuses another user's uploads, generations and projects with 404, and holds nothing", async () => {
    const alice = await register();
    const bob = await register();
    const aliceProject = await createProject(alice, APP);
    const bobProject = await createProject(bob, APP);
    const bobStill = await createStill(bob, bobProject);
    const bobAvatars = await submit(bob, { projectId: await createProject(bob, "avatar-creator"), prompt: "a red fox" }, newKey(), "avatar-creator");
    const bobAvatar = await waitForFinal(bob, (await bobAvatars.json<{ generation: { id: string } }>()).generation.id);
    const aliceOther = await createProject(alice, APP);
    const aliceStill = await createStill(alice, aliceOther);

    for (const source of [
      { uploadId: bobStill.id },
      { generationId: bobAvatar.id, itemKey: "avatar-1" },
      // Her own upload, but in another project: uploads belong to the project they were made in.
      { uploadId: aliceStill.id },
      { uploadId: crypto.randomUUID() },
      { generationId: "no-such-generation", itemKey: "loop" },
    ]) {
      const res = await submit(alice, smallLoop(aliceProject, source), newKey(), APP);
      expect(res.status, JSON.stringify(source)).toBe(404);
      expect((await errorOf(res)).code).toBe("NOT_FOUND");
    }
    expect((await submit(alice, smallLoop(bobProject, { uploadId: bobStill.id }), newKey(), APP)).status).toBe(404);
    const intoBob = new FormData();
    intoBob.set("file", new File([new Uint8Array(8)], "x.png"));
    expect((await api(`${MOUNT}/projects/${bobProject}/uploads`, { method: "POST", token: alice.token, body: intoBob })).status).toBe(404);
    // Uploads go into a loop project only.
    expect((await api(`${MOUNT}/projects/${await createProject(alice, "pose-generator")}/uploads`, { method: "POST", token: alice.token, body: intoBob })).status).toBe(404);
    expect((await api(`${MOUNT}/sources`, { token: alice.token })).status).toBe(200);
    expect((await (await api(`${MOUNT}/sources`, { token: alice.token })).json<{ items: unknown[] }>()).items).toEqual([]);
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP, held: 0 });

    // Bob's finished loop is his alone.
    const bobLoop = await makeLoop(bob, smallLoop(bobProject, { uploadId: bobStill.id }));
    expect((await api(`/api/generations/${bobLoop.id}`, { token: alice.token })).status).toBe(404);
  });

  it("validates every field at and beyond its limits before holding anything", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const still = await createStill(alice, projectId);
    const source = { uploadId: still.id };
    for (const extra of [
      { durationSeconds: 1 },
      { durationSeconds: 9 },
      { durationSeconds: 2.5 },
      { fps: 11 },
      { fps: 31 },
      { intensity: 0.05 },
      { intensity: 1.01 },
      { size: 640 },
      { size: "1024" },
      { effect: "spin" },
      { source: {} },
      { source: { uploadId: still.id, generationId: "g", itemKey: "loop" } },
      { source: { uploadId: "../avatars/x" } },
      { source: { generationId: "g" } },
    ]) {
      const res = await submit(alice, smallLoop(projectId, source, extra), newKey(), APP);
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect((await errorOf(res)).code).toBe("VALIDATION_ERROR");
    }
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP, held: 0 });

    // The maxima are accepted: 8 s at 30 fps, 1024², full intensity is 240 frames for 20 credits.
    const { generation, sent } = await submitRecorded(alice, smallLoop(projectId, source, { durationSeconds: 8, fps: 30, size: 1024, intensity: 1 }));
    expect(generation).toMatchObject({ total: 1, cost: LOOP_COST });
    expect(sent).toHaveLength(1);
    const { results } = await env.DB.prepare("SELECT params FROM generation_items WHERE generation_id = ?").bind(generation.id).all<{ params: string }>();
    expect(JSON.parse(results[0]!.params)).toMatchObject({ effect: "zoom-pulse", size: 1024, frames: 240, durationMs: 8000, intensity: 1 });
    // And the minima, with the defaults: 24 fps, 768², intensity 0.5.
    const least = await submitRecorded(alice, { projectId, source, effect: "pan", durationSeconds: 2 });
    const row = await env.DB.prepare("SELECT params FROM generation_items WHERE generation_id = ?").bind(least.generation.id).first<{ params: string }>();
    expect(JSON.parse(row!.params)).toMatchObject({ size: 768, frames: 48, durationMs: 2000, intensity: 0.5 });
  });

  it("answers a replayed key with the first loop, and the key with another body with 409", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const still = await createStill(alice, projectId);
    const key = newKey();
    const body = smallLoop(projectId, { uploadId: still.id });
    const first = await submit(alice, body, key, APP);
    expect(first.status).toBe(202);
    const again = await submit(alice, body, key, APP);
    expect(again.status).toBe(202);
    const id = (await first.json<{ generation: { id: string } }>()).generation.id;
    expect((await again.json<{ generation: { id: string } }>()).generation.id).toBe(id);
    const other = await submit(alice, { ...body, effect: "pan" }, key, APP);
    expect(other.status).toBe(409);
    expect((await errorOf(other)).code).toBe("CONFLICT");
    expect(await waitForFinal(alice, id)).toMatchObject({ status: "completed", charged: LOOP_COST });
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP - LOOP_COST, held: 0 });
  });

  it("takes stills by the upload rules: too small or not an image is refused, and nothing is stored", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const small = await uploadStill(alice, projectId, await photoPng(200, 320));
    expect(small.status).toBe(422);
    const fake = await uploadStill(alice, projectId, new TextEncoder().encode("GIF89a, not a still"));
    expect(fake.status).toBe(415);
    expect((await env.FILES.list({ prefix: `users/${alice.userId}/projects/${projectId}/` })).objects).toEqual([]);
  });

  it("makes one loop and charges once when its message is delivered twice, and again later", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const still = await createStill(alice, projectId);
    const { generation, sent } = await submitRecorded(alice, smallLoop(projectId, { uploadId: still.id }, { effect: "sway" }));
    const first = await deliver(GENERATION_QUEUE, [sent[0]!, sent[0]!]);
    expect(first.explicitAcks).toHaveLength(2);
    const again = await deliver(GENERATION_QUEUE, [sent[0]!], 2);
    expect(again.explicitAcks).toHaveLength(1);

    const done = await waitForFinal(alice, generation.id);
    expect(done).toMatchObject({ status: "completed", completed: 1, charged: LOOP_COST });
    const files = await env.FILES.list({ prefix: `users/${alice.userId}/projects/${projectId}/generations/${generation.id}/` });
    expect(files.objects.map((o) => o.key.split("/").at(-1)).sort()).toEqual(["poster.jpg", "preview.webp", "webp.webp"]);
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP - LOOP_COST, held: 0 });
    const history = await (await api("/api/credits/history", { token: alice.token })).json<{ items: { kind: string }[] }>();
    expect(history.items.filter((e) => e.kind === "capture")).toHaveLength(1);
  });

  it("fails the loop without charging when its source is gone before it renders", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const still = await createStill(alice, projectId);
    const { generation, sent } = await submitRecorded(alice, smallLoop(projectId, { uploadId: still.id }));
    const listing = await env.FILES.list({ prefix: `users/${alice.userId}/projects/${projectId}/stills/` });
    await env.FILES.delete(listing.objects.map((o) => o.key));
    await deliver(GENERATION_QUEUE, sent);
    const done = await waitForFinal(alice, generation.id);
    expect(done).toMatchObject({ status: "failed", charged: 0, refunded: LOOP_COST });
    expect(done.items![0]!.error).toMatch(/no longer available/);
    expect(await balanceOf(alice)).toMatchObject({ balance: SIGNUP, held: 0 });
  });
});
