/**
 * One page of the gallery in one query: the caller's items joined to their generations,
 * filtered, newest first in keyset order over generation_items_gallery_idx.
 */
import { and, desc, eq, gte, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { containsLiterally } from "../db/like";
import { generationItems, generations } from "../db/schema";
import { decodeCursor } from "../http/pagination";
import type { GalleryFilters } from "./schema";

/** The page's query (await it for the rows; its SQL is what the index serves). */
export function galleryRows(database: Db, userId: string, f: GalleryFilters) {
  const after = decodeCursor(f.cursor);
  const items = generationItems;
  return database
    .select({ item: items, generation: { id: generations.id, appId: generations.appId, projectId: generations.projectId, prompt: generations.prompt } })
    .from(items)
    .innerJoin(generations, eq(generations.id, items.generationId))
    .where(
      and(
        eq(items.userId, userId),
        eq(generations.userId, userId),
        eq(items.status, f.status),
        f.appId ? eq(generations.appId, f.appId) : undefined,
        f.favorite === undefined ? undefined : f.favorite ? isNotNull(items.favoriteAt) : isNull(items.favoriteAt),
        f.from === undefined ? undefined : gte(items.createdAt, f.from),
        f.to === undefined ? undefined : lt(items.createdAt, f.to),
        f.q ? containsLiterally(generations.prompt, f.q) : undefined,
        after ? or(lt(items.createdAt, after.at), and(eq(items.createdAt, after.at), lt(items.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(items.createdAt), desc(items.id))
    .limit(f.limit + 1);
}
