/**
 * Account erasures in progress: one row per user being erased, with the step it has reached
 * (worker/account-data/erase.ts). Not tied to the user row, which an erasure deletes; the row
 * itself goes when the last step is done.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const ERASURE_STEPS = ["sessions", "work", "object", "rows", "files"] as const;
export type ErasureStep = (typeof ERASURE_STEPS)[number];

export const erasures = sqliteTable(
  "erasures",
  {
    userId: text("user_id").primaryKey(),
    /** The next step to run; every step is safe to run again. */
    step: text("step", { enum: ERASURE_STEPS }).notNull(),
    /** What the user's kept orders carry instead of their id. */
    anonymousId: text("anonymous_id").notNull(),
    /** The hashed email the login limits were counted under, to clear them when the erasure ends. */
    emailHash: text("email_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull().default(sql`(unixepoch('subsec') * 1000)`),
    updatedAt: integer("updated_at").notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("erasures_updated_idx").on(t.updatedAt)],
);
