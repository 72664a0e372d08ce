/** Request guards that run before any route: configuration, body size and time limits. */
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { loadConfig } from "../config/config";
import type { AppEnv } from "./context";
import { ApiError, errorBody } from "../core/errors";
import { log } from "../core/log";

/**
 * Refuses a path whose percent-escapes do not decode (`%ZZ`, a cut UTF-8 sequence, an
 * overlong or surrogate encoding) with 400. Hono's router, its params and the file route's
 * R2 key all decode the path; past this guard none of them can meet an undecodable one.
 */
export const wellFormedPath = createMiddleware<AppEnv>(async (c, next) => {
  // Only a URL with an escape in it can fail; most have none, and skip the parse.
  if (c.req.url.includes("%")) {
    try {
      decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      throw new ApiError("VALIDATION_ERROR", "The path has a malformed percent-escape");
    }
  }
  await next();
});

/** Validates configuration on first use; a bad configuration answers 503, never runs insecure. */
export const requireConfig = createMiddleware<AppEnv>(async (c, next) => {
  const result = loadConfig(c.env);
  if (!result.ok) {
    log("error", "config.invalid", { requestId: c.get("requestId"), problems: result.problems.join("; ") });
    return c.json(errorBody("SERVICE_UNAVAILABLE", "The service is misconfigured and cannot answer safely", c.get("requestId")), 503);
  }
  c.set("config", result.config);
  await next();
});

const CLIP_PART_PATH = /^\/api\/apps\/video-mixer\/projects\/[^/]+\/clips\/[^/]+\/parts\/\d+$/;
const isClipPart = (method: string, path: string) => method === "PUT" && CLIP_PART_PATH.test(path);

/**
 * Caps request bodies (413) before they are read. Multipart bodies are left to the upload
 * routes, the only ones that read them, which enforce their own (larger) cap while streaming;
 * every other route refuses multipart with 415 before reading a byte. A video clip part is
 * streamed to R2 under its own exact length (apps/video-mixer/uploads.ts).
 */
export const limitBody = (maxBytes?: number) =>
  createMiddleware<AppEnv>((c, next) => {
    if (c.req.raw.body === null) return next();
    const multipart = c.req.header("Content-Type")?.toLowerCase().startsWith("multipart/form-data") ?? false;
    if (maxBytes === undefined && (multipart || isClipPart(c.req.method, c.req.path))) return next();
    const max = maxBytes ?? c.var.config.MAX_BODY_BYTES;
    return bodyLimit({
      maxSize: max,
      onError: () => {
        throw new ApiError("PAYLOAD_TOO_LARGE", `Request body is larger than ${max} bytes`);
      },
    })(c, next);
  });

/** Fails a request that runs longer than REQUEST_TIMEOUT_MS with a 503 instead of hanging. */
export const requestTimeout = createMiddleware<AppEnv>(async (c, next) => {
  // A clip part takes as long as the client's upload link needs for 5 MiB; its own work is one R2 write.
  if (isClipPart(c.req.method, c.req.path)) return next();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ms = c.var.config.REQUEST_TIMEOUT_MS;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError("TIMEOUT", `The request took longer than ${ms} ms`)), ms);
  });
  try {
    await Promise.race([next(), expired]);
  } finally {
    clearTimeout(timer);
  }
});
