/** D1 schema: what is queried across users. Credits live in each user's Account object. */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch('subsec') * 1000)`;

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["user", "admin"] }).notNull().default("user"),
  /** JSON array of strings, e.g. ["enterprise_unlimited"]; parsed with zod on read. */
  tags: text("tags").notNull().default("[]"),
  createdAt: integer("created_at").notNull().default(now),
});

/** One row per login; revoking it ends every access and refresh token it issued. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull().default(now),
    lastUsedAt: integer("last_used_at").notNull().default(now),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
    revokedReason: text("revoked_reason"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Refresh tokens (SHA-256 only). A replaced token presented again revokes its session. */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    hash: text("hash").primaryKey(),
    sessionId: text("session_id").notNull().references(() => sessions.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull().default(now),
    replacedAt: integer("replaced_at"),
  },
  (t) => [index("refresh_tokens_session_idx").on(t.sessionId)],
);

/** Fixed-window counters for unauthenticated limits (login/register per IP and email). */
export const rateLimits = sqliteTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: integer("window_start").notNull(),
  count: integer("count").notNull(),
});

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    targetId: text("target_id"),
    details: text("details").notNull().default("{}"),
    requestId: text("request_id"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("audit_log_actor_idx").on(t.actorId, t.createdAt)],
);

/**
 * Projection of each Account object's balance for admin views and reconciliation.
 * Written by the object after its own commit; `version` only moves forward.
 */
export const balances = sqliteTable("balances", {
  userId: text("user_id").primaryKey().references(() => users.id, { onDelete: "cascade" }),
  balance: integer("balance").notNull(),
  held: integer("held").notNull(),
  version: integer("version").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
