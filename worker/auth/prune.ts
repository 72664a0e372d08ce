/**
 * Housekeeping for the cron: auth state in D1 that nothing will read again. Sessions and
 * refresh tokens live in each user's Account object, which prunes its own at each login.
 */
import { lte } from "drizzle-orm";
import { db } from "../db/client";
import { rateLimits } from "../db/schema";

export interface PruneReport {
  rateLimits: number;
}

/** Deletes rate-limit rows whose window has ended. Safe to run at any time and twice. */
export async function pruneAuthState(env: Pick<Env, "DB">, now = Date.now()): Promise<PruneReport> {
  const removed = await db(env.DB).delete(rateLimits).where(lte(rateLimits.expiresAt, now));
  return { rateLimits: removed.meta.changes };
}
