/**
 * Calls the pose library as a client would. Through the real app once the lead mounts
 * `poseLibraryRoutes` at /api/apps/pose-generator; until then through a small app with the
 * same configuration guard, request id and error mapping as worker/app.ts.
 */
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { Hono } from "hono";
import { app } from "../../../worker/app";
import { poseLibraryRoutes } from "../../../worker/apps/pose-generator/library/routes";
import type { AppEnv } from "../../../worker/http/context";
import { ApiError, errorBody } from "../../../worker/http/errors";
import { requireConfig } from "../../../worker/http/guards";
import { requestId } from "../../../worker/http/request-id";
import { BASE } from "../../helpers";

export const MOUNT = "/api/apps/pose-generator";

export const isMounted = app.routes.some((r) => r.path === `${MOUNT}/library/categories`);

const standIn = new Hono<AppEnv>();
standIn.use(requestId);
standIn.use("/api/*", requireConfig);
standIn.route(MOUNT, poseLibraryRoutes);
standIn.onError((err, c) => {
  const id = c.get("requestId") ?? "unknown";
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, id, err.details), err.status);
  return c.json(errorBody("INTERNAL", err.message, id), 500);
});

/** GET `${MOUNT}${path}`, with the caller's token when given. */
export async function library(path: string, token?: string): Promise<Response> {
  const headers = new Headers();
  if (token) headers.set("Authorization", `Bearer ${token}`);
  const url = `${BASE}${MOUNT}${path}`;
  if (isMounted) return SELF.fetch(url, { headers });
  const ctx = createExecutionContext();
  const res = await standIn.fetch(new Request(url, { headers }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export interface PoseItem {
  id: string;
  name: string;
  category: string;
  tags: string[];
  difficulty: string;
  previewUrl: string;
}

export interface PosePage {
  items: PoseItem[];
  nextCursor: string | null;
}

export async function listPage(params: Record<string, string>, token: string): Promise<PosePage> {
  const res = await library(`/library?${new URLSearchParams(params)}`, token);
  if (res.status !== 200) throw new Error(`library list failed: ${res.status} ${await res.text()}`);
  return res.json<PosePage>();
}

/** Every page of a listing, following nextCursor. */
export async function listAll(params: Record<string, string>, token: string): Promise<PoseItem[]> {
  const items: PoseItem[] = [];
  let cursor: string | null = null;
  do {
    const body: PosePage = await listPage(cursor ? { ...params, cursor } : params, token);
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return items;
}
