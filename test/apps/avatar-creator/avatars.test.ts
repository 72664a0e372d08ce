import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AvatarView } from "../../../worker/apps/avatar-creator/avatars";
import { db } from "../../../worker/db/client";
import { generations } from "../../../worker/db/schema";
import type { GenerationView } from "../../../worker/generations/view";
import { api, errorOf, register, type Client } from "../../support/client";
import { createProject } from "../../support/generations";
import { pngChunk } from "../../support/images";
import { avatarApi, createAvatar, keyOf, listAvatars, photoPng, uploadAvatar } from "../../support/avatars";

const APP = "avatar-creator";

/** A pose generation that names `avatarId` in its params, written as the engine would. */
async function poseGeneration(client: Client, projectId: string, avatarId: string | null, createdAt: number): Promise<string> {
  const id = crypto.randomUUID();
  await db(env.DB)
    .insert(generations)
    .values({
      id,
      userId: client.userId,
      appId: "pose-generator",
      projectId,
      requestHash: id,
      params: JSON.stringify({ projectId, generationType: "TEXT_DESCRIPTION", textPrompt: "standing", ...(avatarId ? { avatarId } : {}) }),
      total: 1,
      unitCost: 30,
      cost: 30,
      createdAt,
      updatedAt: createdAt,
    });
  return id;
}

describe("avatar uploads", () => {
  it("uploads an avatar into the user's avatar-creator project and hands out working signed URLs", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const res = await uploadAvatar(alice, projectId, { name: "  Alice at work  ", bytes: await photoPng(640, 480), filename: "IMG_0001.jpg", type: "image/jpeg" });
    expect(res.status).toBe(201);
    const { avatar } = await res.json<{ avatar: AvatarView }>();
    expect(avatar).toMatchObject({ projectId, name: "Alice at work", source: "upload", width: 640, height: 480, contentType: "image/png", generationId: null });
    expect(keyOf(avatar.imageUrl)).toMatch(new RegExp(`^users/${alice.userId}/projects/${projectId}/avatars/${avatar.id}\\.png$`));

    const image = await api(avatar.imageUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get("Content-Type")).toBe("image/png");
    const thumb = await api(avatar.thumbnailUrl);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("Content-Type")).toBe("image/jpeg");
  });

  it("strips metadata from the stored image", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const bytes = await photoPng(300, 300, [pngChunk("tEXt", new TextEncoder().encode("Author\0alice-home-address-marker"))]);
    const avatar = (await (await uploadAvatar(alice, projectId, { name: "tagged", bytes })).json<{ avatar: AvatarView }>()).avatar;
    const stored = new TextDecoder("latin1").decode(await (await api(avatar.imageUrl)).arrayBuffer());
    expect(stored).not.toContain("alice-home-address-marker");
    expect(stored).not.toContain("tEXt");
  });

  it("accepts uploads above the API's 1 MB JSON body limit", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    // A private ancillary chunk pads the file to 2 MB; it is dropped by the re-encode.
    const bytes = await photoPng(300, 300, [pngChunk("prVt", new Uint8Array(2 * 1024 * 1024))]);
    const res = await uploadAvatar(alice, projectId, { name: "big", bytes });
    expect(res.status, await res.clone().text()).toBe(201);
  });

  it("refuses bad uploads with the contract's statuses", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    expect((await uploadAvatar(alice, projectId, { name: "gif", bytes: new TextEncoder().encode("GIF89a not really") })).status).toBe(415);
    expect((await uploadAvatar(alice, projectId, { name: "tiny", bytes: await photoPng(64, 64) })).status).toBe(422);
    const huge = await uploadAvatar(alice, projectId, { name: "huge", bytes: await photoPng(300, 300, [pngChunk("prVt", new Uint8Array(10 * 1024 * 1024))]) });
    expect(huge.status).toBe(413);
    expect((await errorOf(huge)).code).toBe("PAYLOAD_TOO_LARGE");
    const missingName = await uploadAvatar(alice, projectId);
    expect(missingName.status).toBe(400);
    expect((await errorOf(missingName)).message).toMatch(/name/);
    expect((await uploadAvatar(alice, projectId, { name: "   " })).status).toBe(400);
    const json = await avatarApi(`/projects/${projectId}/avatars`, { method: "POST", token: alice.token, json: { name: "x" } });
    expect(json.status).toBe(415);
    expect((await listAvatars(alice, projectId)).items).toEqual([]);
  });

  it("requires sign-in everywhere", async () => {
    expect((await avatarApi("/presets")).status).toBe(401);
    expect((await avatarApi("/avatars/anything")).status).toBe(401);
    expect((await avatarApi("/projects/p/avatars", { method: "POST", body: new FormData() })).status).toBe(401);
  });
});

