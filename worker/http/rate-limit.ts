/**
 * Fixed-window limits for callers who are not signed in yet (login, register, health),
 * counted with one atomic UPSERT in D1. Per-user generation limits live in the Account object.
 */
import { rateLimited } from "./errors";

export interface WindowLimit {
  key: string;
  limit: number;
  windowSeconds: number;
}

/** Counts one hit; throws 429 (with Retry-After) once the window's limit is passed. */
export async function hitLimit(d1: D1Database, { key, limit, windowSeconds }: WindowLimit, now = Date.now()): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const row = await d1
    .prepare(
      `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
       ON CONFLICT(key) DO UPDATE SET
         count = CASE WHEN window_start = excluded.window_start THEN count + 1 ELSE 1 END,
         window_start = excluded.window_start
       RETURNING count`,
    )
    .bind(key, windowStart)
    .first<{ count: number }>();
  if (row && row.count > limit) throw rateLimited((windowStart + windowMs - now) / 1000);
}
