/** D1 schema: what is queried across users. Credits live in each user's Account object. */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch('subsec') * 1000)`;

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["user", "admin"] })
    .notNull()
    .default("user"),
  /** JSON array of strings, e.g. ["enterprise_unlimited"]; parsed with zod on read. */
  tags: text("tags").notNull().default("[]"),
  createdAt: integer("created_at").notNull().default(now),
});

/** One row per login; revoking it ends every access and refresh token it issued. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull().default(now),
    lastUsedAt: integer("last_used_at").notNull().default(now),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
    revokedReason: text("revoked_reason"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * Refresh tokens (SHA-256 only), a chain per session. A replaced token presented again
 * revokes its session, unless it is a retry of its own rotation (auth/sessions.ts).
 */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    hash: text("hash").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull().default(now),
    replacedAt: integer("replaced_at"),
    /** Hash of the token that replaced this one. */
    replacedBy: text("replaced_by"),
  },
  (t) => [index("refresh_tokens_session_idx").on(t.sessionId)],
);

/** Fixed-window counters for unauthenticated limits (login/register per IP and email). */
export const rateLimits = sqliteTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: integer("window_start").notNull(),
  count: integer("count").notNull(),
  /** When the current window ends and the row can go; rows older than this column count as ended. */
  expiresAt: integer("expires_at").notNull().default(0),
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
export const balances = sqliteTable(
  "balances",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    balance: integer("balance").notNull(),
    held: integer("held").notNull(),
    version: integer("version").notNull(),
    /** When the object last changed (it writes this row after each burst): reconciliation visits these. */
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("balances_updated_idx").on(t.updatedAt)],
);

/** A user's workspace inside one app; every generation belongs to one. */
export const projects = sqliteTable(
  "projects",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    appId: text("app_id").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("projects_user_app_idx").on(t.userId, t.appId, t.createdAt)],
);

export const GENERATION_STATUSES = ["queued", "processing", "completed", "partial", "failed", "cancelled"] as const;
export const ITEM_STATUSES = ["queued", "processing", "completed", "failed", "cancelled"] as const;

/**
 * One request to an app. Its id is derived from (user, Idempotency-Key), so a retried or
 * concurrent duplicate request lands on the same row and the same credit hold.
 * Counters are derived from the items, never incremented.
 */
export const generations = sqliteTable(
  "generations",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    appId: text("app_id").notNull(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    status: text("status", { enum: GENERATION_STATUSES }).notNull().default("queued"),
    requestHash: text("request_hash").notNull(),
    /** The validated request body (JSON), for views and recovery. */
    params: text("params").notNull(),
    total: integer("total").notNull(),
    completed: integer("completed").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    cancelled: integer("cancelled").notNull().default(0),
    unitCost: integer("unit_cost").notNull(),
    /** Credits held at submit (items × unit cost, less what quota or unlimited covered). */
    cost: integer("cost").notNull(),
    charged: integer("charged"),
    refunded: integer("refunded"),
    error: text("error"),
    /** The user's own words when the app took a prompt (the gallery searches it). */
    prompt: text("prompt"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    index("generations_user_idx").on(t.userId, t.createdAt),
    index("generations_user_app_idx").on(t.userId, t.appId, t.createdAt),
    index("generations_status_idx").on(t.status, t.updatedAt),
    index("generations_finished_idx").on(t.finishedAt),
  ],
);

/** One output item: one queue message, its own retries, its own state machine. */
export const generationItems = sqliteTable(
  "generation_items",
  {
    id: text("id").primaryKey(),
    generationId: text("generation_id")
      .notNull()
      .references(() => generations.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    /** Deterministic per generation (the old variationKey): redeliveries map to the same outputs. */
    key: text("key").notNull(),
    position: integer("position").notNull(),
    status: text("status", { enum: ITEM_STATUSES }).notNull().default("queued"),
    /** The app's plan for this item (JSON). */
    params: text("params").notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** Times recovery re-sent the message. */
    resends: integer("resends").notNull().default(0),
    leaseUntil: integer("lease_until"),
    /** JSON: format → { key, width, height, contentType }. */
    outputs: text("outputs"),
    error: text("error"),
    /** When the owner starred this output; null when it is not a favourite. */
    favoriteAt: integer("favorite_at"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    uniqueIndex("generation_items_key_idx").on(t.generationId, t.key),
    index("generation_items_status_idx").on(t.status, t.updatedAt),
    // The gallery: one user's outputs of one status, newest first, in keyset order.
    index("generation_items_gallery_idx").on(t.userId, t.status, t.createdAt, t.id),
  ],
);

/**
 * The Pose Generator's library: public content, the same for every user. Rows come from
 * worker/apps/pose-generator/library/catalog.ts through a generated seed migration.
 */
export const poses = sqliteTable(
  "poses",
  {
    /** Stable slug, also the preview's R2 key. */
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    category: text("category").notNull(),
    difficulty: text("difficulty").notNull(),
    /** JSON array of strings; parsed with zod on read. */
    tags: text("tags").notNull(),
    /** JSON: 17 COCO keypoints as [x, y] normalized 0..1; parsed with KeypointsSchema on read. */
    keypoints: text("keypoints").notNull(),
    /** Catalog order: the listing order and the pagination key. */
    position: integer("position").notNull().unique(),
  },
  (t) => [index("poses_category_idx").on(t.category, t.position)],
);

export const AVATAR_SOURCES = ["upload", "generated"] as const;

/**
 * Avatar Creator: a user's avatars, uploaded or generated, each with its own re-encoded
 * image and thumbnail in R2. A generated avatar's id is derived from (generation, item), so
 * a redelivered item writes the same row; it is visible only once that item completed.
 */
export const avatars = sqliteTable(
  "avatars",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    source: text("source", { enum: AVATAR_SOURCES }).notNull(),
    imageKey: text("image_key").notNull(),
    thumbnailKey: text("thumbnail_key").notNull(),
    contentType: text("content_type").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    /** Generated avatars: the generation and item that made it; null for uploads. */
    generationId: text("generation_id"),
    itemKey: text("item_key"),
    prompt: text("prompt"),
    presetId: text("preset_id"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("avatars_user_project_idx").on(t.userId, t.projectId, t.createdAt), uniqueIndex("avatars_generation_item_idx").on(t.generationId, t.itemKey)],
);

/**
 * One row per reconciliation run (the cron's bank check across D1 and the Account
 * objects). The newest row is the admin view; `drift` is a JSON array of findings.
 */
export const reconciliationRuns = sqliteTable(
  "reconciliation_runs",
  {
    id: text("id").primaryKey(),
    ranAt: integer("ran_at").notNull(),
    /** Changes from this time on were looked at (the previous run's start, less a margin). */
    since: integer("since").notNull(),
    checked: integer("checked").notNull(),
    driftCount: integer("drift_count").notNull(),
    drift: text("drift").notNull(),
  },
  (t) => [index("reconciliation_runs_ran_at_idx").on(t.ranAt)],
);
export * from "./admin-schema";
