/**
 * Sessions and refresh-token rotation, the one module the Worker calls for them. The state
 * lives in the user's own Account object (account/sessions.ts): checking a session touches
 * nothing shared, and revoking one takes effect on the next request. A refresh token names
 * its user, so rotation finds the object without D1.
 */
import { accountOf } from "../account/client";
import type { SessionRecord, SessionUser } from "../account/sessions";
import type { Config } from "../config/config";
import type { AuthUser } from "../http/context";
import type { Position } from "../http/pagination";
import { newRefreshToken, refreshTokenUser, sha256, successorRefreshToken } from "./tokens";

const DAY_MS = 86_400_000;
/** How long after a rotation the replaced token may still be presented, as a retry of that rotation. */
export const GRACE_MS = 10_000;

export interface IssuedSession {
  sessionId: string;
  refreshToken: string;
}

/** A new login of `user` (as D1 has them now, which the object keeps for later requests). */
export async function createSession(env: Env, config: Config, user: SessionUser, userAgent: string | null): Promise<IssuedSession> {
  const sessionId = crypto.randomUUID();
  const refreshToken = await newRefreshToken(config, user.id);
  await accountOf(env, user.id).startSession({
    sessionId,
    tokenHash: await sha256(refreshToken),
    expiresAt: Date.now() + config.REFRESH_TOKEN_TTL_DAYS * DAY_MS,
    userAgent: userAgent?.slice(0, 256) ?? null,
    refreshTtlMs: config.REFRESH_TOKEN_TTL_DAYS * DAY_MS,
    user,
  });
  return { sessionId, refreshToken };
}

export type RotateResult = { ok: true; userId: string; sessionId: string; refreshToken: string } | { ok: false; reason: "unknown" | "expired" | "reused" };

/**
 * Rotates a refresh token in its user's object: the presented token is marked replaced by
 * its successor (successorRefreshToken, the same for every caller) and the successor is
 * stored once. A caller who presents the token again within GRACE_MS of its rotation,
 * while the successor is still the live token (a retry after a lost response, a concurrent
 * refresh), gets that same successor: one chain goes on. Anything else replaced is reuse,
 * and the session ends.
 */
export async function rotateRefreshToken(env: Env, config: Config, presented: string, now = Date.now()): Promise<RotateResult> {
  const userId = await refreshTokenUser(config, presented);
  if (!userId) return { ok: false, reason: "unknown" };
  const refreshToken = await successorRefreshToken(config, userId, presented);
  const outcome = await accountOf(env, userId).rotateRefreshToken({ hash: await sha256(presented), successorHash: await sha256(refreshToken), graceMs: GRACE_MS, now });
  return outcome.ok ? { ok: true, userId, sessionId: outcome.sessionId, refreshToken } : outcome;
}

/** Ends one session; false when it had already ended (or never existed). */
export async function revokeSession(env: Env, userId: string, sessionId: string, reason: string): Promise<boolean> {
  return accountOf(env, userId).endSession(sessionId, reason);
}

/** Revokes one of the user's sessions; false when it is not theirs (or does not exist). */
export async function revokeOwnSession(env: Env, userId: string, sessionId: string): Promise<boolean> {
  return revokeSession(env, userId, sessionId, "user_revoked");
}

/** "Log out other devices": every live session of the user except the current one. */
export async function revokeOtherSessions(env: Env, userId: string, keepSessionId: string): Promise<number> {
  return accountOf(env, userId).endSessions("user_revoked_others", keepSessionId);
}

/** Every session of the user (an admin's revoke, a deleted account); returns how many were live. */
export async function revokeAllSessions(env: Env, userId: string, reason: string): Promise<number> {
  return accountOf(env, userId).endSessions(reason, null);
}

/** Live sessions, newest first; one more than `limit` when there is a next page. */
export async function listLiveSessions(env: Env, userId: string, limit: number, after: Position | null): Promise<SessionRecord[]> {
  return accountOf(env, userId).listSessions(limit, after);
}

/** After the user changes in D1 (role, tags, name): what their requests see from now on. */
export async function updateSessionUser(env: Env, user: SessionUser): Promise<void> {
  await accountOf(env, user.id).setSessionUser(user);
}

/** A session as its user (or an admin) sees it; `current` marks the caller's own. */
export function sessionView(s: SessionRecord, currentSessionId: string | null) {
  return {
    id: s.id,
    createdAt: new Date(s.createdAt).toISOString(),
    lastUsedAt: new Date(s.lastUsedAt).toISOString(),
    expiresAt: new Date(s.expiresAt).toISOString(),
    userAgent: s.userAgent,
    current: s.id === currentSessionId,
  };
}

/** The caller behind an access token, if its session is still live: one call to their own object. */
export async function loadSessionUser(env: Env, userId: string, sessionId: string): Promise<AuthUser | null> {
  const user = await accountOf(env, userId).sessionUser(sessionId);
  return user && user.id === userId ? { ...user, sessionId } : null;
}
