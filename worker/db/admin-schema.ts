/** D1 tables of the admin console: app switches, recovery runs and admin retries. */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch('subsec') * 1000)`;

/** An admin's override of an app's manifest; no row means the manifest's own values. */
export const appSwitches = sqliteTable("app_switches", {
  appId: text("app_id").primaryKey(),
  enabled: integer("enabled", { mode: "boolean" }).notNull(),
  beta: integer("beta", { mode: "boolean" }).notNull(),
  /** Shown to users while the app is disabled. */
  message: text("message").notNull().default(""),
  updatedBy: text("updated_by").notNull(),
  updatedAt: integer("updated_at").notNull().default(now),
});

/** One row per recovery run, from the cron (`actorId` null) or an admin. */
export const recoveryRuns = sqliteTable(
  "recovery_runs",
  {
    id: text("id").primaryKey(),
    actorId: text("actor_id"),
    ranAt: integer("ran_at").notNull(),
    requeued: integer("requeued").notNull(),
    failed: integer("failed").notNull(),
    finalized: integer("finalized").notNull(),
    released: integer("released").notNull(),
    errors: integer("errors").notNull(),
  },
  (t) => [index("recovery_runs_ran_at_idx").on(t.ranAt)],
);

/** A generation an admin started to re-run another one's failed items. */
export const generationRetries = sqliteTable(
  "generation_retries",
  {
    id: text("id").primaryKey(),
    originalId: text("original_id").notNull(),
    actorId: text("actor_id").notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("generation_retries_original_idx").on(t.originalId)],
);
