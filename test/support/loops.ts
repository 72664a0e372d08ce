/** Calls Looping Flow (mounted at /api/apps/looping-flow) as a client would. */
import { expect } from "vitest";
import type { GenerationView } from "../../worker/generations/view";
import type { UploadView } from "../../worker/uploads/stills";
import { api, type Client } from "./client";
import { fetchWith, newKey, recordingQueue, submit, waitForFinal } from "./generations";
import { photoPng } from "./avatars";

export const APP = "looping-flow";
export const MOUNT = `/api/apps/${APP}`;

export async function uploadStill(client: Client, projectId: string, bytes?: Uint8Array): Promise<Response> {
  const form = new FormData();
  form.set("file", new File([bytes ?? (await photoPng(320, 320))], "still.png", { type: "image/png" }));
  return api(`${MOUNT}/projects/${projectId}/uploads`, { method: "POST", token: client.token, body: form });
}

export async function createStill(client: Client, projectId: string): Promise<UploadView> {
  const res = await uploadStill(client, projectId);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<UploadView>();
}

/** A small loop: 512², 2 s at 12 fps (24 frames). */
export const smallLoop = (projectId: string, source: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  projectId,
  source,
  effect: "zoom-pulse",
  durationSeconds: 2,
  fps: 12,
  size: 512,
  ...extra,
});

export async function makeLoop(client: Client, body: Record<string, unknown>): Promise<GenerationView> {
  const res = await submit(client, body, newKey(), APP);
  expect(res.status, await res.clone().text()).toBe(202);
  return waitForFinal(client, (await res.json<{ generation: { id: string } }>()).generation.id, 60_000);
}

/** Submits with a queue that only records, so the test delivers (and redelivers) by hand. */
export async function submitRecorded(client: Client, body: Record<string, unknown>) {
  const { queue, sent } = recordingQueue();
  const res = await fetchWith({ GENERATION_QUEUE: queue }, `${MOUNT}/generations`, { method: "POST", token: client.token, json: body, headers: { "Idempotency-Key": newKey() } });
  expect(res.status, await res.clone().text()).toBe(202);
  const { generation } = await res.json<{ generation: GenerationView }>();
  return { generation, sent };
}

export async function download(url: string): Promise<Uint8Array> {
  const res = await api(url);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}
