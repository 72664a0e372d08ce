/**
 * GET /api/account/stats: what the caller has made and spent, per app and per UTC day for
 * 30 days, from one D1 batch (one round trip, no query per app or per day).
 */
import { and, count, desc, eq, gte, isNotNull, ne, sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../auth/middleware";
import { db } from "../db/client";
import { generationItems, generations, projects, sessions } from "../db/schema";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";

export const STATS_DAYS = 30;
const DAY_MS = 86_400_000;

const Totals = z.object({ works: z.number().int(), credits: z.number().int() });
export const AccountStats = z.object({
  /** Credits captured for completed work (released holds are not spent). */
  creditsSpent: z.number().int(),
  /** Outputs made: completed items. */
  works: z.number().int(),
  projects: z.number().int(),
  favourites: z.number().int(),
  /** The sign-in before this session's, or null when this is the first. */
  lastLoginAt: z.string().nullable(),
  byApp: z.record(z.string(), Totals),
  /** Oldest first, every day present (zero when nothing happened), `date` as YYYY-MM-DD (UTC). */
  daily: z.array(Totals.extend({ date: z.string() })),
});
export type AccountStats = z.infer<typeof AccountStats>;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const statsRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/", doc({ summary: "The caller's totals, per-app split and last 30 days", tags: ["account"], response: AccountStats }), async (c) => {
    const database = db(c.env.DB);
    const userId = c.var.user.id;
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const since = today - (STATS_DAYS - 1) * DAY_MS;
    const works = sql<number>`coalesce(sum(${generations.completed}), 0)`.mapWith(Number);
    const credits = sql<number>`coalesce(sum(${generations.charged}), 0)`.mapWith(Number);
    const day = sql<string>`strftime('%Y-%m-%d', ${generations.createdAt} / 1000, 'unixepoch')`;

    const [byApp, byDay, [projectCount], [favouriteCount], [previousLogin]] = await database.batch([
      database.select({ appId: generations.appId, works, credits }).from(generations).where(eq(generations.userId, userId)).groupBy(generations.appId),
      database
        .select({ date: day, works, credits })
        .from(generations)
        .where(and(eq(generations.userId, userId), gte(generations.createdAt, since)))
        .groupBy(day),
      database.select({ n: count() }).from(projects).where(eq(projects.userId, userId)),
      database
        .select({ n: count() })
        .from(generationItems)
        .where(and(eq(generationItems.userId, userId), isNotNull(generationItems.favoriteAt))),
      database
        .select({ at: sessions.createdAt })
        .from(sessions)
        .where(and(eq(sessions.userId, userId), ne(sessions.id, c.var.user.sessionId)))
        .orderBy(desc(sessions.createdAt))
        .limit(1),
    ]);

    const days = new Map(byDay.map((d) => [d.date, d]));
    const stats: AccountStats = {
      creditsSpent: byApp.reduce((sum, a) => sum + a.credits, 0),
      works: byApp.reduce((sum, a) => sum + a.works, 0),
      projects: projectCount?.n ?? 0,
      favourites: favouriteCount?.n ?? 0,
      lastLoginAt: previousLogin ? new Date(previousLogin.at).toISOString() : null,
      byApp: Object.fromEntries(byApp.map((a) => [a.appId, { works: a.works, credits: a.credits }])),
      daily: Array.from({ length: STATS_DAYS }, (_, i) => {
        const date = isoDay(since + i * DAY_MS);
        const d = days.get(date);
        return { date, works: d?.works ?? 0, credits: d?.credits ?? 0 };
      }),
    };
    return c.json(stats, 200);
  });