describe("avatar CRUD", () => {
  it("lists newest first with keyset pagination", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const made: AvatarView[] = [];
    for (const name of ["one", "two", "three"]) made.push(await createAvatar(alice, projectId, name));
    const first = await listAvatars(alice, projectId, "?limit=2");
    expect(first.items.map((a) => a.name)).toEqual(["three", "two"]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await listAvatars(alice, projectId, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((a) => a.name)).toEqual(["one"]);
    expect(second.nextCursor).toBeNull();
    for (const a of [...first.items, ...second.items]) expect(a.imageUrl).toMatch(/^\/api\/files\/.+\?exp=\d+&sig=/);
    expect((await avatarApi(`/projects/${projectId}/avatars?limit=0`, { token: alice.token })).status).toBe(400);
    expect((await avatarApi(`/projects/${projectId}/avatars?cursor=nonsense`, { token: alice.token })).status).toBe(400);
  });

  it("gets, renames and deletes an avatar, removing its files from R2", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const avatar = await createAvatar(alice, projectId, "before");

    const got = await avatarApi(`/avatars/${avatar.id}`, { token: alice.token });
    expect(got.status).toBe(200);
    expect((await got.json<{ avatar: AvatarView }>()).avatar).toMatchObject({ id: avatar.id, name: "before" });

    const renamed = await avatarApi(`/avatars/${avatar.id}`, { method: "PATCH", token: alice.token, json: { name: " after " } });
    expect(renamed.status).toBe(200);
    expect((await renamed.json<{ avatar: AvatarView }>()).avatar.name).toBe("after");
    expect((await avatarApi(`/avatars/${avatar.id}`, { method: "PATCH", token: alice.token, json: { name: "" } })).status).toBe(400);
    expect((await avatarApi(`/avatars/${avatar.id}`, { method: "PATCH", token: alice.token, json: { name: "x", userId: "someone" } })).status).toBe(200);

    const keys = [keyOf(avatar.imageUrl), keyOf(avatar.thumbnailUrl)];
    for (const key of keys) expect(await env.FILES.head(key)).not.toBeNull();
    const deleted = await avatarApi(`/avatars/${avatar.id}`, { method: "DELETE", token: alice.token });
    expect(deleted.status).toBe(204);
    for (const key of keys) expect(await env.FILES.head(key)).toBeNull();
    expect((await avatarApi(`/avatars/${avatar.id}`, { token: alice.token })).status).toBe(404);
    expect((await avatarApi(`/avatars/${avatar.id}`, { method: "DELETE", token: alice.token })).status).toBe(404);
    expect((await listAvatars(alice, projectId)).items).toEqual([]);
  });

  it("removes a project's avatars with the project", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const avatar = await createAvatar(alice, projectId);
    expect((await api(`/api/projects/${projectId}`, { method: "DELETE", token: alice.token })).status).toBe(204);
    expect((await avatarApi(`/avatars/${avatar.id}`, { token: alice.token })).status).toBe(404);
    expect(await env.FILES.head(keyOf(avatar.imageUrl))).toBeNull();
  });
});

