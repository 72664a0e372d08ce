/** Gallery test helpers: outputs written straight into D1 and R2, and the gallery as a client reads it. */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { db } from "../../worker/db/client";
import { generationItems, generations } from "../../worker/db/schema";
import type { GalleryItem } from "../../worker/gallery/schema";
import { outputKey } from "../../worker/storage/keys";
import { api, type Client } from "./client";

export interface SeedOptions {
  appId?: string;
  prompt?: string | null;
  /** The generation's (and its items') creation time. */
  createdAt?: number;
  /** Writes each output's bytes to R2 (for downloads); the gallery itself needs only the rows. */
  withFiles?: boolean;
  status?: "completed" | "failed";
}

/**
 * A finished generation of `count` outputs, as the consumer leaves one: rows in D1 and,
 * with `withFiles`, each output in R2 under its real key. Lets a test hold more outputs
 * than rendering them one by one would allow in its time.
 */
export async function seedGeneration(user: Client, projectId: string, count: number, options: SeedOptions = {}) {
  const { appId = "test-pipeline", prompt = null, createdAt = Date.now(), withFiles = false, status = "completed" } = options;
  const id = `seed-${crypto.randomUUID()}`;
  const database = db(env.DB);
  const items = Array.from({ length: count }, (_, position) => {
    const key = `item-${position}`;
    const fileKey = outputKey(user.userId, projectId, id, key, "original", "image/png");
    const outputs = status === "completed" ? JSON.stringify({ original: { key: fileKey, contentType: "image/png", width: 4, height: 4 } }) : null;
    return { id: `${id}:${key}`, generationId: id, userId: user.userId, key, position, status, params: "{}", outputs, createdAt, updatedAt: createdAt, fileKey };
  });
  await database.batch([
    database.insert(generations).values({
      id,
      userId: user.userId,
      appId,
      projectId,
      status: status === "completed" ? "completed" : "failed",
      requestHash: id,
      params: "{}",
      prompt,
      total: count,
      completed: status === "completed" ? count : 0,
      failed: status === "completed" ? 0 : count,
      unitCost: 1,
      cost: count,
      charged: status === "completed" ? count : 0,
      refunded: 0,
      createdAt,
      updatedAt: createdAt,
      finishedAt: createdAt,
    }),
    ...items.map(({ fileKey: _, ...row }) => database.insert(generationItems).values(row)),
  ]);
  if (withFiles) await Promise.all(items.map((i) => env.FILES.put(i.fileKey, fileBytes(i.id))));
  return { id, keys: items.map((i) => i.key) };
}

/** The bytes seeded for an item: distinct per item, so a ZIP's entries can be told apart. */
export const fileBytes = (itemId: string) => new TextEncoder().encode(`output of ${itemId}`);

export async function galleryPage(user: Client, params: Record<string, string> = {}): Promise<{ items: GalleryItem[]; nextCursor: string | null }> {
  const res = await api(`/api/gallery?${new URLSearchParams(params)}`, { token: user.token });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

/** Every page of the gallery with these filters, following nextCursor. */
export async function wholeGallery(user: Client, params: Record<string, string> = {}): Promise<GalleryItem[]> {
  const all: GalleryItem[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: GalleryItem[]; nextCursor: string | null } = await galleryPage(user, { ...params, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

export const star = (user: Client, generationId: string, key: string, method: "PUT" | "DELETE" = "PUT") =>
  api(`/api/generations/${encodeURIComponent(generationId)}/items/${encodeURIComponent(key)}/favorite`, { method, token: user.token });
