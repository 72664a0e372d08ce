/**
 * A small app around the shared upload pipeline, with worker/app.ts's request id,
 * configuration guard and error mapping, so the pipeline is tested the way a route uses it.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { Hono } from "hono";
import type { AppEnv } from "../../worker/http/context";
import { handleError } from "../../worker/http/error-handler";
import { requireConfig } from "../../worker/http/guards";
import { requestId } from "../../worker/http/request-id";
import { acceptImageUpload } from "../../worker/uploads/pipeline";
import { BASE } from "./client";
import { buildPng } from "./images";

const uploads = new Hono<AppEnv>();
uploads.use(requestId, requireConfig);
uploads.post("/upload/:userId/:projectId", async (c) => {
  const { userId, projectId } = c.req.param();
  const accepted = await acceptImageUpload(c.env, c.req.raw, { userId, projectId, kind: "avatars" }, (fields) => fields);
  return c.json(accepted, 201);
});
uploads.onError(handleError);

export interface Uploaded {
  stored: {
    id: string;
    image: { key: string; contentType: string; width: number; height: number; bytes: number };
    thumbnail: { key: string; contentType: string; width: number; height: number; bytes: number };
    source: { format: string; contentType: string; width: number; height: number };
  };
  fields: Record<string, string>;
  filename: string;
}

/** Sends a raw request to the upload app (bodies and headers exactly as given). */
export async function send(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await uploads.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export const uploadUrl = (userId = "u-upload", projectId = "p-upload") => `${BASE}/upload/${userId}/${projectId}`;

/** A multipart form with one `file` part (and optional text fields). */
export function form(bytes: Uint8Array, filename = "photo.png", type = "image/png", fields: Record<string, string> = {}): FormData {
  const data = new FormData();
  data.set("file", new File([bytes], filename, { type }));
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

export function upload(body: FormData | BodyInit, init: RequestInit = {}, url = uploadUrl()): Promise<Response> {
  return send(new Request(url, { method: "POST", body, ...init }));
}

/** A form's exact wire bytes and Content-Type (for hand-made requests). */
export async function encodeForm(data: FormData): Promise<{ bytes: Uint8Array; contentType: string }> {
  const res = new Response(data);
  return { bytes: new Uint8Array(await res.arrayBuffer()), contentType: res.headers.get("Content-Type")! };
}

/** An opaque RGB test picture with some structure (so re-encoding has work to do). */
export function photoPng(width: number, height: number, extra: Uint8Array[] = []): Promise<Uint8Array> {
  return buildPng({ width, height, colorType: 2, depth: 8, pixel: (x, y) => [(x * 7) & 255, (y * 5) & 255, ((x + y) * 3) & 255], extra });
}
