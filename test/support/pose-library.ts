/** Calls the pose library through the Worker, as a client would. */
import { SELF } from "cloudflare:test";
import { BASE } from "./client";

export const MOUNT = "/api/apps/pose-generator";

/** GET `${MOUNT}${path}`, with the caller's token when given. */
export async function library(path: string, token?: string): Promise<Response> {
  const headers = new Headers();
  if (token) headers.set("Authorization", `Bearer ${token}`);
  return SELF.fetch(`${BASE}${MOUNT}${path}`, { headers });
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
