/** CORS for a Pages-hosted SPA: only origins listed in CORS_ORIGINS, never a wildcard. */
import { cors } from "hono/cors";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";

// Built once: the allowlist is read from each request's configuration, the rest is fixed.
const policy = cors({
  origin: (origin, c: Context<AppEnv>) => (c.var.config.CORS_ORIGINS.includes(origin) ? origin : null),
  credentials: true,
  allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
  allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
  exposeHeaders: ["X-Request-Id", "Retry-After"],
  maxAge: 600,
});

export const corsAllowlist = createMiddleware<AppEnv>((c, next) => policy(c, next));
