/** Calls the Avatar Creator (mounted at /api/apps/avatar-creator) as a client would. */
import { expect } from "vitest";
import type { AvatarView } from "../../worker/apps/avatar-creator/avatars";
import { api, BASE, type Client, type ClientInit } from "./client";
import { buildPng } from "./images";

export const MOUNT = "/api/apps/avatar-creator";

/** `${MOUNT}${path}` with the caller's token; `json` sends a JSON body, `body` anything else. */
export function avatarApi(path: string, init: ClientInit = {}): Promise<Response> {
  return api(`${MOUNT}${path}`, init);
}

/** An opaque RGB picture with some structure. */
export function photoPng(width = 320, height = 256, extra: Uint8Array[] = []): Promise<Uint8Array> {
  return buildPng({ width, height, colorType: 2, depth: 8, pixel: (x, y) => [(x * 3) & 255, (y * 5) & 255, ((x ^ y) * 2) & 255], extra });
}

export async function uploadAvatar(client: Client, projectId: string, options: { name?: string; bytes?: Uint8Array; filename?: string; type?: string } = {}): Promise<Response> {
  const form = new FormData();
  form.set("file", new File([options.bytes ?? (await photoPng())], options.filename ?? "me.png", { type: options.type ?? "image/png" }));
  if (options.name !== undefined) form.set("name", options.name);
  return avatarApi(`/projects/${projectId}/avatars`, { method: "POST", token: client.token, body: form });
}

export async function createAvatar(client: Client, projectId: string, name = "Me"): Promise<AvatarView> {
  const res = await uploadAvatar(client, projectId, { name });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json<{ avatar: AvatarView }>()).avatar;
}

export async function listAvatars(client: Client, projectId: string, query = ""): Promise<{ items: AvatarView[]; nextCursor: string | null }> {
  const res = await avatarApi(`/projects/${projectId}/avatars${query}`, { token: client.token });
  expect(res.status).toBe(200);
  return res.json();
}

/** The R2 key behind a signed /api/files URL. */
export const keyOf = (url: string) => decodeURIComponent(new URL(url, BASE).pathname.slice("/api/files/".length));
