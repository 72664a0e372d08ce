/** Video Mixer generations: distinct variants remuxed from key-frame segments, paid per variant, owned by their user. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_VARIANTS, VARIANT_COST } from "../../../worker/apps/video-mixer/app";
import type { ClipView } from "../../../worker/apps/video-mixer/clips";
import type { VariantView } from "../../../worker/apps/video-mixer/variants";
import { GENERATION_QUEUE } from "../../../worker/generations/messages";
import { api, errorOf, expectErrorShape, register, type Client } from "../../support/client";
import { balanceOf, createProject, deliver, fetchWith, funded, newKey, recordingQueue, submit, waitForFinal } from "../../support/generations";
import { keyOf } from "../../support/avatars";
import { clip144p, clipA, clipB } from "./fixtures/clips";
import { fixtureBytes, packetsOf, uploadClip, videoApi } from "../../support/video-mixer";

const APP = "video-mixer";
const SIGNUP = 100;
const FRAME_SECONDS = 1 / 30;

async function studio(user: Client) {
  const projectId = await createProject(user, APP);
  const a = await uploadClip(user, projectId, fixtureBytes(clipA), "a.mp4");
  const b = await uploadClip(user, projectId, fixtureBytes(clipB), "b.mp4");
  return { projectId, a, b };
}

async function variantsOf(user: Client, generationId: string): Promise<VariantView[]> {
  const res = await videoApi(`/generations/${generationId}/variants`, { token: user.token });
  expect(res.status).toBe(200);
  return (await res.json<{ variants: VariantView[] }>()).variants;
}

/** What the sources hold in one segment: packets by decode order, audio by the middle of each packet. */
async function expectedPackets(clips: Map<string, ClipView>, sequence: VariantView["sequence"]) {
  let video = 0;
  for (const step of sequence) {
    const source = await packetsOf(keyOf(clips.get(step.clipId)!.videoUrl!));
    video += source.video.filter((p) => p.timestamp * 1000 >= step.startMs - 1 && p.timestamp * 1000 < step.endMs - 1).length;
  }
  return video;
}

