/**
 * The user's sessions and refresh-token chains, in their own Account object, so checking
 * an access token never leaves the object the request is about. A session is one login;
 * its refresh tokens form a chain where only the newest is live. Presenting a replaced
 * token means it leaked: the whole session is revoked (RFC 9700 reuse detection), except
 * for a retry of the latest rotation within the grace window. The object serializes
 * calls, so each rotation is read-then-write without races.
 */
import { z } from "zod";

const DAY_MS = 86_400_000;
/** Ended sessions stay listed (admin views, audits) this long before they go. */
export const ENDED_SESSION_KEEP_MS = 7 * DAY_MS;

/** What the Worker needs to know about the caller, kept beside their sessions. */
export const SessionUser = z.object({
  id: z.string().min(1).max(64),
  email: z.string().min(1).max(320),
  name: z.string().max(200),
  role: z.enum(["user", "admin"]),
  tags: z.array(z.string().max(64)).max(32),
  createdAt: z.string().max(40),
});
export type SessionUser = z.infer<typeof SessionUser>;

const Hash = z.string().min(1).max(128);

export const StartSessionSchema = z.object({
  sessionId: z.string().uuid(),
  tokenHash: Hash,
  expiresAt: z.number().int(),
  userAgent: z.string().max(256).nullable(),
  /** Replaced tokens older than this are dropped: their session has expired. */
  refreshTtlMs: z.number().int().min(1),
  user: SessionUser,
});
export type StartSession = z.infer<typeof StartSessionSchema>;

export const RotateSchema = z.object({ hash: Hash, successorHash: Hash, graceMs: z.number().int().min(0), now: z.number().int() });
export type Rotate = z.infer<typeof RotateSchema>;

export type RotateOutcome = { ok: true; sessionId: string } | { ok: false; reason: "unknown" | "expired" | "reused" };

export interface SessionRecord {
  id: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  userAgent: string | null;
}

/** The answer of a call that checks the caller's session first: the user, or the session has ended. */
export type Authed<T> = { ok: true; user: SessionUser; value: T } | { ok: false };

type SessionRow = {
  id: string;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  user_agent: string | null;
};

const toRecord = (r: SessionRow): SessionRecord => ({ id: r.id, createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at, userAgent: r.user_agent });

export class Sessions {
  /** The stored user, once read (undefined: read it again); only this class writes it. */
  private storedUser: SessionUser | null | undefined;

  constructor(private readonly sql: SqlStorage) {}

  user(): SessionUser | null {
    if (this.storedUser !== undefined) return this.storedUser;
    const row = this.sql.exec<{ user: string }>("SELECT user FROM session_user WHERE id = 1").toArray()[0];
    this.storedUser = row ? SessionUser.parse(JSON.parse(row.user)) : null;
    return this.storedUser;
  }

  /** Storage was wiped under this class (the account's erasure): read everything again. */
  forget(): void {
    this.storedUser = undefined;
  }

  setUser(user: SessionUser): void {
    // Dropped, not replaced: a transaction that rolls this write back leaves nothing stale.
    this.storedUser = undefined;
    this.sql.exec("INSERT INTO session_user (id, user) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET user = excluded.user", JSON.stringify(user));
  }

  start(input: StartSession, now: number): void {
    this.prune(now, input.refreshTtlMs);
    this.setUser(input.user);
    this.sql.exec("INSERT INTO sessions (id, created_at, last_used_at, expires_at, user_agent) VALUES (?, ?, ?, ?, ?)", input.sessionId, now, now, input.expiresAt, input.userAgent);
    this.sql.exec("INSERT INTO refresh_tokens (hash, session_id, created_at) VALUES (?, ?, ?)", input.tokenHash, input.sessionId, now);
  }

  /** The user behind a live session of theirs, or null (unknown, revoked, expired). */
  check(sessionId: string, now: number): SessionUser | null {
    const live = this.sql.exec("SELECT 1 FROM sessions WHERE id = ? AND revoked_at IS NULL AND expires_at > ?", sessionId, now).toArray().length > 0;
    return live ? this.user() : null;
  }

