/** Resolves the caller from the Bearer token and a live session; requireAdmin guards whole routers. */
import { createMiddleware } from "hono/factory";
import { loadSessionUser } from "./sessions";
import { verifyAccessToken } from "./tokens";
import { db } from "../db/client";
import type { AppEnv } from "../http/context";
import { ApiError } from "../core/errors";

const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/;

export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const match = BEARER.exec(c.req.header("Authorization") ?? "");
  if (!match) throw new ApiError("UNAUTHENTICATED", "Sign in first: send Authorization: Bearer <accessToken>");
  const claims = await verifyAccessToken(c.var.config, match[1]!);
  if (!claims) throw new ApiError("UNAUTHENTICATED", "The access token is invalid or expired");
  const user = await loadSessionUser(db(c.env.DB), claims.userId, claims.sessionId);
  if (!user) throw new ApiError("UNAUTHENTICATED", "This session has ended; sign in again");
  c.set("user", user);
  await next();
});

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.user.role !== "admin") throw new ApiError("FORBIDDEN", "Administrators only");
  await next();
});