describe("mixing clips into variants", () => {
  it("makes 3 distinct variants, each as long as its segments, starting on a key frame, with every frame and the audio", async () => {
    const user = await register();
    const { projectId, a, b } = await studio(user);
    const res = await submit(user, { projectId, clipIds: [a.id, b.id], variants: 3, segmentSeconds: 1, lengthSeconds: 4, seed: 7 }, undefined, APP);
    expect(res.status, await res.clone().text()).toBe(202);
    const { generation } = await res.json<{ generation: { id: string; cost: number } }>();
    expect(generation.cost).toBe(3 * VARIANT_COST);
    const done = await waitForFinal(user, generation.id);
    expect(done).toMatchObject({ status: "completed", completed: 3, charged: 3 * VARIANT_COST, refunded: 0 });
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP - 3 * VARIANT_COST, held: 0 });

    const clips = new Map([a, b].map((c) => [c.id, c]));
    const variants = await variantsOf(user, generation.id);
    expect(variants).toHaveLength(3);
    const signatures = new Set(variants.map((v) => JSON.stringify(v.sequence)));
    expect(signatures.size).toBe(3);
    const sizes = new Set<number>();
    for (const v of variants) {
      expect(v.status).toBe("completed");
      expect(v.posterUrl).toBeNull();
      const [mp4] = v.outputs;
      expect(mp4).toMatchObject({ format: "mp4", width: 320, height: 180 });
      const segmentsMs = v.sequence.reduce((sum, s) => sum + (s.endMs - s.startMs), 0);
      expect(segmentsMs).toBeLessThanOrEqual(4000);
      expect(Math.abs(mp4!.durationMs - segmentsMs)).toBeLessThanOrEqual(FRAME_SECONDS * 1000);
      // Every segment starts on one of its clip's key frames.
      for (const s of v.sequence) expect(clips.get(s.clipId)!.keyframesMs).toContain(s.startMs);

      const out = await packetsOf(keyOf(mp4!.url));
      expect(Math.abs(out.durationSeconds * 1000 - segmentsMs)).toBeLessThanOrEqual(FRAME_SECONDS * 1000);
      expect(out.video[0]!.type).toBe("key");
      expect(out.video).toHaveLength(await expectedPackets(clips, v.sequence));
      expect(out.audio.length).toBeGreaterThan(0);
      expect(Math.abs(out.audio.at(-1)!.timestamp + out.audio.at(-1)!.duration - out.durationSeconds)).toBeLessThan(0.05);
      const head = await env.FILES.head(keyOf(mp4!.url));
      expect(head!.size).toBe(mp4!.sizeBytes);
      sizes.add(head!.size);
      // The index is at the front (fast start): moov comes before mdat.
      const start = new Uint8Array(await (await env.FILES.get(keyOf(mp4!.url), { range: { offset: 0, length: 64 } }))!.arrayBuffer());
      expect(String.fromCharCode(...start.subarray(4, 8))).toBe("ftyp");
      const second = new DataView(start.buffer).getUint32(0);
      expect(String.fromCharCode(...start.subarray(second + 4, second + 8))).toBe("moov");
    }
    expect(sizes.size).toBeGreaterThan(1);

    // Served with Range, for seeking in the page.
    const ranged = await api(variants[0]!.outputs[0]!.url, { headers: { Range: "bytes=0-99" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("Content-Type")).toBe("video/mp4");
    expect(ranged.headers.get("Content-Range")).toBe(`bytes 0-99/${variants[0]!.outputs[0]!.sizeBytes}`);
  });

  it("mutes the audio when asked", async () => {
    const user = await register();
    const { projectId, a, b } = await studio(user);
    const res = await submit(user, { projectId, clipIds: [a.id, b.id], variants: 1, audio: "mute", lengthSeconds: 5 }, undefined, APP);
    const done = await waitForFinal(user, (await res.json<{ generation: { id: string } }>()).generation.id);
    expect(done.status).toBe("completed");
    const [variant] = await variantsOf(user, done.id);
    const out = await packetsOf(keyOf(variant!.outputs[0]!.url));
    expect(out.audio).toEqual([]);
    expect(out.video.length).toBeGreaterThan(0);
  });

  it("keeps the first clip's opening first with order keep-first", async () => {
    const user = await register();
    const { projectId, a, b } = await studio(user);
    const res = await submit(user, { projectId, clipIds: [b.id, a.id], variants: 4, order: "keep-first", segmentSeconds: 1, lengthSeconds: 3 }, undefined, APP);
    const done = await waitForFinal(user, (await res.json<{ generation: { id: string } }>()).generation.id);
    for (const v of await variantsOf(user, done.id)) expect(v.sequence[0]).toEqual({ clipId: b.id, startMs: 0, endMs: 1000 });
  });

  it("refuses clips of different formats with 422 naming the settings that differ, and charges nothing", async () => {
    const user = await register();
    const { projectId, a } = await studio(user);
    const small = await uploadClip(user, projectId, fixtureBytes(clip144p), "bars.mp4");
    expect(small.status).toBe("ready");
    expect(small.formatKey).not.toBe(a.formatKey);
    const res = await submit(user, { projectId, clipIds: [a.id, small.id], variants: 1 }, undefined, APP);
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.message).toMatch(/same format as "a\.mp4"/);
    expect(error.message).toMatch(/"bars\.mp4" \(.*resolution: 320×180 vs 256×144/);
    expect(error.message).not.toMatch(/frame rate|audio/);
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP, held: 0 });
  });

  it("refuses more variants than distinct sequences exist with 422 naming the maximum", async () => {
    const user = await register();
    const { projectId, a, b } = await studio(user);
    // Whole clips as segments (10 s), 120 s long: the two orders of both clips are all there is.
    const res = await submit(user, { projectId, clipIds: [a.id, b.id], variants: 3, segmentSeconds: 10, lengthSeconds: 120 }, undefined, APP);
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.message).toMatch(/Only 2 distinct variants exist/);
    expect(error.details).toEqual({ maximum: 2 });
  });

  it(`takes ${MAX_VARIANTS} variants, each distinct and each charged`, async () => {
    const user = await funded(MAX_VARIANTS * VARIANT_COST);
    const { projectId, a, b } = await studio(user);
    const res = await submit(user, { projectId, clipIds: [a.id, b.id], variants: MAX_VARIANTS, segmentSeconds: 1, lengthSeconds: 3 }, undefined, APP);
    expect(res.status, await res.clone().text()).toBe(202);
    const done = await waitForFinal(user, (await res.json<{ generation: { id: string } }>()).generation.id, 120_000);
    expect(done).toMatchObject({ status: "completed", completed: MAX_VARIANTS, charged: MAX_VARIANTS * VARIANT_COST });
    const variants = await variantsOf(user, done.id);
    expect(new Set(variants.map((v) => JSON.stringify(v.sequence))).size).toBe(MAX_VARIANTS);
    const over = await submit(user, { projectId, clipIds: [a.id, b.id], variants: MAX_VARIANTS + 1 }, undefined, APP);
    expect(over.status).toBe(400);
    await expectErrorShape(over, "VALIDATION_ERROR");
  }, 120_000);

  it("takes 20 clips and a 120 s length: one variant of every whole clip", async () => {
    const user = await register();
    const projectId = await createProject(user, APP);
    const clips: ClipView[] = [];
    for (let i = 0; i < 20; i++) clips.push(await uploadClip(user, projectId, fixtureBytes(i % 2 ? clipB : clipA), `clip-${i}.mp4`));
    const res = await submit(user, { projectId, clipIds: clips.map((c) => c.id), variants: 1, segmentSeconds: 10, lengthSeconds: 120 }, undefined, APP);
    expect(res.status, await res.clone().text()).toBe(202);
    const done = await waitForFinal(user, (await res.json<{ generation: { id: string } }>()).generation.id, 60_000);
    expect(done.status).toBe("completed");
    const [variant] = await variantsOf(user, done.id);
    expect(variant!.sequence).toHaveLength(20);
    expect(variant!.outputs[0]!.durationMs).toBe(10 * 4000 + 10 * 3000);
    const over = await submit(user, { projectId, clipIds: [...clips.map((c) => c.id), "one-more"], variants: 1 }, undefined, APP);
    expect(over.status).toBe(400);
  }, 90_000);

  it("a duplicate delivery makes one output and one charge", async () => {
    const user = await register();
    const { projectId, a, b } = await studio(user);
    const { queue, sent } = recordingQueue();
    const res = await fetchWith({ GENERATION_QUEUE: queue }, `/api/apps/${APP}/generations`, {
      method: "POST",
      token: user.token,
      json: { projectId, clipIds: [a.id, b.id], variants: 2, segmentSeconds: 1, lengthSeconds: 3 },
      headers: { "Idempotency-Key": newKey() },
    });
    expect(res.status).toBe(202);
    expect(sent).toHaveLength(2);
    // Both messages twice in one batch, then the first again on its own.
    await deliver(GENERATION_QUEUE, [...sent, ...sent]);
    await deliver(GENERATION_QUEUE, [sent[0]!], 2);
    const id = sent[0]!.generationId;
    const done = await waitForFinal(user, id);
    expect(done).toMatchObject({ status: "completed", completed: 2, charged: 2 * VARIANT_COST });
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP - 2 * VARIANT_COST, held: 0 });
    const listing = await env.FILES.list({ prefix: `users/${user.userId}/projects/${projectId}/generations/${id}/` });
    expect(listing.objects.map((o) => o.key).sort()).toEqual([
      `users/${user.userId}/projects/${projectId}/generations/${id}/variant-1/original.mp4`,
      `users/${user.userId}/projects/${projectId}/generations/${id}/variant-2/original.mp4`,
    ]);
    const history = await (await api("/api/credits/history", { token: user.token })).json<{ items: { kind: string; amount: number }[] }>();
    expect(history.items.filter((e) => e.kind === "capture")).toHaveLength(1);
  });

  it("a replayed request answers the same generation and charges once; the same key with another body is a 409", async () => {
    const user = await register();
    const { projectId, a, b } = await studio(user);
    const key = newKey();
    const body = { projectId, clipIds: [a.id, b.id], variants: 2, segmentSeconds: 1, lengthSeconds: 3 };
    const first = await (await submit(user, body, key, APP)).json<{ generation: { id: string } }>();
    const again = await submit(user, body, key, APP);
    expect(again.status).toBe(202);
    expect((await again.json<{ generation: { id: string } }>()).generation.id).toBe(first.generation.id);
    const other = await submit(user, { ...body, variants: 3 }, key, APP);
    expect(other.status).toBe(409);
    await waitForFinal(user, first.generation.id);
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP - 2 * VARIANT_COST, held: 0 });
  });

  it("another user's clips, project and variants are 404, and nothing is charged", async () => {
    const owner = await register();
    const other = await register();
    const { projectId, a, b } = await studio(owner);
    const res = await submit(owner, { projectId, clipIds: [a.id, b.id], variants: 1 }, undefined, APP);
    const done = await waitForFinal(owner, (await res.json<{ generation: { id: string } }>()).generation.id);

    const theirs = await videoApi(`/generations/${done.id}/variants`, { token: other.token });
    expect(theirs.status).toBe(404);
    await expectErrorShape(theirs, "NOT_FOUND");
    expect((await api(`/api/generations/${done.id}`, { token: other.token })).status).toBe(404);
    // Their own project, the owner's clip ids.
    const ownProject = await createProject(other, APP);
    const borrowed = await submit(other, { projectId: ownProject, clipIds: [a.id, b.id], variants: 1 }, undefined, APP);
    expect(borrowed.status).toBe(404);
    expect((await errorOf(borrowed)).message).toBe("Clip not found");
    expect((await submit(other, { projectId, clipIds: [a.id, b.id], variants: 1 }, undefined, APP)).status).toBe(404);
    expect(await balanceOf(other)).toMatchObject({ balance: SIGNUP, held: 0 });
  });
});
