/**
 * Carousel Mix tables: a project's slide positions and each position's candidate images.
 * Listed in drizzle.config.ts beside schema.ts (which does not re-export them: that would be a cycle).
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { projects, users } from "./schema";

const now = sql`(unixepoch('subsec') * 1000)`;

/** One slide position of a carousel project; `captions` is a JSON array parsed with zod on read. */
export const carouselPositions = sqliteTable(
  "carousel_positions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    index: integer("index").notNull(),
    captions: text("captions").notNull().default("[]"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("carousel_positions_project_idx").on(t.projectId, t.index)],
);

/** A candidate image of a position: the re-encoded upload and its thumbnail in R2. */
export const carouselImages = sqliteTable(
  "carousel_images",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    positionId: text("position_id")
      .notNull()
      .references(() => carouselPositions.id, { onDelete: "cascade" }),
    imageKey: text("image_key").notNull(),
    thumbnailKey: text("thumbnail_key").notNull(),
    contentType: text("content_type").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("carousel_images_position_idx").on(t.positionId, t.createdAt)],
);
