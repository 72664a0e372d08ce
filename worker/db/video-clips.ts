/**
 * Video Mixer clips: one row per uploaded clip (an R2 multipart upload until it completes),
 * and the parts received so far, so a failed part is re-sent alone and completion knows
 * every part's ETag.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { projects, users } from "./schema";

const now = sql`(unixepoch('subsec') * 1000)`;

export const CLIP_STATUSES = ["uploading", "ready", "rejected"] as const;

export const videoClips = sqliteTable(
  "video_clips",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    status: text("status", { enum: CLIP_STATUSES }).notNull().default("uploading"),
    /** Declared at create; every part is checked against it. */
    sizeBytes: integer("size_bytes").notNull(),
    partSize: integer("part_size").notNull(),
    objectKey: text("object_key").notNull(),
    /** The open R2 multipart upload; null once completed or aborted. */
    uploadId: text("upload_id"),
    durationMs: integer("duration_ms"),
    width: integer("width"),
    height: integer("height"),
    fps: real("fps"),
    /** The decoder's codec string, e.g. avc1.64000d. */
    codec: text("codec"),
    formatKey: text("format_key"),
    /** JSON: the settings the format key is made of (media/video/format.ts), for naming differences. */
    format: text("format"),
    /** JSON array of key-frame times in ms. */
    keyframesMs: text("keyframes_ms"),
    error: text("error"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("video_clips_project_idx").on(t.userId, t.projectId, t.createdAt), index("video_clips_status_idx").on(t.status, t.updatedAt)],
);

export const videoClipParts = sqliteTable(
  "video_clip_parts",
  {
    clipId: text("clip_id")
      .notNull()
      .references(() => videoClips.id, { onDelete: "cascade" }),
    partNumber: integer("part_number").notNull(),
    etag: text("etag").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
  },
  (t) => [primaryKey({ columns: [t.clipId, t.partNumber] })],
);