  rotate({ hash, successorHash, graceMs, now }: Rotate): RotateOutcome {
    const row = this.sql
      .exec<{ session_id: string; replaced_at: number | null; replaced_by: string | null; expires_at: number; revoked_at: number | null }>(
        "SELECT t.session_id, t.replaced_at, t.replaced_by, s.expires_at, s.revoked_at FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.hash = ?",
        hash,
      )
      .toArray()[0];
    if (!row) return { ok: false, reason: "unknown" };
    if (row.revoked_at !== null || row.expires_at <= now) return { ok: false, reason: "expired" };
    if (row.replaced_at === null) {
      this.sql.exec("UPDATE refresh_tokens SET replaced_at = ?, replaced_by = ? WHERE hash = ?", now, successorHash, hash);
      this.sql.exec("INSERT INTO refresh_tokens (hash, session_id, created_at) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING", successorHash, row.session_id, now);
      this.sql.exec("UPDATE sessions SET last_used_at = ? WHERE id = ?", now, row.session_id);
      return { ok: true, sessionId: row.session_id };
    }
    // A retry of the latest rotation (a lost response, a concurrent refresh) gets the same successor.
    const successorLive = this.sql.exec("SELECT 1 FROM refresh_tokens WHERE hash = ? AND replaced_at IS NULL", successorHash).toArray().length > 0;
    if (row.replaced_by === successorHash && successorLive && now - row.replaced_at <= graceMs) return { ok: true, sessionId: row.session_id };
    this.revoke(row.session_id, "refresh_token_reuse", now);
    return { ok: false, reason: "reused" };
  }

  /** True when the session was live until now. */
  revoke(sessionId: string, reason: string, now: number): boolean {
    return this.sql.exec("UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL RETURNING id", now, reason, sessionId).toArray().length > 0;
  }

  /** Revokes every session not yet revoked, but `keep`; returns how many. */
  revokeAll(reason: string, keep: string | null, now: number): number {
    return this.sql.exec("UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE revoked_at IS NULL AND id IS NOT ? RETURNING id", now, reason, keep).toArray().length;
  }

  /** Live sessions, newest first, after a (createdAt, id) position; one more than `limit` tells there is a next page. */
  list(limit: number, after: { at: number; id: string } | null, now: number): SessionRecord[] {
    const rows = after
      ? this.sql.exec<SessionRow>(
          "SELECT * FROM sessions WHERE revoked_at IS NULL AND expires_at > ? AND (created_at < ? OR (created_at = ? AND id < ?)) ORDER BY created_at DESC, id DESC LIMIT ?",
          now,
          after.at,
          after.at,
          after.id,
          limit + 1,
        )
      : this.sql.exec<SessionRow>("SELECT * FROM sessions WHERE revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC, id DESC LIMIT ?", now, limit + 1);
    return rows.toArray().map(toRecord);
  }

  /**
   * Drops what nothing reads again: sessions ended more than ENDED_SESSION_KEEP_MS ago with
   * their tokens, and replaced tokens created before the refresh TTL (their session, which
   * began before them, has expired, so reuse detection no longer needs them).
   */
  prune(now: number, refreshTtlMs: number): { sessions: number; refreshTokens: number } {
    const endedBefore = now - ENDED_SESSION_KEEP_MS;
    const ended = "(revoked_at IS NOT NULL AND revoked_at < ?) OR expires_at < ?";
    const count = (query: string, ...binds: number[]) => this.sql.exec(`${query} RETURNING 1`, ...binds).toArray().length;
    const ofEnded = count(`DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE ${ended})`, endedBefore, endedBefore);
    const sessions = count(`DELETE FROM sessions WHERE ${ended}`, endedBefore, endedBefore);
    const replaced = count("DELETE FROM refresh_tokens WHERE replaced_at IS NOT NULL AND created_at < ?", now - refreshTtlMs);
    return { sessions, refreshTokens: ofEnded + replaced };
  }
}
