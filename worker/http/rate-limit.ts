/**
 * Fixed-window limits for callers who are not signed in yet (login, register, health),
 * counted with one atomic UPSERT in D1. Per-user generation limits live in the Account object.
 */
import { rateLimited } from "../core/errors";

export interface WindowLimit {
  key: string;
  limit: number;
  windowSeconds: number;
}

/** Which window a hit was counted in, so it can be taken back there (and only there). */
export interface CountedHit {
  key: string;
  windowStart: number;
}

/** Counts one hit; throws 429 (with Retry-After) once the window's limit is passed. */
export async function hitLimit(d1: D1Database, { key, limit, windowSeconds }: WindowLimit, now = Date.now()): Promise<CountedHit> {
  const windowMs = windowSeconds * 1000;
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const row = await d1
    .prepare(
      `INSERT INTO rate_limits (key, window_start, count, expires_at) VALUES (?1, ?2, 1, ?3)
       ON CONFLICT(key) DO UPDATE SET
         count = CASE WHEN window_start = excluded.window_start THEN count + 1 ELSE 1 END,
         window_start = excluded.window_start,
         expires_at = excluded.expires_at
       RETURNING count`,
    )
    .bind(key, windowStart, windowStart + windowMs)
    .first<{ count: number }>();
  if (row && row.count > limit) throw rateLimited((windowStart + windowMs - now) / 1000);
  return { key, windowStart };
}

/** Takes counted hits back (a login that turned out to be the owner's); a window that has since rolled over is left alone. */
export async function refundHits(d1: D1Database, hits: CountedHit[]): Promise<void> {
  await d1.batch(hits.map((h) => d1.prepare("UPDATE rate_limits SET count = count - 1 WHERE key = ?1 AND window_start = ?2 AND count > 0").bind(h.key, h.windowStart)));
}
