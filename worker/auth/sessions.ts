/**
 * Sessions and refresh-token rotation. A session is one login; its refresh tokens form a
 * chain where only the newest is live. Presenting a replaced token means it leaked:
 * the whole session is revoked (RFC 9700 reuse detection), except for a retry of the
 * latest rotation within a short grace window.
 */
import { and, desc, eq, gt, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { Config } from "../config/config";
import type { Db } from "../db/client";
import { refreshTokens, sessions, users } from "../db/schema";
import type { AuthUser } from "../http/context";
import type { Position } from "../http/pagination";
import { newRefreshToken, sha256, successorRefreshToken } from "./tokens";
import { toPublicUser } from "./users";

const DAY_MS = 86_400_000;
/** How long after a rotation the replaced token may still be presented, as a retry of that rotation. */
export const GRACE_MS = 10_000;

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

export type RotateResult = { ok: true; userId: string; sessionId: string; refreshToken: string } | { ok: false; reason: "unknown" | "expired" | "reused" };

/**
 * Rotates a refresh token in one D1 batch (one transaction): the presented token is marked
 * replaced by its successor (successorRefreshToken, the same for every caller), the
 * successor is inserted once, and the outcome is read back. A caller who presents the token
 * again within GRACE_MS of its rotation, while the successor is still the live token (a
 * retry after a lost response, a concurrent refresh), gets that same successor: one chain
 * goes on. Anything else replaced is reuse, and the session ends.
 */
export async function rotateRefreshToken(database: Db, config: Config, presented: string, now = Date.now()): Promise<RotateResult> {
  const hash = await sha256(presented);
  const refreshToken = await successorRefreshToken(config, presented);
  const successorHash = await sha256(refreshToken);
  const liveSessions = database
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  const rotatedToSuccessor = and(eq(refreshTokens.hash, hash), eq(refreshTokens.replacedBy, successorHash));
  const [, , , rows] = await database.batch([
    database
      .update(refreshTokens)
      .set({ replacedAt: now, replacedBy: successorHash })
      .where(and(eq(refreshTokens.hash, hash), isNull(refreshTokens.replacedAt), inArray(refreshTokens.sessionId, liveSessions))),
    database
      .insert(refreshTokens)
      .select(
        database
          .select({
            hash: sql<string>`${successorHash}`.as("hash"),
            sessionId: refreshTokens.sessionId,
            createdAt: sql<number>`${now}`.as("created_at"),
            replacedAt: sql<null>`NULL`.as("replaced_at"),
            replacedBy: sql<null>`NULL`.as("replaced_by"),
          })
          .from(refreshTokens)
          .where(rotatedToSuccessor),
      )
      .onConflictDoNothing(),
    database
      .update(sessions)
      .set({ lastUsedAt: now })
      .where(inArray(sessions.id, database.select({ id: refreshTokens.sessionId }).from(refreshTokens).where(rotatedToSuccessor))),
    database
      .select({
        sessionId: refreshTokens.sessionId,
        replacedAt: refreshTokens.replacedAt,
        replacedBy: refreshTokens.replacedBy,
        // A subquery, not a join: D1 batch rows are keyed by column name, and a joined replaced_at would collide.
        successorIsLive: sql<number>`EXISTS (SELECT 1 FROM refresh_tokens s WHERE s.hash = ${refreshTokens.replacedBy} AND s.replaced_at IS NULL)`.as("successor_is_live"),
        userId: sessions.userId,
        expiresAt: sessions.expiresAt,
        revokedAt: sessions.revokedAt,
      })
      .from(refreshTokens)
      .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
      .where(eq(refreshTokens.hash, hash)),
  ]);
  const row = rows[0];
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt !== null || row.expiresAt <= now) return { ok: false, reason: "expired" };
  const isLatestRotation = row.replacedBy === successorHash && row.successorIsLive === 1;
  if (!isLatestRotation || row.replacedAt === null || now - row.replacedAt > GRACE_MS) {
    await revokeSession(database, row.sessionId, "refresh_token_reuse");
    return { ok: false, reason: "reused" };
  }
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

/** Every live session of the user, this one included (the account is being erased). */
export async function revokeAllSessions(database: Db, userId: string, reason: string): Promise<number> {
  const rows = await database
    .update(sessions)
    .set({ revokedAt: Date.now(), revokedReason: reason })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
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

/** A session as its user (or an admin) sees it; `current` marks the caller's own. */
export function sessionView(s: typeof sessions.$inferSelect, currentSessionId: string | null) {
  return {
    id: s.id,
    createdAt: new Date(s.createdAt).toISOString(),
    lastUsedAt: new Date(s.lastUsedAt).toISOString(),
    expiresAt: new Date(s.expiresAt).toISOString(),
    userAgent: s.userAgent,
    current: s.id === currentSessionId,
  };
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
