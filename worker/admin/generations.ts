/** /api/admin/generations and /api/admin/dead-letters: every user's work, failures and retries. */
import { Hono } from "hono";
import { and, desc, eq, lt, or } from "drizzle-orm";
import { z } from "zod";
import { db } from "../db/client";
import { GENERATION_STATUSES, generationItems, generations } from "../db/schema";
import type { AppEnv } from "../http/context";
import { idempotencyKey } from "../http/idempotency";
import { doc } from "../http/openapi";
import { decodeCursor, page, pageQuery } from "../http/pagination";
import { params, query } from "../http/validate";
import { GenerationView, generationView } from "../generations/view";
import { retryFailedItems } from "./retry";

const Id = z.string().min(1).max(64);
const ListQuery = pageQuery.extend({ status: z.enum(GENERATION_STATUSES).optional(), appId: z.string().min(1).max(40).optional(), userId: Id.optional() });
const DeadLetterQuery = pageQuery.extend({ appId: z.string().min(1).max(40).optional() });

const AdminGenerationView = GenerationView.extend({ userId: z.string(), error: z.string().nullable() });
const DeadLetter = z.object({
  generationId: z.string(),
  itemKey: z.string(),
  userId: z.string(),
  appId: z.string(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  failedAt: z.string().nullable(),
});

/** Newest first by a timestamp column, with the id as tie-breaker. */
const before = (at: typeof generations.createdAt | typeof generationItems.updatedAt, idColumn: typeof generations.id | typeof generationItems.id, cursor: string | undefined) => {
  const after = decodeCursor(cursor);
  return after ? or(lt(at, after.at), and(eq(at, after.at), lt(idColumn, after.id))) : undefined;
};

export const adminGenerationRoutes = new Hono<AppEnv>()
  .get(
    "/generations",
    doc({ summary: "Every user's generations, newest first", tags: ["admin"], response: z.object({ items: z.array(AdminGenerationView), nextCursor: z.string().nullable() }) }),
    query(ListQuery),
    async (c) => {
      const { limit, cursor, status, appId, userId } = c.req.valid("query");
      const rows = await db(c.env.DB)
        .select()
        .from(generations)
        .where(
          and(
            status ? eq(generations.status, status) : undefined,
            appId ? eq(generations.appId, appId) : undefined,
            userId ? eq(generations.userId, userId) : undefined,
            before(generations.createdAt, generations.id, cursor),
          ),
        )
        .orderBy(desc(generations.createdAt), desc(generations.id))
        .limit(limit + 1);
      const result = page(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
      const items = await Promise.all(result.items.map(async (g) => ({ ...(await generationView(c.var.config, g)), userId: g.userId, error: g.error })));
      return c.json({ items, nextCursor: result.nextCursor }, 200);
    },
  )
  .get(
    "/dead-letters",
    doc({ summary: "Failed items with their last error, newest first", tags: ["admin"], response: z.object({ items: z.array(DeadLetter), nextCursor: z.string().nullable() }) }),
    query(DeadLetterQuery),
    async (c) => {
      const { limit, cursor, appId } = c.req.valid("query");
      const rows = await db(c.env.DB)
        .select({ item: generationItems, appId: generations.appId })
        .from(generationItems)
        .innerJoin(generations, eq(generations.id, generationItems.generationId))
        .where(and(eq(generationItems.status, "failed"), appId ? eq(generations.appId, appId) : undefined, before(generationItems.updatedAt, generationItems.id, cursor)))
        .orderBy(desc(generationItems.updatedAt), desc(generationItems.id))
        .limit(limit + 1);
      const result = page(rows, limit, (r) => ({ at: r.item.updatedAt, id: r.item.id }));
      const items = result.items.map(({ item, appId: app }) => ({
        generationId: item.generationId,
        itemKey: item.key,
        userId: item.userId,
        appId: app,
        attempts: item.attempts,
        error: item.error,
        failedAt: item.finishedAt === null ? null : new Date(item.finishedAt).toISOString(),
      }));
      return c.json({ items, nextCursor: result.nextCursor }, 200);
    },
  )
  .post(
    "/generations/:id/retry",
    doc({
      summary: "Re-run a finished generation's failed items as a new generation, charged only for what completes (audited)",
      tags: ["admin"],
      status: 202,
      idempotent: true,
      response: z.object({ generation: GenerationView }),
    }),
    params(z.object({ id: Id })),
    async (c) => {
      const key = idempotencyKey(c);
      const { generation } = await retryFailedItems(c, c.req.valid("param").id, key);
      return c.json({ generation: await generationView(c.var.config, generation) }, 202);
    },
  );
