/**
 * /api/bench: the ledger benchmark's charge loop (reserve 1 + settle) and top-up.
 * Mounted only by the benchmark and test entries (bench/support/worker.ts, test/support/worker.ts),
 * never by the deployed Worker.
 */
import { Hono } from "hono";
import { z } from "zod";
import { accountOf } from "../../worker/account/client";
import { asCaller, requireAuth, requireSession } from "../../worker/auth/middleware";
import type { AppEnv } from "../../worker/http/context";
import { ApiError } from "../../worker/core/errors";
import { doc } from "../../worker/http/openapi";
import { json } from "../../worker/http/validate";
import { providerFor } from "../../worker/ai/select";
import { previewOf } from "../../worker/generations/preview";

export const benchRoutes = new Hono<AppEnv>()
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
    doc({ summary: "Benchmark only: the image work of N items in a tight loop (the pipeline's ceiling)", tags: ["bench"] }),
    json(z.object({ count: z.number().int().min(1).max(500), width: z.number().int().min(64).max(2048), height: z.number().int().min(64).max(2048) })),
    async (c) => {
      const { count, width, height } = c.req.valid("json");
      const provider = providerFor(c.var.config, c.env);
      // Workers clocks only move across I/O; a zero timer on each side makes both readings current.
      const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
      await tick();
      const started = Date.now();
      for (let i = 0; i < count; i++) {
        const image = await provider.generate({ prompt: "a test pattern", seed: i + 1, width, height });
        await previewOf({ format: "original", ...image });
      }
      await tick();
      return c.json({ count, ms: Date.now() - started }, 200);
    },
  );
