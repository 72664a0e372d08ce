/** /api/generations: list, read and cancel the caller's generations (any app). */
import { Hono } from "hono";
import { and, asc, desc, eq, inArray, lt, or } from "drizzle-orm";
import { z } from "zod";
import { db } from "../db/client";
import { GENERATION_STATUSES, generationItems, generations } from "../db/schema";
import { requireAuth } from "../http/auth";
import type { AppEnv } from "../http/context";
import { notFound } from "../http/errors";
import { doc } from "../http/openapi";
import { decodeCursor, page, pageQuery } from "../http/pagination";
import { params, query } from "../http/validate";
import { itemChanged } from "../jobs/progress";
import { GenerationView, generationView } from "./view";

const ListQuery = pageQuery.extend({ appId: z.string().min(1).max(40).optional(), status: z.enum(GENERATION_STATUSES).optional() });
const IdParams = z.object({ id: z.string().min(1).max(64) });

export async function ownedGeneration(database: ReturnType<typeof db>, userId: string, id: string) {
  const row = await database.select().from(generations).where(and(eq(generations.id, id), eq(generations.userId, userId))).get();
  if (!row) throw notFound("Generation");
  return row;
}

export const itemsOf = (database: ReturnType<typeof db>, generationId: string) =>
  database.select().from(generationItems).where(eq(generationItems.generationId, generationId)).orderBy(asc(generationItems.position));

export const generationRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/", doc({ summary: "The caller's generations, newest first", tags: ["generations"], response: z.object({ items: z.array(GenerationView), nextCursor: z.string().nullable() }) }), query(ListQuery), async (c) => {
    const { limit, cursor, appId, status } = c.req.valid("query");
    const after = decodeCursor(cursor);
    const rows = await db(c.env.DB)
      .select()
      .from(generations)
      .where(
        and(
          eq(generations.userId, c.var.user.id),
          appId ? eq(generations.appId, appId) : undefined,
          status ? eq(generations.status, status) : undefined,
          after ? or(lt(generations.createdAt, after.at), and(eq(generations.createdAt, after.at), lt(generations.id, after.id))) : undefined,
        ),
      )
      .orderBy(desc(generations.createdAt), desc(generations.id))
      .limit(limit + 1);
    const result = page(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
    return c.json({ items: await Promise.all(result.items.map((g) => generationView(c.var.config, g))), nextCursor: result.nextCursor }, 200);
  })
  .get("/:id", doc({ summary: "One generation with its items and signed output URLs", tags: ["generations"], response: GenerationView }), params(IdParams), async (c) => {
    const database = db(c.env.DB);
    const generation = await ownedGeneration(database, c.var.user.id, c.req.valid("param").id);
    return c.json(await generationView(c.var.config, generation, await itemsOf(database, generation.id)), 200);
  })
  .post("/:id/cancel", doc({ summary: "Cancel the items not started yet; they are never charged", tags: ["generations"], response: z.object({ generation: GenerationView }) }), params(IdParams), async (c) => {
    const database = db(c.env.DB);
    const generation = await ownedGeneration(database, c.var.user.id, c.req.valid("param").id);
    const now = Date.now();
    const cancelled = await database
      .update(generationItems)
      .set({ status: "cancelled", error: "Cancelled; not charged", finishedAt: now, updatedAt: now })
      .where(and(eq(generationItems.generationId, generation.id), inArray(generationItems.status, ["queued"])))
      .returning();
    // One recount covers them all; it finalizes when nothing is left running.
    if (cancelled.length > 0) await itemChanged(c.env, c.var.config, cancelled.at(-1)!);
    const fresh = await ownedGeneration(database, c.var.user.id, generation.id);
    return c.json({ generation: await generationView(c.var.config, fresh, await itemsOf(database, generation.id)) }, 200);
  });
