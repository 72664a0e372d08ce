/**
 * D1 binds at most 100 parameters per statement: multi-row writes and IN lists are cut
 * into statements that stay under it (all of them can still go in one `batch()`).
 */
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";

export const D1_MAX_PARAMS = 100;

export function chunked<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
  return chunks;
}

/** Ids per `IN (…)` list, leaving room for the statement's other parameters. */
export const IN_LIST_MAX = 90;

/**
 * One INSERT per chunk of rows, sized from the parameters a single row really binds
 * (drizzle binds column defaults too, so counting the row's own fields is not enough).
 */
export function insertChunks<T extends SQLiteTable>(database: Db, table: T, rows: T["$inferInsert"][]) {
  const [first] = rows;
  if (first === undefined) return [];
  const perRow = database.insert(table).values(first).toSQL().params.length;
  const size = Math.max(1, Math.floor(D1_MAX_PARAMS / Math.max(1, perRow)));
  return chunked(rows, size).map((chunk) => database.insert(table).values(chunk));
}
