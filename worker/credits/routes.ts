/** /api/credits: the caller's balance, ledger history and signed statement, read from their Account object. */
import { Hono } from "hono";
import { UNLIMITED_TAG } from "../auth/users";
import { z } from "zod";
import { accountOf } from "../account/client";
import { asCaller, requireSession } from "../auth/middleware";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { query } from "../http/validate";
import { signStatement } from "./statement";

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

const StatementQuery = z
  .object({ from: z.iso.datetime().optional(), to: z.iso.datetime().optional() })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) <= Date.parse(q.to), { message: "from must not be after to" });

const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, "cursor must come from a previous page")
    .optional(),
});

export const creditRoutes = new Hono<AppEnv>()
  .use(requireSession)
  .get("/balance", doc({ summary: "Balance, held and available credits", tags: ["credits"], response: BalanceView }), async (c) => {
    const { user, value: b } = await asCaller(c.env, c.var.caller, (account, sessionId) => account.balanceAs(sessionId));
    return c.json(
      {
        balance: b.balance,
        held: b.held,
        available: b.available,
        unlimited: user.tags.includes(UNLIMITED_TAG) || b.plan?.unlimited === true,
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
      const { value: history } = await asCaller(c.env, c.var.caller, (account, sessionId) => account.historyAs(sessionId, limit, cursor === undefined ? null : Number(cursor)));
      return c.json(history, 200);
    },
  )
  .get(
    "/statement",
    doc({ summary: "A signed statement (compact JWS, EdDSA) of the ledger entries in [from, to) with their hash chain", tags: ["credits"], response: z.object({ statement: z.string() }) }),
    query(StatementQuery),
    async (c) => {
      const { from, to } = c.req.valid("query");
      const fromMs = from === undefined ? 0 : Date.parse(from);
      const toMs = to === undefined ? Date.now() + 1 : Date.parse(to);
      // Checked by requireSession after the answer is built: only a live session gets it.
      const { previous, entries, head } = await accountOf(c.env, c.var.caller.id).statement(fromMs, toMs);
      const statement = await signStatement(c.var.config, {
        iss: c.var.config.JWT_ISSUER,
        sub: c.var.caller.id,
        iat: Math.floor(Date.now() / 1000),
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        previous,
        entries,
        head,
      });
      return c.json({ statement }, 200);
    },
  );
