/** LIKE patterns that match user text literally: `%`, `_` and the escape character are plain characters. */
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** `%text%` with `%`, `_` and `\` escaped for `ESCAPE '\'`. */
export const literalLike = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** `column` contains `text` literally (case-insensitive for ASCII, as SQLite's LIKE is). */
export const containsLiterally = (column: SQLiteColumn, text: string): SQL => sql`${column} LIKE ${literalLike(text)} ESCAPE '\\'`;
