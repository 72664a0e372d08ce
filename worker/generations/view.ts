/** The API's view of a generation and its items, with fresh signed URLs for outputs. */
import { z } from "zod";
import type { Config } from "../config/config";
import type { AppDefinition } from "./contract";
import type { generationItems, generations } from "../db/schema";
import { signFileUrl } from "../storage/signed-url";

type GenerationRow = typeof generations.$inferSelect;
type ItemRow = typeof generationItems.$inferSelect;

export const StoredOutput = z.object({
  key: z.string(),
  contentType: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  /** Outputs an app streamed to R2 itself (video) also record these. */
  sizeBytes: z.number().int().optional(),
  durationMs: z.number().int().optional(),
  /** Animations: their frame count. */
  frames: z.number().int().optional(),
});
export const StoredOutputs = z.record(z.string(), StoredOutput);
export type StoredOutputs = z.infer<typeof StoredOutputs>;

/** The outputs column is JSON written by the consumer; parse it, never trust it blindly. */
export function parseOutputs(raw: string | null): StoredOutputs {
  if (!raw) return {};
  try {
    const parsed = StoredOutputs.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function thumbnailUrl(config: Config, item: Pick<ItemRow, "outputs">): Promise<string | null> {
  const thumb = parseOutputs(item.outputs).preview;
  return thumb ? signFileUrl(config.FILE_URL_SECRET, thumb.key) : null;
}

export const ItemView = z.object({
  key: z.string(),
  status: z.enum(["queued", "processing", "completed", "failed", "cancelled"]),
  outputUrl: z.string().nullable(),
  thumbnailUrl: z.string().nullable(),
  /** By format; an app's viewItem may list them instead (Carousel Mix: `[{slide, url, width, height}]`). */
  outputs: z.record(z.string(), z.object({ url: z.string(), contentType: z.string(), width: z.number(), height: z.number() })),
  /** Carousel Mix: a signed link to this carousel's ZIP once it is done. */
  zipUrl: z.string().nullable().optional(),
  /** Looping Flow: the poster frame (a JPEG), once the loop is done. */
  posterUrl: z.string().nullable().optional(),
  error: z.string().nullable(),
  /** Starred by its owner (PUT|DELETE /api/generations/:id/items/:key/favorite). */
  favorite: z.boolean(),
});

export const GenerationView = z.object({
  id: z.string(),
  appId: z.string(),
  projectId: z.string(),
  status: z.enum(["queued", "processing", "completed", "partial", "failed", "cancelled"]),
  total: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  cost: z.number().int(),
  charged: z.number().int().nullable(),
  refunded: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  items: z.array(ItemView).optional(),
});
export type GenerationView = z.infer<typeof GenerationView>;

/** One item in the view of `app` (its generation's app) over the generic one. */
export async function itemView(config: Config, generation: Pick<GenerationRow, "id">, item: ItemRow, app: AppDefinition | undefined): Promise<z.infer<typeof ItemView>> {
  const own = await app?.viewItem?.(config, generation.id, item);
  return { ...(await genericItemView(config, item)), ...own };
}

async function genericItemView(config: Config, item: ItemRow): Promise<z.infer<typeof ItemView>> {
  const outputs = parseOutputs(item.outputs);
  const signed: z.infer<typeof ItemView>["outputs"] = {};
  for (const [format, o] of Object.entries(outputs)) {
    signed[format] = { url: await signFileUrl(config.FILE_URL_SECRET, o.key), contentType: o.contentType, width: o.width, height: o.height };
  }
  return {
    key: item.key,
    status: item.status,
    outputUrl: signed.original?.url ?? null,
    thumbnailUrl: signed.preview?.url ?? null,
    outputs: signed,
    error: item.error,
    favorite: item.favoriteAt !== null,
  };
}

/** With `items`, each item in the view of `app` (the generation's app) over the generic one. */
export async function generationView(config: Config, g: GenerationRow, items?: ItemRow[], app?: AppDefinition): Promise<GenerationView> {
  return {
    id: g.id,
    appId: g.appId,
    projectId: g.projectId,
    status: g.status,
    total: g.total,
    completed: g.completed,
    failed: g.failed,
    cancelled: g.cancelled,
    cost: g.cost,
    charged: g.charged,
    refunded: g.refunded,
    error: g.error,
    createdAt: new Date(g.createdAt).toISOString(),
    finishedAt: g.finishedAt === null ? null : new Date(g.finishedAt).toISOString(),
    ...(items ? { items: await Promise.all(items.map((i) => itemView(config, g, i, app))) } : {}),
  };
}
