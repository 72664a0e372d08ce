/** The Idempotency-Key header of mutations that spend or grant credits (8–128 chars). */
import type { Context } from "hono";
import type { AppEnv } from "./context";
import { ApiError } from "./errors";

const KEY = /^[\x21-\x7e]{8,128}$/;

export function idempotencyKey(c: Context<AppEnv>): string {
  const key = c.req.header("Idempotency-Key");
  if (!key) throw new ApiError("VALIDATION_ERROR", "Send an Idempotency-Key header (8–128 characters) so a retry cannot charge twice");
  if (!KEY.test(key)) throw new ApiError("VALIDATION_ERROR", "Idempotency-Key must be 8–128 printable characters");
  return key;
}

/** A stable id derived from (user, key): every retry of one request names the same thing. */
export async function idFromKey(userId: string, scope: string, key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${scope}\n${userId}\n${key}`)));
  const hex = Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** SHA-256 of a canonical JSON value: tells a replay (same body) from a conflict. */
export async function requestHash(value: unknown): Promise<string> {
  const canonical = JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
