/**
 * A generation's routes, for every app: start one (POST /api/apps/:appId/generations), then
 * list, read and cancel it under /api/generations.
 */
import { Hono } from "hono";
import { and, asc, desc, eq, lt, or } from "drizzle-orm";
import { z } from "zod";
import { db } from "../db/client";
import { GENERATION_STATUSES, generationItems, generations } from "../db/schema";
import { requireAuth, requireSession } from "../auth/middleware";
import type { AppEnv } from "../http/context";
import { notFound } from "../core/errors";
import { doc } from "../http/openapi";
import { decodeCursor, page, pageQuery } from "../http/pagination";
import { json, params, query } from "../http/validate";
import { idempotencyKey } from "../http/idempotency";
import type { Catalog } from "./catalog";
import { cancelGeneration } from "./cancel";
import { submitGeneration } from "./submit";
import { assertAppOpen } from "./switches";
import { GenerationView, generationView } from "./view";

const ListQuery = pageQuery.extend({ appId: z.string().min(1).max(40).optional(), status: z.enum(GENERATION_STATUSES).optional() });
const IdParams = z.object({ id: z.string().min(1).max(64) });

export async function ownedGeneration(database: ReturnType<typeof db>, userId: string, id: string) {
  const row = await database
    .select()
    .from(generations)
    .where(and(eq(generations.id, id), eq(generations.userId, userId)))
    .get();
  if (!row) throw notFound("Generation");
  return row;
}

export const itemsOf = (database: ReturnType<typeof db>, generationId: string) =>
  database.select().from(generationItems).where(eq(generationItems.generationId, generationId)).orderBy(asc(generationItems.position));

/** List, read and cancel under /api/generations; items are shown in their app's view from `catalog`. */
export const generationRoutes = (catalog: Catalog) =>
  new Hono<AppEnv>()
    .use(requireAuth)
    .get(
      "/",
      doc({ summary: "The caller's generations, newest first", tags: ["generations"], response: z.object({ items: z.array(GenerationView), nextCursor: z.string().nullable() }) }),
      query(ListQuery),
      async (c) => {
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
      },
    )
    .get("/:id", doc({ summary: "One generation with its items and signed output URLs", tags: ["generations"], response: GenerationView }), params(IdParams), async (c) => {
      const database = db(c.env.DB);
      const generation = await ownedGeneration(database, c.var.user.id, c.req.valid("param").id);
      return c.json(await generationView(c.var.config, generation, await itemsOf(database, generation.id), catalog.definition(generation.appId)), 200);
    })
    .post(
      "/:id/cancel",
      doc({ summary: "Cancel the items not started yet; they are never charged", tags: ["generations"], response: z.object({ generation: GenerationView }) }),
      params(IdParams),
      async (c) => {
        const database = db(c.env.DB);
        const generation = await ownedGeneration(database, c.var.user.id, c.req.valid("param").id);
        await cancelGeneration(c.env, c.var.config, generation.id);
        const fresh = await ownedGeneration(database, c.var.user.id, generation.id);
        return c.json({ generation: await generationView(c.var.config, fresh, await itemsOf(database, generation.id), catalog.definition(fresh.appId)) }, 200);
      },
    );

/** The body is validated by the app's own schema (published here as a union of them). */
const AnyBody = z.record(z.string(), z.unknown());

/** POST /api/apps/:appId/generations, mounted beside the catalog under /api/apps. */
export const startGenerationRoutes = (catalog: Catalog) =>
  new Hono<AppEnv>().post(
    "/:appId/generations",
    doc({
      summary: "Start a generation (reserves its cost, queues one message per item)",
      tags: ["generations"],
      status: 202,
      idempotent: true,
      body: z.union(catalog.bodies()),
      response: z.object({ generation: GenerationView }),
    }),
    requireSession,
    params(z.object({ appId: z.string().min(1).max(40) })),
    json(AnyBody),
    async (c) => {
      const app = catalog.generating(c.req.valid("param").appId);
      await assertAppOpen(db(c.env.DB), app.manifest.id);
      const key = idempotencyKey(c);
      const { generation } = await submitGeneration({ env: c.env, config: c.var.config, caller: c.var.caller, app, idempotencyKey: key, body: c.req.valid("json") });
      return c.json({ generation: await generationView(c.var.config, generation) }, 202);
    },
  );
