/** Clip uploads: multipart through the Worker, the container check, aborts, limits and ownership. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CLIP_PART_BYTES } from "../../../worker/apps/video-mixer/uploads";
import type { ClipView } from "../../../worker/apps/video-mixer/clips";
import { CLIP_LIMITS } from "../../../worker/media/video/probe";
import { api, errorOf, expectErrorShape, register } from "../../support/client";
import { createProject, fetchWith } from "../../support/generations";
import { keyOf } from "../../support/avatars";
import { clipA, clipMpeg4 } from "./fixtures/clips";
import { MOUNT, completeUpload, fixtureBytes, paddedMp4, putPart, startUpload, type StartedUpload, uploadClip, videoApi, expectUploadGone } from "../../support/video-mixer";

const APP = "video-mixer";

async function setup() {
  const user = await register();
  return { user, projectId: await createProject(user, APP) };
}

/** The clip's R2 key: users/<id>/projects/<project>/clips/<clip>.mp4 */
const clipKey = (userId: string, projectId: string, clipId: string) => `users/${userId}/projects/${projectId}/clips/${clipId}.mp4`;

describe("uploading a clip", () => {
  it("checks an H.264 clip on completion: duration, size, frame rate, codec, key frames and format", async () => {
    const { user, projectId } = await setup();
    const clip = await uploadClip(user, projectId, fixtureBytes(clipA), "intro.mp4");
    expect(clip).toMatchObject({
      name: "intro.mp4",
      status: "ready",
      durationMs: 4000,
      width: 320,
      height: 180,
      fps: 30,
      keyframesMs: [0, 1000, 2000, 3000],
      hasAudio: true,
      error: null,
      posterUrl: null,
    });
    expect(clip.codec).toMatch(/^avc1\.64/);
    expect(clip.formatKey).toMatch(/^[0-9a-f]{32}$/);
    // The clip itself plays from a signed URL, with Range.
    const ranged = await api(clip.videoUrl!, { headers: { Range: "bytes=4-7" } });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe("ftyp");
  });

  it("rejects a clip that is not H.264 with a reason that says what to change, and keeps none of its bytes", async () => {
    const { user, projectId } = await setup();
    const clip = await uploadClip(user, projectId, fixtureBytes(clipMpeg4), "old-camera.mp4");
    expect(clip.status).toBe("rejected");
    expect(clip.error).toMatch(/not H\.264; export it as H\.264 \(AVC\) in an MP4/);
    expect(clip.error).toMatch(/MPEG4|MPEG-4|UNKNOWN/i);
    expect(await env.FILES.head(clipKey(user.userId, projectId, clip.id))).toBeNull();
  });

  it("rejects bytes that are no MP4 at all", async () => {
    const { user, projectId } = await setup();
    const clip = await uploadClip(user, projectId, new TextEncoder().encode("this is a text file pretending to be a video"), "fake.mp4");
    expect(clip).toMatchObject({ status: "rejected", error: expect.stringMatching(/not an MP4 file; export the clip as MP4/) });
  });

  it("refuses a declared type other than video/mp4 with 415 before anything is stored", async () => {
    const { user, projectId } = await setup();
    const res = await startUpload(user, projectId, 1000, "clip.webm", "video/webm");
    expect(res.status).toBe(415);
    await expectErrorShape(res, "UNSUPPORTED_MEDIA_TYPE");
    const list = await videoApi(`/projects/${projectId}/clips`, { token: user.token });
    expect((await list.json<{ items: ClipView[] }>()).items).toEqual([]);
  });

  it(`accepts a declared size of exactly ${CLIP_LIMITS.maxBytes} bytes (in ${Math.ceil(CLIP_LIMITS.maxBytes / CLIP_PART_BYTES)} parts) and refuses one byte more with 413`, async () => {
    const { user, projectId } = await setup();
    const atMax = await startUpload(user, projectId, CLIP_LIMITS.maxBytes);
    expect(atMax.status).toBe(201);
    expect((await atMax.json<StartedUpload>()).upload).toMatchObject({ partSize: CLIP_PART_BYTES, parts: Math.ceil(CLIP_LIMITS.maxBytes / CLIP_PART_BYTES) });
    const over = await startUpload(user, projectId, CLIP_LIMITS.maxBytes + 1);
    expect(over.status).toBe(413);
    expect((await errorOf(over)).message).toMatch(/at most 200 MB/);
    const list = await (await videoApi(`/projects/${projectId}/clips`, { token: user.token })).json<{ items: ClipView[] }>();
    expect(list.items).toHaveLength(1);
  });

  it("takes parts of exactly partSize (the last one shorter), retries one part alone, and refuses a bad part without changing anything", async () => {
    const { user, projectId } = await setup();
    const bytes = paddedMp4(fixtureBytes(clipA), CLIP_PART_BYTES + 12_345);
    const { clip, upload } = await (await startUpload(user, projectId, bytes.byteLength, "padded.mp4")).json<StartedUpload>();
    expect(upload.parts).toBe(2);

    const short = await putPart(user, projectId, clip.id, 1, bytes.subarray(0, CLIP_PART_BYTES - 1));
    expect(short.status).toBe(400);
    expect((await errorOf(short)).message).toMatch(`must be exactly ${CLIP_PART_BYTES} bytes`);
    const long = await putPart(user, projectId, clip.id, 1, bytes.subarray(0, CLIP_PART_BYTES + 1));
    expect(long.status).toBe(413);
    const beyond = await putPart(user, projectId, clip.id, 3, bytes.subarray(0, 10));
    expect(beyond.status).toBe(400);
    expect((await errorOf(beyond)).message).toMatch(/has 2 parts; part 3 does not exist/);

    expect((await putPart(user, projectId, clip.id, 2, bytes.subarray(CLIP_PART_BYTES))).status).toBe(200);
    const early = await completeUpload(user, projectId, clip.id);
    expect(early.status).toBe(400);
    expect((await errorOf(early)).message).toMatch(/Parts still missing: 1/);

    // Part 1 exactly at partSize; then part 2 sent again (a retried part replaces the first copy).
    expect((await putPart(user, projectId, clip.id, 1, bytes.subarray(0, CLIP_PART_BYTES))).status).toBe(200);
    expect((await putPart(user, projectId, clip.id, 2, bytes.subarray(CLIP_PART_BYTES))).status).toBe(200);
    const done = await completeUpload(user, projectId, clip.id);
    expect(done.status).toBe(200);
    const ready = (await done.json<{ clip: ClipView }>()).clip;
    expect(ready).toMatchObject({ status: "ready", durationMs: 4000, sizeBytes: bytes.byteLength });
    const stored = await env.FILES.get(clipKey(user.userId, projectId, clip.id));
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(bytes);

    // Completing again answers the same clip; parts after completion are refused.
    const again = await completeUpload(user, projectId, clip.id);
    expect((await again.json<{ clip: ClipView }>()).clip).toMatchObject({ id: clip.id, status: "ready" });
    expect((await putPart(user, projectId, clip.id, 2, bytes.subarray(CLIP_PART_BYTES))).status).toBe(409);
  });

  it("a part that arrives slower than the request timeout is still taken (a slow uplink is not a hung request)", async () => {
    const { user, projectId } = await setup();
    const bytes = fixtureBytes(clipA);
    const { clip } = await (await startUpload(user, projectId, bytes.byteLength)).json<StartedUpload>();
    const timeoutMs = 100;
    // The client sends half, waits past the timeout, then sends the rest.
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(bytes.subarray(0, 1000));
        await new Promise((r) => setTimeout(r, timeoutMs * 3));
        controller.enqueue(bytes.subarray(1000));
        controller.close();
      },
    });
    const res = await fetchWith({ REQUEST_TIMEOUT_MS: String(timeoutMs) }, `${MOUNT}/projects/${projectId}/clips/${clip.id}/parts/1`, {
      method: "PUT",
      token: user.token,
      headers: { "Content-Type": "application/octet-stream", "Content-Length": String(bytes.byteLength) },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await (await completeUpload(user, projectId, clip.id)).json<{ clip: ClipView }>()).clip.status).toBe("ready");
  });

  it("two completions at once check the clip once: one does the work, the other answers it or asks to wait", async () => {
    const { user, projectId } = await setup();
    const bytes = fixtureBytes(clipA);
    const { clip } = await (await startUpload(user, projectId, bytes.byteLength)).json<StartedUpload>();
    expect((await putPart(user, projectId, clip.id, 1, bytes)).status).toBe(200);
    const answers = await Promise.all([completeUpload(user, projectId, clip.id), completeUpload(user, projectId, clip.id)]);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([200, 409]).toContain(statuses[1]);
    const after = await (await videoApi(`/projects/${projectId}/clips/${clip.id}`, { token: user.token })).json<{ clip: ClipView }>();
    expect(after.clip).toMatchObject({ status: "ready", durationMs: 4000 });
    const stored = await env.FILES.get(clipKey(user.userId, projectId, clip.id));
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(bytes);
  });

  it("an aborted upload leaves no object in R2 and its multipart upload cannot be completed", async () => {
    const { user, projectId } = await setup();
    const bytes = paddedMp4(fixtureBytes(clipA), CLIP_PART_BYTES + 100);
    const { clip } = await (await startUpload(user, projectId, bytes.byteLength)).json<StartedUpload>();
    const part = await putPart(user, projectId, clip.id, 1, bytes.subarray(0, CLIP_PART_BYTES));
    expect(part.status).toBe(200);
    const row = await env.DB.prepare("SELECT upload_id, object_key FROM video_clips WHERE id = ?").bind(clip.id).first<{ upload_id: string; object_key: string }>();

    const res = await videoApi(`/projects/${projectId}/clips/${clip.id}`, { method: "DELETE", token: user.token });
    expect(res.status).toBe(204);
    expect((await env.FILES.list({ prefix: `users/${user.userId}/` })).objects).toEqual([]);
    await expectUploadGone(row!.object_key, row!.upload_id);
    expect((await videoApi(`/projects/${projectId}/clips/${clip.id}`, { token: user.token })).status).toBe(404);
  });

  it("another user's clip and project are 404 for every clip route, and nothing of them changes", async () => {
    const { user, projectId } = await setup();
    const other = await register();
    const clip = await uploadClip(user, projectId, fixtureBytes(clipA));
    const routes: [string, string][] = [
      ["GET", `/projects/${projectId}/clips`],
      ["GET", `/projects/${projectId}/clips/${clip.id}`],
      ["POST", `/projects/${projectId}/clips/${clip.id}/complete`],
      ["DELETE", `/projects/${projectId}/clips/${clip.id}`],
    ];
    for (const [method, path] of routes) {
      const res = await videoApi(path, { method, token: other.token });
      expect(res.status, `${method} ${path}`).toBe(404);
      await expectErrorShape(res, "NOT_FOUND");
    }
    expect((await putPart(other, projectId, clip.id, 1, new Uint8Array(10))).status).toBe(404);
    expect((await startUpload(other, projectId, 1000)).status).toBe(404);
    const mine = await videoApi(`/projects/${projectId}/clips/${clip.id}`, { token: user.token });
    expect((await mine.json<{ clip: ClipView }>()).clip).toMatchObject({ status: "ready" });
    expect(await env.FILES.head(keyOf(clip.videoUrl!))).not.toBeNull();
  });
});
