/**
 * Sessions and refresh-token rotation. A session is one login; its refresh tokens form a
 * chain where only the newest is live. Presenting a replaced token means it leaked:
 * the whole session is revoked (RFC 9700 reuse detection).
 */
import { and, desc, eq, gt, isNull, lt, ne, or } from "drizzle-orm";
import type { Config } from "../config/config";
import type { Db } from "../db/client";
import { refreshTokens, sessions, users } from "../db/schema";
import type { AuthUser } from "../http/context";
import type { Position } from "../http/pagination";
import { newRefreshToken, sha256 } from "./tokens";
import { toPublicUser } from "./users";

const DAY_MS = 86_400_000;

export interface IssuedSession {
  sessionId: string;
  refreshToken: string;
}

export async function createSession(database: Db, config: Config, userId: string, userAgent: string | null): Promise<IssuedSession> {
  const sessionId = crypto.randomUUID();
  const refreshToken = newRefreshToken();
  await database.batch([
    database.insert(sessions).values({
      id: sessionId,
      userId,
      expiresAt: Date.now() + config.REFRESH_TOKEN_TTL_DAYS * DAY_MS,
      userAgent: userAgent?.slice(0, 256) ?? null,
    }),
    database.insert(refreshTokens).values({ hash: await sha256(refreshToken), sessionId }),
  ]);
  return { sessionId, refreshToken };
}

export type RotateResult =
  | { ok: true; userId: string; sessionId: string; refreshToken: string }
  | { ok: false; reason: "unknown" | "expired" | "reused" };

export async function rotateRefreshToken(database: Db, presented: string): Promise<RotateResult> {
  const hash = await sha256(presented);
  const now = Date.now();
  const row = await database
    .select({ sessionId: refreshTokens.sessionId, replacedAt: refreshTokens.replacedAt, userId: sessions.userId, expiresAt: sessions.expiresAt, revokedAt: sessions.revokedAt })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.hash, hash))
    .get();
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt !== null || row.expiresAt <= now) return { ok: false, reason: "expired" };
  if (row.replacedAt !== null) {
    await revokeSession(database, row.sessionId, "refresh_token_reuse");
    return { ok: false, reason: "reused" };
  }
  // Only one caller can replace a live token; a loser of that race is treated as reuse.
  const replaced = await database
    .update(refreshTokens)
    .set({ replacedAt: now })
    .where(and(eq(refreshTokens.hash, hash), isNull(refreshTokens.replacedAt)))
    .returning({ hash: refreshTokens.hash });
  if (replaced.length === 0) {
    await revokeSession(database, row.sessionId, "refresh_token_reuse");
    return { ok: false, reason: "reused" };
  }
  const refreshToken = newRefreshToken();
  await database.batch([
    database.insert(refreshTokens).values({ hash: await sha256(refreshToken), sessionId: row.sessionId }),
    database.update(sessions).set({ lastUsedAt: now }).where(eq(sessions.id, row.sessionId)),
  ]);
  return { ok: true, userId: row.userId, sessionId: row.sessionId, refreshToken };
}

export async function revokeSession(database: Db, sessionId: string, reason: string): Promise<void> {
  await database
    .update(sessions)
    .set({ revokedAt: Date.now(), revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Revokes one of the user's sessions; false when it is not theirs (or does not exist). */
export async function revokeOwnSession(database: Db, userId: string, sessionId: string): Promise<boolean> {
  const rows = await database
    .update(sessions)
    .set({ revokedAt: Date.now(), revokedReason: "user_revoked" })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

/** "Log out other devices": every live session of the user except the current one. */
export async function revokeOtherSessions(database: Db, userId: string, keepSessionId: string): Promise<number> {
  const rows = await database
    .update(sessions)
    .set({ revokedAt: Date.now(), revokedReason: "user_revoked_others" })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), ne(sessions.id, keepSessionId)))
    .returning({ id: sessions.id });
  return rows.length;
}

export async function listLiveSessions(database: Db, userId: string, limit: number, after: Position | null) {
  const now = Date.now();
  return database
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        after ? or(lt(sessions.createdAt, after.at), and(eq(sessions.createdAt, after.at), lt(sessions.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .limit(limit + 1);
}

/**
 * The caller behind an access token, if its session is still live. Runs on every
 * authenticated request against the D1 primary, so logout takes effect at once.
 */
export async function loadSessionUser(database: Db, userId: string, sessionId: string): Promise<AuthUser | null> {
  const row = await database
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, Date.now())))
    .get();
  return row ? { ...toPublicUser(row.user), sessionId } : null;
}
