import { SELF, env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../../../worker/db/client";
import { generationItems } from "../../../worker/db/schema";
import { decodeImage } from "../../../worker/media/decode";
import { encodeRgba } from "../../../worker/media/encode";
import { createRgba } from "../../../worker/media/rgba";
import { sniffImage } from "../../../worker/media/sniff";
import { api, BASE, errorOf, register, type Client } from "../../support/client";
import { changeUser } from "../../support/users";
import { balanceOf, createProject, submit, waitForFinal } from "../../support/generations";

const APP = "pose-generator";
const POSES = ["standing-relaxed", "standing-arms-crossed"];

async function poseIds(client: Client, n: number): Promise<string[]> {
  const res = await api("/api/apps/pose-generator/library?limit=10", { token: client.token });
  const { items } = await res.json<{ items: Array<{ id: string }> }>();
  return items.slice(0, n).map((p) => p.id);
}

async function download(url: string): Promise<Uint8Array> {
  const res = await api(url);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

function png(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const image = createRgba(width, height);
  for (let i = 0; i < image.data.length; i += 4) image.data.set([...rgb, 255], i);
  return encodeRgba(image, { format: "png" }).bytes;
}

function upload(client: Client, path: string, bytes: Uint8Array, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set("file", new File([bytes], "picture.png", { type: "image/png" }));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return SELF.fetch(`${BASE}${path}`, { method: "POST", body: form, headers: { Authorization: `Bearer ${client.token}` } });
}

describe("Pose Generator, end to end through the queue", () => {
  it("renders gallery poses on a solid background in every requested export size and charges 40 per pose", async () => {
    const user = await register();
    const projectId = await createProject(user, APP);
    const selectedPoseIds = await poseIds(user, 2);
    const res = await submit(
      user,
      {
        projectId,
        generationType: "GALLERY_REFERENCE",
        selectedPoseIds,
        batchSize: 1,
        useBackgroundChanger: true,
        backgroundMode: "solid_color",
        backgroundColor: "#1E90FF",
        outputFormats: ["original", "instagram_post", "instagram_story", "thumbnail"],
      },
      undefined,
      APP,
    );
    expect(res.status).toBe(202);
    const done = await waitForFinal(user, (await res.json<{ generation: { id: string } }>()).generation.id, 60_000);
    expect(done).toMatchObject({ status: "completed", total: 2, completed: 2, charged: 80, refunded: 0 });
    const expected = { original: [768, 1024], instagram_post: [1080, 1080], instagram_story: [1080, 1920], thumbnail: [400, 400], preview: [240, 320] } as const;
    // The rows record where each output went and its size, nothing of the pixels it was made from.
    for (const row of await db(env.DB).select({ outputs: generationItems.outputs }).from(generationItems).where(eq(generationItems.generationId, done.id))) {
      const stored = JSON.parse(row.outputs!) as Record<string, Record<string, unknown>>;
      expect(Object.keys(stored).sort()).toEqual(Object.keys(expected).sort());
      for (const facts of Object.values(stored)) expect(Object.keys(facts).sort()).toEqual(["contentType", "height", "key", "width"]);
    }
    for (const item of done.items!) {
      if (Array.isArray(item.outputs)) throw new Error("image apps map their outputs by format");
      for (const [format, [w, h]] of Object.entries(expected)) {
        const bytes = await download(item.outputs[format]!.url);
        expect(sniffImage(bytes)).toMatchObject({ width: w, height: h });
      }
      // The corner is background: the chosen colour, not the generated scene.
      const { image } = await decodeImage(await download(item.outputs.original!.url));
      const [r, g, b] = image.data.subarray(0, 3);
      expect(Math.abs(r! - 0x1e) + Math.abs(g! - 0x90) + Math.abs(b! - 0xff)).toBeLessThan(24);
    }
    expect((await balanceOf(user)).balance).toBe(20);
  });

  it("renders a text prompt × variations at 30 per pose", async () => {
    const user = await register();
    const projectId = await createProject(user, APP);
    const res = await submit(user, { projectId, generationType: "TEXT_DESCRIPTION", textPrompt: "  standing tall with both arms raised  ", variationCount: 2 }, undefined, APP);
    expect(res.status).toBe(202);
    const done = await waitForFinal(user, (await res.json<{ generation: { id: string } }>()).generation.id, 60_000);
    expect(done).toMatchObject({ status: "completed", completed: 2, charged: 60 });
    const [a, b] = await Promise.all(done.items!.map((i) => download(i.outputUrl!)));
    expect(a).not.toEqual(b);
  });

  it("composites an uploaded background and a generated one", async () => {
    const user = await register();
    const projectId = await createProject(user, APP);
    const up = await upload(user, `/api/apps/pose-generator/projects/${projectId}/backgrounds`, png(300, 400, [200, 30, 30]));
    expect(up.status).toBe(201);
    const background = await up.json<{ id: string }>();
    const [pose] = await poseIds(user, 1);
    const uploaded = await submit(
      user,
      { projectId, generationType: "GALLERY_REFERENCE", selectedPoseIds: [pose], useBackgroundChanger: true, backgroundMode: "upload", backgroundUploadId: background.id },
      undefined,
      APP,
    );
    expect(uploaded.status).toBe(202);
    const generated = await submit(
      user,
      { projectId, generationType: "GALLERY_REFERENCE", selectedPoseIds: [pose], useBackgroundChanger: true, backgroundMode: "ai_generate", backgroundPrompt: "a quiet beach at dawn" },
      undefined,
      APP,
    );
    expect(generated.status).toBe(202);
    const first = await waitForFinal(user, (await uploaded.json<{ generation: { id: string } }>()).generation.id, 60_000);
    const second = await waitForFinal(user, (await generated.json<{ generation: { id: string } }>()).generation.id, 60_000);
    expect(first).toMatchObject({ status: "completed", charged: 40 });
    expect(second).toMatchObject({ status: "completed", charged: 40 });
    const { image } = await decodeImage(await download(first.items![0]!.outputUrl!));
    const [r, g, b] = image.data.subarray(0, 3);
    expect(r).toBeGreaterThan(170);
    expect(g! + b!).toBeLessThan(110);
  });

  it("charges an unlimited user nothing but records the usage", async () => {
    const user = await register();
    await changeUser(user.userId, { tags: ["enterprise_unlimited"] });
    const projectId = await createProject(user, APP);
    const selectedPoseIds = await poseIds(user, 3);
    const res = await submit(
      user,
      { projectId, generationType: "GALLERY_REFERENCE", selectedPoseIds, useBackgroundChanger: true, backgroundMode: "solid_color", backgroundColor: "#000000" },
      undefined,
      APP,
    );
    expect(res.status).toBe(202);
    const done = await waitForFinal(user, (await res.json<{ generation: { id: string } }>()).generation.id, 60_000);
    expect(done).toMatchObject({ status: "completed", cost: 0, charged: 0 });
    expect(await balanceOf(user)).toMatchObject({ balance: 100, unlimited: true });
    const history = await (await api("/api/credits/history", { token: user.token })).json<{ items: Array<{ kind: string; amount: number }> }>();
    expect(history.items.find((e) => e.kind === "usage")).toMatchObject({ amount: 0 });
  });
});

describe("Pose Generator requests that are refused before anything is charged", () => {
  it("prices the background changer into the 402", async () => {
    const user = await register();
    const projectId = await createProject(user, APP);
    const selectedPoseIds = await poseIds(user, 3);
    const res = await submit(
      user,
      { projectId, generationType: "GALLERY_REFERENCE", selectedPoseIds, useBackgroundChanger: true, backgroundMode: "solid_color", backgroundColor: "#ffffff" },
      undefined,
      APP,
    );
    expect(res.status).toBe(402);
    expect((await errorOf(res)).details).toMatchObject({ required: 120, available: 100 });
  });

  it("validates the body: mode fields, formats, batch limits and unknown poses", async () => {
    const user = await register();
    const projectId = await createProject(user, APP);
    const cases: Array<[Record<string, unknown>, number]> = [
      [{ projectId, generationType: "GALLERY_REFERENCE" }, 400],
      [{ projectId, generationType: "TEXT_DESCRIPTION" }, 400],
      [{ projectId, generationType: "GALLERY_REFERENCE", selectedPoseIds: POSES, batchSize: 11 }, 400],
      [{ projectId, generationType: "TEXT_DESCRIPTION", textPrompt: "sitting", variationCount: 21 }, 400],
      [{ projectId, generationType: "TEXT_DESCRIPTION", textPrompt: "ab" }, 400],
      [{ projectId, generationType: "GALLERY_REFERENCE", selectedPoseIds: POSES, useBackgroundChanger: true }, 400],
      [{ projectId, generationType: "GALLERY_REFERENCE", selectedPoseIds: POSES, useBackgroundChanger: true, backgroundMode: "solid_color", backgroundColor: "blue" }, 400],
      [{ projectId, generationType: "GALLERY_REFERENCE", selectedPoseIds: POSES, outputFormats: ["poster"] }, 400],
      [{ projectId, generationType: "GALLERY_REFERENCE", selectedPoseIds: ["no-such-pose"] }, 422],
      [{ projectId, generationType: "TEXT_DESCRIPTION", textPrompt: "a beautiful sunset over the sea" }, 422],
      [{ projectId, generationType: "TEXT_DESCRIPTION", textPrompt: "standing <script>alert(1)</script>" }, 422],
    ];
    for (const [body, status] of cases) {
      const res = await submit(user, body, undefined, APP);
      expect({ body, status: res.status }).toEqual({ body, status });
    }
    expect(await balanceOf(user)).toMatchObject({ balance: 100, held: 0 });
  });

  it("hides another user's project, avatar and background upload (404)", async () => {
    const alice = await register();
    const bob = await register();
    const aliceProject = await createProject(alice, APP);
    const bobProject = await createProject(bob, APP);
    const aliceAvatars = await createProject(alice, "avatar-creator");
    const avatar = await upload(alice, `/api/apps/avatar-creator/projects/${aliceAvatars}/avatars`, png(256, 256, [10, 200, 10]), { name: "Alice" });
    expect(avatar.status).toBe(201);
    const avatarId = (await avatar.json<{ avatar: { id: string } }>()).avatar.id;
    const bg = await (await upload(alice, `/api/apps/pose-generator/projects/${aliceProject}/backgrounds`, png(300, 300, [1, 2, 3]))).json<{ id: string }>();
    const gallery = { generationType: "GALLERY_REFERENCE", selectedPoseIds: await poseIds(bob, 1) };

    expect((await submit(bob, { projectId: aliceProject, ...gallery }, undefined, APP)).status).toBe(404);
    expect((await submit(bob, { projectId: bobProject, ...gallery, avatarId }, undefined, APP)).status).toBe(404);
    expect((await submit(bob, { projectId: bobProject, ...gallery, useBackgroundChanger: true, backgroundMode: "upload", backgroundUploadId: bg.id }, undefined, APP)).status).toBe(404);
    expect((await upload(bob, `/api/apps/pose-generator/projects/${aliceProject}/backgrounds`, png(300, 300, [1, 2, 3]))).status).toBe(404);
    expect(await balanceOf(bob)).toMatchObject({ balance: 100, held: 0 });
  });

  it("uses the user's own avatar", async () => {
    const user = await register();
    const avatarsProject = await createProject(user, "avatar-creator");
    const avatar = await upload(user, `/api/apps/avatar-creator/projects/${avatarsProject}/avatars`, png(256, 256, [240, 180, 20]), { name: "Me" });
    const avatarId = (await avatar.json<{ avatar: { id: string } }>()).avatar.id;
    const projectId = await createProject(user, APP);
    const res = await submit(user, { projectId, generationType: "GALLERY_REFERENCE", selectedPoseIds: await poseIds(user, 1), avatarId }, undefined, APP);
    expect(res.status).toBe(202);
    const done = await waitForFinal(user, (await res.json<{ generation: { id: string } }>()).generation.id, 60_000);
    expect(done).toMatchObject({ status: "completed", charged: 30 });
    const stats = await (await api("/api/apps/pose-generator/stats", { token: user.token })).json<{
      totals: { generations: number; posesGenerated: number; creditsUsed: number };
      topPoses: Array<{ count: number }>;
      recent: unknown[];
    }>();
    expect(stats.totals).toMatchObject({ generations: 1, posesGenerated: 1, creditsUsed: 30 });
    expect(stats.topPoses[0]).toMatchObject({ count: 1 });
    expect(stats.recent).toHaveLength(1);
  });
});
