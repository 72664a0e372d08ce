/** /api/credits: the caller's balance and ledger history, read from their Account object. */
import { Hono } from "hono";
import { UNLIMITED_TAG } from "../auth/users";
import { z } from "zod";
import { accountOf } from "../account/client";
import { requireAuth } from "../auth/middleware";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { query } from "../http/validate";

const BalanceView = z.object({
  balance: z.number().int(),
  held: z.number().int(),
  available: z.number().int(),
  unlimited: z.boolean(),
  dailyQuota: z.object({ limit: z.number().int(), used: z.number().int() }).nullable(),
});

const EntryView = z.object({
  id: z.string(),
  kind: z.enum(["grant", "purchase", "capture", "release", "refund", "adjustment", "usage"]),
  amount: z.number().int(),
  balanceAfter: z.number().int(),
  reference: z.string().nullable(),
  description: z.string(),
  createdAt: z.string(),
});

const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, "cursor must come from a previous page")
    .optional(),
});

export const creditRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/balance", doc({ summary: "Balance, held and available credits", tags: ["credits"], response: BalanceView }), async (c) => {
    const b = await accountOf(c.env, c.var.user.id).balance();
    return c.json(
      {
        balance: b.balance,
        held: b.held,
        available: b.available,
        unlimited: c.var.user.tags.includes(UNLIMITED_TAG),
        dailyQuota: b.dailyQuota ? { limit: b.dailyQuota.limit, used: b.dailyQuota.used } : null,
      },
      200,
    );
  })
  .get(
    "/history",
    doc({ summary: "Ledger entries, newest first", tags: ["credits"], response: z.object({ items: z.array(EntryView), nextCursor: z.string().nullable() }) }),
    query(HistoryQuery),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      const history = await accountOf(c.env, c.var.user.id).history(limit, cursor === undefined ? null : Number(cursor));
      return c.json(history, 200);
    },
  );
