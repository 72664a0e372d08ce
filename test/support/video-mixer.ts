/** Calls the Video Mixer (mounted at /api/apps/video-mixer) as a client would, with the committed fixture clips. */
import { env } from "cloudflare:test";
import { EncodedPacketSink, type EncodedPacket } from "mediabunny";
import { expect } from "vitest";
import type { ClipView } from "../../worker/apps/video-mixer/clips";
import { r2Input } from "../../worker/media/video/r2-source";
import { api, type Client, type ClientInit } from "./client";

export const MOUNT = "/api/apps/video-mixer";

/** A fixture clip's bytes (clips.ts holds them as base64: workerd tests have no file system). */
export const fixtureBytes = (base64: string) => Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));

export function videoApi(path: string, init: ClientInit = {}): Promise<Response> {
  return api(`${MOUNT}${path}`, init);
}

export interface StartedUpload {
  clip: ClipView;
  upload: { uploadId: string; partSize: number; parts: number };
}

export async function startUpload(client: Client, projectId: string, size: number, name = "clip.mp4", contentType = "video/mp4"): Promise<Response> {
  return videoApi(`/projects/${projectId}/clips`, { method: "POST", token: client.token, json: { name, size, contentType } });
}

export function putPart(client: Client, projectId: string, clipId: string, n: number, bytes: Uint8Array): Promise<Response> {
  return videoApi(`/projects/${projectId}/clips/${clipId}/parts/${n}`, {
    method: "PUT",
    token: client.token,
    headers: { "Content-Type": "application/octet-stream" },
    body: bytes,
  });
}

export const completeUpload = (client: Client, projectId: string, clipId: string) => videoApi(`/projects/${projectId}/clips/${clipId}/complete`, { method: "POST", token: client.token });

/** Create → every part → complete; returns the checked clip (ready or rejected). */
export async function uploadClip(client: Client, projectId: string, bytes: Uint8Array, name = "clip.mp4"): Promise<ClipView> {
  const started = await startUpload(client, projectId, bytes.byteLength, name);
  expect(started.status, await started.clone().text()).toBe(201);
  const { clip, upload } = await started.json<StartedUpload>();
  for (let n = 1; n <= upload.parts; n++) {
    const res = await putPart(client, projectId, clip.id, n, bytes.subarray((n - 1) * upload.partSize, n * upload.partSize));
    expect(res.status, await res.clone().text()).toBe(200);
  }
  const done = await completeUpload(client, projectId, clip.id);
  expect(done.status, await done.clone().text()).toBe(200);
  return (await done.json<{ clip: ClipView }>()).clip;
}

/** The bytes followed by a top-level `free` box: still a valid MP4, now `total` bytes long. */
export function paddedMp4(bytes: Uint8Array, total: number): Uint8Array {
  const out = new Uint8Array(total);
  out.set(bytes);
  const free = total - bytes.byteLength;
  new DataView(out.buffer).setUint32(bytes.byteLength, free);
  out.set([0x66, 0x72, 0x65, 0x65], bytes.byteLength + 4);
  return out;
}

export interface TrackPackets {
  video: EncodedPacket[];
  audio: EncodedPacket[];
  durationSeconds: number;
}

/** Every packet (metadata only) of an MP4 stored in R2, in decode order. */
export async function packetsOf(key: string): Promise<TrackPackets> {
  const head = await env.FILES.head(key);
  if (!head) throw new Error(`no object at ${key}`);
  const input = r2Input(env.FILES, key, head.size);
  try {
    const video = await input.getPrimaryVideoTrack();
    const audio = await input.getPrimaryAudioTrack();
    const all = async (track: typeof video | typeof audio) => {
      const out: EncodedPacket[] = [];
      if (track) for await (const p of new EncodedPacketSink(track).packets(undefined, undefined, { metadataOnly: true })) out.push(p);
      return out;
    };
    return { video: await all(video), audio: await all(audio), durationSeconds: video ? await input.computeDuration([video]) : 0 };
  } finally {
    input.dispose();
  }
}

/** The upload left nothing in R2: no object at its key, and its multipart upload can no longer be completed. */
export async function expectUploadGone(objectKey: string, uploadId: string): Promise<void> {
  expect(await env.FILES.head(objectKey)).toBeNull();
  const completing = await env.FILES.resumeMultipartUpload(objectKey, uploadId)
    .complete([{ partNumber: 1, etag: "x" }])
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(completing).toBeInstanceOf(Error);
}
