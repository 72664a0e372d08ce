/** The Idempotency-Key header of mutations that spend or grant credits (8–128 chars). */
import type { Context } from "hono";
import { canonicalJson, sha256, toHex } from "../core/digest";
import type { AppEnv } from "./context";
import { ApiError } from "../core/errors";

const KEY = /^[\x21-\x7e]{8,128}$/;

export function idempotencyKey(c: Context<AppEnv>): string {
  const key = c.req.header("Idempotency-Key");
  if (!key) throw new ApiError("VALIDATION_ERROR", "Send an Idempotency-Key header (8–128 characters) so a retry cannot charge twice");
  if (!KEY.test(key)) throw new ApiError("VALIDATION_ERROR", "Idempotency-Key must be 8–128 printable characters");
  return key;
}

/** A stable id derived from (user, key): every retry of one request names the same thing. */
export async function idFromKey(userId: string, scope: string, key: string): Promise<string> {
  const hex = toHex((await sha256(`${scope}\n${userId}\n${key}`)).slice(0, 16));
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** SHA-256 of a canonical JSON value: tells a replay (same body) from a conflict. */
export async function requestHash(value: unknown): Promise<string> {
  return toHex(await sha256(canonicalJson(value)));
}
