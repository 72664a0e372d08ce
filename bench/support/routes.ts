/**
 * /api/bench: the ledger benchmark's charge loop (reserve 1 + settle) and top-up, an item's
 * work in a loop (the pipeline benchmark's ceiling), and the floor of an authenticated request
 * (bench:cpu): the /api chain alone, plus the token check, plus one call to the caller's object.
 * Mounted only by the benchmark and test entries (bench/support/worker.ts, test/support/worker.ts),
 * never by the deployed Worker.
 */
import { Hono } from "hono";
import { z } from "zod";
import { accountOf } from "../../worker/account/client";
import { asCaller, callerOf, requireAuth, requireSession } from "../../worker/auth/middleware";
import type { AppEnv } from "../../worker/http/context";
import { ApiError } from "../../worker/core/errors";
import { doc } from "../../worker/http/openapi";
import { json } from "../../worker/http/validate";
import { and, eq } from "drizzle-orm";
import { db } from "../../worker/db/client";
import { generationItems, generations } from "../../worker/db/schema";
import type { Catalog } from "../../worker/generations/catalog";
import { renderItem, withPreview } from "../../worker/generations/item-work";

export const benchRoutes = (catalog: Catalog) =>
  new Hono<AppEnv>()
    .get("/floor/api", doc({ summary: "Benchmark only: the /api middleware chain and nothing else", tags: ["bench"] }), (c) => c.json({ ok: true }, 200))
    .get("/floor/token", doc({ summary: "Benchmark only: the chain plus the access token's check", tags: ["bench"] }), async (c) => c.json({ ok: (await callerOf(c)).id.length > 0 }, 200))
    .get("/floor/object", doc({ summary: "Benchmark only: the chain, the token and one call to the caller's object", tags: ["bench"] }), async (c) =>
      c.json(await accountOf(c.env, (await callerOf(c)).id).ping(), 200),
    )
    // A charge as the product makes one: the session checked inside the reserve, then the settle.
    .post("/charge", requireSession, doc({ summary: "Benchmark only: reserve and settle one charge", tags: ["bench"] }), json(z.object({ amount: z.number().int().min(1).max(1000) })), async (c) => {
      const { amount } = c.req.valid("json");
      const holdId = crypto.randomUUID();
      const { value: reserved } = await asCaller(c.env, c.var.caller, (account, sessionId) =>
        account.reserveAs(sessionId, { holdId, idempotencyKey: holdId, items: 1, unitCost: amount, reference: { type: "bench", id: holdId } }),
      );
      const account = accountOf(c.env, c.var.caller.id);
      if (!reserved.ok) {
        if (reserved.reason === "insufficient") throw new ApiError("INSUFFICIENT_CREDITS", "Not enough credits", { required: reserved.required, available: reserved.available });
        throw new ApiError("CONFLICT", reserved.reason);
      }
      const settled = await account.settle(holdId, 1);
      if (!settled.ok) throw new Error(`settle failed: ${settled.reason}`);
      return c.json({ charged: settled.hold.captured }, 200);
    })
    .post(
      "/grant",
      requireAuth,
      doc({ summary: "Benchmark only: add credits", tags: ["bench"] }),
      json(z.object({ amount: z.number().int().min(1).max(100_000_000), key: z.string().min(8).max(128) })),
      async (c) => {
        const { amount, key } = c.req.valid("json");
        const result = await accountOf(c.env, c.var.user.id).credit({ idempotencyKey: key, amount, kind: "grant", reference: null, description: "Benchmark top-up" });
        if (!result.ok) throw new ApiError("CONFLICT", result.reason);
        return c.json(await accountOf(c.env, c.var.user.id).balance(), 200);
      },
    )
    .post(
      "/render",
      requireAuth,
      doc({ summary: "Benchmark only: the work of a generation's first item, N times in a tight loop (the pipeline's ceiling)", tags: ["bench"] }),
      json(z.object({ generationId: z.string().min(1).max(64), count: z.number().int().min(1).max(500) })),
      async (c) => {
        const { generationId, count } = c.req.valid("json");
        const database = db(c.env.DB);
        const [item] = await database
          .select({ key: generationItems.key, params: generationItems.params, appId: generations.appId })
          .from(generationItems)
          .innerJoin(generations, eq(generations.id, generationItems.generationId))
          .where(and(eq(generationItems.generationId, generationId), eq(generationItems.userId, c.var.user.id)))
          .orderBy(generationItems.key)
          .limit(1);
        if (!item) throw new ApiError("NOT_FOUND", "No such generation of yours");
        const app = catalog.generating(item.appId);
        const work = { generationId, userId: c.var.user.id, key: item.key, params: item.params };
        // Workers clocks only move across I/O; a zero timer on each side makes both readings current.
        const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
        await tick();
        const started = Date.now();
        for (let i = 0; i < count; i++) await withPreview(await renderItem(c.env, database, c.var.config, app, work, 1));
        await tick();
        return c.json({ count, ms: Date.now() - started }, 200);
      },
    );