describe("object-level authorization", () => {
  it("gives Bob 404 for Alice's avatar on every route, and leaves it untouched", async () => {
    const alice = await register();
    const bob = await register();
    const projectId = await createProject(alice, APP);
    const avatar = await createAvatar(alice, projectId, "alice");

    for (const [method, path, json] of [
      ["GET", `/avatars/${avatar.id}`, undefined],
      ["PATCH", `/avatars/${avatar.id}`, { name: "pwned" }],
      ["DELETE", `/avatars/${avatar.id}`, undefined],
      ["GET", `/avatars/${avatar.id}/usage`, undefined],
    ] as const) {
      const res = await avatarApi(path, { method, token: bob.token, json });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect((await errorOf(res)).code).toBe("NOT_FOUND");
    }
    const still = await avatarApi(`/avatars/${avatar.id}`, { token: alice.token });
    expect((await still.json<{ avatar: AvatarView }>()).avatar.name).toBe("alice");
    expect(await env.FILES.head(keyOf(avatar.imageUrl))).not.toBeNull();
  });

  it("lets nobody use another user's project, or a project of another app", async () => {
    const alice = await register();
    const bob = await register();
    const aliceProject = await createProject(alice, APP);
    await createAvatar(alice, aliceProject);

    const upload = await uploadAvatar(bob, aliceProject, { name: "intruder" });
    expect(upload.status).toBe(404);
    expect((await avatarApi(`/projects/${aliceProject}/avatars`, { token: bob.token })).status).toBe(404);
    expect((await listAvatars(alice, aliceProject)).items).toHaveLength(1);

    const poseProject = await createProject(alice, "pose-generator");
    expect((await uploadAvatar(alice, poseProject, { name: "wrong app" })).status).toBe(404);
    expect((await uploadAvatar(alice, "no-such-project", { name: "nothing" })).status).toBe(404);
  });
});

describe("avatar usage", () => {
  it("lists the user's generations whose params name the avatar, newest first, paginated", async () => {
    const alice = await register();
    const bob = await register();
    const avatarProject = await createProject(alice, APP);
    const poseProject = await createProject(alice, "pose-generator");
    const avatar = await createAvatar(alice, avatarProject);
    const other = await createAvatar(alice, avatarProject, "other");

    const t = Date.now();
    const older = await poseGeneration(alice, poseProject, avatar.id, t - 2000);
    const newer = await poseGeneration(alice, poseProject, avatar.id, t - 1000);
    await poseGeneration(alice, poseProject, other.id, t);
    await poseGeneration(alice, poseProject, null, t);
    // Bob naming Alice's avatar id in his own generation does not make it hers.
    await poseGeneration(bob, await createProject(bob, "pose-generator"), avatar.id, t);

    const res = await avatarApi(`/avatars/${avatar.id}/usage`, { token: alice.token });
    expect(res.status).toBe(200);
    const body = await res.json<{ items: GenerationView[]; nextCursor: string | null }>();
    expect(body.items.map((g) => g.id)).toEqual([newer, older]);
    expect(body.items[0]).toMatchObject({ appId: "pose-generator", projectId: poseProject, status: "queued" });
    expect(body.nextCursor).toBeNull();

    const first = await (await avatarApi(`/avatars/${avatar.id}/usage?limit=1`, { token: alice.token })).json<{ items: GenerationView[]; nextCursor: string }>();
    expect(first.items.map((g) => g.id)).toEqual([newer]);
    const second = await (await avatarApi(`/avatars/${avatar.id}/usage?limit=1&cursor=${first.nextCursor}`, { token: alice.token })).json<{ items: GenerationView[]; nextCursor: string | null }>();
    expect(second.items.map((g) => g.id)).toEqual([older]);
    expect(second.nextCursor).toBeNull();
  });

  it("is empty for an unused avatar and 404 for an unknown one", async () => {
    const alice = await register();
    const avatar = await createAvatar(alice, await createProject(alice, APP));
    const res = await avatarApi(`/avatars/${avatar.id}/usage`, { token: alice.token });
    expect(await res.json()).toEqual({ items: [], nextCursor: null });
    expect((await avatarApi(`/avatars/${crypto.randomUUID()}/usage`, { token: alice.token })).status).toBe(404);
  });
});

describe("presets", () => {
  it("offers at least 8 style presets", async () => {
    const alice = await register();
    const res = await avatarApi("/presets", { token: alice.token });
    expect(res.status).toBe(200);
    const { presets } = await res.json<{ presets: Array<{ id: string; name: string; description: string; stylePrompt: string }> }>();
    expect(presets.length).toBeGreaterThanOrEqual(8);
    expect(new Set(presets.map((p) => p.id)).size).toBe(presets.length);
    for (const p of presets) {
      expect(p.id).toMatch(/^[a-z0-9-]+$/);
      expect(p.name.length).toBeGreaterThan(0);
      expect(p.description.length).toBeGreaterThan(0);
      expect(p.stylePrompt.length).toBeGreaterThan(10);
    }
  });
});
