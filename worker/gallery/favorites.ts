/** Stars on outputs: PUT|DELETE /api/generations/:id/items/:key/favorite, idempotent, owner only. */
import { and, eq, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../auth/middleware";
import { ApiError, notFound } from "../core/errors";
import { type Db, db } from "../db/client";
import { generationItems } from "../db/schema";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { params } from "../http/validate";
import { parseOutputs } from "../generations/view";

const ItemParams = z.object({ id: z.string().min(1).max(64), key: z.string().min(1).max(64) });

/** The caller's item with an output, or 404 (also for another user's) / 422 (nothing made yet). */
async function starrable(database: Db, userId: string, generationId: string, key: string) {
  const item = await database
    .select({ id: generationItems.id, status: generationItems.status, outputs: generationItems.outputs })
    .from(generationItems)
    .where(and(eq(generationItems.generationId, generationId), eq(generationItems.key, key), eq(generationItems.userId, userId)))
    .get();
  if (!item) throw notFound("Item");
  if (item.status !== "completed" || Object.keys(parseOutputs(item.outputs)).length === 0) {
    throw new ApiError("UNPROCESSABLE", `This item has no output to star (it is ${item.status})`);
  }
  return item;
}

export const favoriteRoutes = new Hono<AppEnv>()
  .use("/:id/items/:key/favorite", requireAuth)
  .put("/:id/items/:key/favorite", doc({ summary: "Star an output (idempotent: the first star's time stays)", tags: ["gallery"], status: 204 }), params(ItemParams), async (c) => {
    const { id, key } = c.req.valid("param");
    const database = db(c.env.DB);
    const item = await starrable(database, c.var.user.id, id, key);
    await database
      .update(generationItems)
      .set({ favoriteAt: Date.now() })
      .where(and(eq(generationItems.id, item.id), isNull(generationItems.favoriteAt)));
    return c.body(null, 204);
  })
  .delete("/:id/items/:key/favorite", doc({ summary: "Unstar an output (idempotent)", tags: ["gallery"], status: 204 }), params(ItemParams), async (c) => {
    const { id, key } = c.req.valid("param");
    const database = db(c.env.DB);
    const item = await starrable(database, c.var.user.id, id, key);
    await database.update(generationItems).set({ favoriteAt: null }).where(eq(generationItems.id, item.id));
    return c.body(null, 204);
  });
