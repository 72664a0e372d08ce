/**
 * GET /api/admin/metrics: totals and a daily series, each one grouped query over D1 (no
 * per-user or per-day round trips). Credits spent are the generations' captures; granted
 * and adjusted are admins' credits, read from their audit rows. Sold credits and revenue
 * are paid orders', counted on the day each was paid.
 */
import { Hono } from "hono";
import { and, count, eq, gte, inArray, sql, sum, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { db } from "../db/client";
import { orders } from "../db/billing";
import { auditLog, balances, GENERATION_STATUSES, generationItems, generations, users } from "../db/schema";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { query } from "../http/validate";

const DAY_MS = 86_400_000;
const MetricsQuery = z.object({ days: z.coerce.number().int().min(1).max(90).default(30) });

const ByStatus = z.object(Object.fromEntries(GENERATION_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof GENERATION_STATUSES)[number], z.ZodNumber>);
const Day = z.object({
  date: z.string(),
  newUsers: z.number(),
  generations: ByStatus,
  itemsFailed: z.number(),
  creditsSpent: z.number(),
  creditsGranted: z.number(),
  creditsSold: z.number(),
  /** Whole units of each currency (rupiah) paid that day. */
  revenue: z.record(z.string(), z.number()),
});
const Metrics = z.object({
  totals: z.object({
    users: z.number(),
    generations: ByStatus,
    itemsFailed24h: z.number(),
    queueBacklog: z.number(),
    openHolds: z.object({ accounts: z.number(), credits: z.number() }),
    credits: z.object({ sold: z.number(), spent: z.number(), granted: z.number(), adjusted: z.number() }),
    revenue: z.record(z.string(), z.number()),
  }),
  days: z.array(Day),
});

/** The UTC date (YYYY-MM-DD) of a millisecond timestamp column. */
const dayOf = (column: SQLiteColumn) => sql<string>`strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`;
const grantedAmount = sql<number>`CAST(json_extract(${auditLog.details}, '$.after.amount') AS INTEGER)`;
const num = (v: unknown) => Number(v ?? 0);
const zeroStatuses = () => Object.fromEntries(GENERATION_STATUSES.map((s) => [s, 0])) as Record<(typeof GENERATION_STATUSES)[number], number>;

export const adminMetricsRoutes = new Hono<AppEnv>().get(
  "/metrics",
  doc({ summary: "Totals and a daily series of the last `days` (1–90)", tags: ["admin"], response: Metrics }),
  query(MetricsQuery),
  async (c) => {
    const { days } = c.req.valid("query");
    const database = db(c.env.DB);
    const now = Date.now();
    const todayStart = now - (now % DAY_MS);
    const from = todayStart - (days - 1) * DAY_MS;
    const grants = (extra: SQL | undefined) => and(eq(auditLog.action, "admin.credits"), extra);

    const paid = (extra?: SQL) => and(eq(orders.status, "paid"), extra);
    const [userCount, statusRows, failed24h, backlog, holds, spent, granted, adjusted, sold, dailyUsers, dailyGenerations, dailyFailed, dailySpent, dailyGranted, dailySold] = await database.batch([
      database.select({ n: count() }).from(users),
      database.select({ status: generations.status, n: count() }).from(generations).groupBy(generations.status),
      database
        .select({ n: count() })
        .from(generationItems)
        .where(and(eq(generationItems.status, "failed"), gte(generationItems.finishedAt, now - DAY_MS))),
      database
        .select({ n: count() })
        .from(generationItems)
        .where(inArray(generationItems.status, ["queued", "processing"])),
      database
        .select({ n: count(), credits: sum(balances.held) })
        .from(balances)
        .where(sql`${balances.held} > 0`),
      database.select({ n: sum(generations.charged) }).from(generations),
      database
        .select({ n: sum(grantedAmount) })
        .from(auditLog)
        .where(grants(sql`${grantedAmount} > 0`)),
      database
        .select({ n: sum(grantedAmount) })
        .from(auditLog)
        .where(grants(sql`${grantedAmount} < 0`)),
      database
        .select({ currency: orders.currency, credits: sum(orders.credits), amount: sum(orders.amount) })
        .from(orders)
        .where(paid())
        .groupBy(orders.currency),
      database
        .select({ day: dayOf(users.createdAt), n: count() })
        .from(users)
        .where(gte(users.createdAt, from))
        .groupBy(dayOf(users.createdAt)),
      database
        .select({ day: dayOf(generations.createdAt), status: generations.status, n: count() })
        .from(generations)
        .where(gte(generations.createdAt, from))
        .groupBy(dayOf(generations.createdAt), generations.status),
      database
        .select({ day: dayOf(generationItems.finishedAt), n: count() })
        .from(generationItems)
        .where(and(eq(generationItems.status, "failed"), gte(generationItems.finishedAt, from)))
        .groupBy(dayOf(generationItems.finishedAt)),
      database
        .select({ day: dayOf(generations.finishedAt), n: sum(generations.charged) })
        .from(generations)
        .where(gte(generations.finishedAt, from))
        .groupBy(dayOf(generations.finishedAt)),
      database
        .select({ day: dayOf(auditLog.createdAt), n: sum(grantedAmount) })
        .from(auditLog)
        .where(grants(and(gte(auditLog.createdAt, from), sql`${grantedAmount} > 0`)))
        .groupBy(dayOf(auditLog.createdAt)),
      database
        .select({ day: dayOf(orders.paidAt), currency: orders.currency, credits: sum(orders.credits), amount: sum(orders.amount) })
        .from(orders)
        .where(paid(gte(orders.paidAt, from)))
        .groupBy(dayOf(orders.paidAt), orders.currency),
    ]);

    const series = new Map<string, z.infer<typeof Day>>();
    for (let t = from; t <= todayStart; t += DAY_MS) {
      const date = new Date(t).toISOString().slice(0, 10);
      series.set(date, { date, newUsers: 0, generations: zeroStatuses(), itemsFailed: 0, creditsSpent: 0, creditsGranted: 0, creditsSold: 0, revenue: {} });
    }
    const at = (day: string) => series.get(day);
    for (const r of dailyUsers) {
      const d = at(r.day);
      if (d) d.newUsers = num(r.n);
    }
    for (const r of dailyGenerations) {
      const d = at(r.day);
      if (d) d.generations[r.status] = num(r.n);
    }
    for (const r of dailyFailed) {
      const d = at(r.day);
      if (d) d.itemsFailed = num(r.n);
    }
    for (const r of dailySpent) {
      const d = at(r.day);
      if (d) d.creditsSpent = num(r.n);
    }
    for (const r of dailyGranted) {
      const d = at(r.day);
      if (d) d.creditsGranted = num(r.n);
    }
    for (const r of dailySold) {
      const d = at(r.day);
      if (!d) continue;
      d.creditsSold += num(r.credits);
      d.revenue[r.currency] = num(r.amount);
    }

    const byStatus = zeroStatuses();
    for (const r of statusRows) byStatus[r.status] = num(r.n);
    return c.json(
      {
        totals: {
          users: num(userCount[0]?.n),
          generations: byStatus,
          itemsFailed24h: num(failed24h[0]?.n),
          queueBacklog: num(backlog[0]?.n),
          openHolds: { accounts: num(holds[0]?.n), credits: num(holds[0]?.credits) },
          credits: { sold: sold.reduce((n, r) => n + num(r.credits), 0), spent: num(spent[0]?.n), granted: num(granted[0]?.n), adjusted: num(adjusted[0]?.n) },
          revenue: Object.fromEntries(sold.map((r) => [r.currency, num(r.amount)])),
        },
        days: [...series.values()],
      },
      200,
    );
  },
);
