/** Housekeeping for the cron: auth state in D1 that nothing will read again. */
import { and, inArray, isNotNull, lt, lte, or } from "drizzle-orm";
import type { Config } from "../config/config";
import { db } from "../db/client";
import { rateLimits, refreshTokens, sessions } from "../db/schema";

const DAY_MS = 86_400_000;
/** Ended sessions stay listed (admin views, audits) this long before they go. */
export const ENDED_SESSION_KEEP_MS = 7 * DAY_MS;

export interface PruneReport {
  rateLimits: number;
  refreshTokens: number;
  sessions: number;
}

/**
 * Deletes, in one D1 batch: rate-limit rows whose window has ended; replaced refresh tokens
 * created longer ago than REFRESH_TOKEN_TTL_DAYS (their session, which began before them,
 * has expired, so reuse detection no longer needs them); and sessions that were revoked or
 * expired more than ENDED_SESSION_KEEP_MS ago, with all their tokens. Safe to run at any
 * time and twice.
 */
export async function pruneAuthState(env: Pick<Env, "DB">, config: Config, now = Date.now()): Promise<PruneReport> {
  const database = db(env.DB);
  const endedBefore = now - ENDED_SESSION_KEEP_MS;
  const ended = or(and(isNotNull(sessions.revokedAt), lt(sessions.revokedAt, endedBefore)), lt(sessions.expiresAt, endedBefore));
  const endedSessions = database.select({ id: sessions.id }).from(sessions).where(ended);
  const [limits, replaced, tokensOfEnded, removed] = await database.batch([
    database.delete(rateLimits).where(lte(rateLimits.expiresAt, now)),
    database.delete(refreshTokens).where(and(isNotNull(refreshTokens.replacedAt), lt(refreshTokens.createdAt, now - config.REFRESH_TOKEN_TTL_DAYS * DAY_MS))),
    database.delete(refreshTokens).where(inArray(refreshTokens.sessionId, endedSessions)),
    database.delete(sessions).where(ended),
  ]);
  return { rateLimits: limits.meta.changes, refreshTokens: replaced.meta.changes + tokensOfEnded.meta.changes, sessions: removed.meta.changes };
}
