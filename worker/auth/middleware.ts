/**
 * Resolves the caller from the Bearer token and a live session in their own Account
 * object; requireAdmin guards whole routers. requireAuth checks the session up front;
 * requireSession lets the route's one call to the object check it (asCaller), and checks
 * it after the route when the route made no such call, so no answer ever reaches an ended
 * session.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { accountOf } from "../account/client";
import type { Authed } from "../account/sessions";
import { loadSessionUser } from "./sessions";
import { verifyAccessToken } from "./tokens";
import type { AppEnv, AuthUser, Caller } from "../http/context";
import { ApiError } from "../core/errors";

const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/;

const sessionEnded = () => new ApiError("UNAUTHENTICATED", "This session has ended; sign in again");

/** The caller named by a valid Bearer access token (401 otherwise); their session is not checked here. */
export async function callerOf(c: Context<AppEnv>): Promise<Caller> {
  const match = BEARER.exec(c.req.header("Authorization") ?? "");
  if (!match) throw new ApiError("UNAUTHENTICATED", "Sign in first: send Authorization: Bearer <accessToken>");
  const claims = await verifyAccessToken(c.var.config, match[1]!);
  if (!claims) throw new ApiError("UNAUTHENTICATED", "The access token is invalid or expired");
  const caller: Caller = { id: claims.userId, sessionId: claims.sessionId, user: null };
  c.set("caller", caller);
  return caller;
}

export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const caller = await callerOf(c);
  caller.user = await loadSessionUser(c.env, caller.id, caller.sessionId);
  if (!caller.user) throw sessionEnded();
  c.set("user", caller.user);
  await next();
});

/** For routes whose work is one call to the caller's object: that call checks the session (asCaller). */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  const caller = await callerOf(c);
  await next();
  if (caller.user) return;
  caller.user = await loadSessionUser(c.env, caller.id, caller.sessionId);
  if (!caller.user) {
    // Whatever the route answered (an error, a replay) goes nowhere: the session has ended.
    c.res = undefined;
    throw sessionEnded();
  }
});

/**
 * One RPC to the caller's object that checks their session before its work (the object's
 * `…As` methods); a session that has ended is the same 401 as from requireAuth.
 */
export async function asCaller<T>(env: Env, caller: Caller, call: (account: ReturnType<typeof accountOf>, sessionId: string) => Promise<Authed<T>>): Promise<{ user: AuthUser; value: T }> {
  const answer = await call(accountOf(env, caller.id), caller.sessionId);
  if (!answer.ok || answer.user.id !== caller.id) throw sessionEnded();
  caller.user = { ...answer.user, sessionId: caller.sessionId };
  return { user: caller.user, value: answer.value };
}

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.user.role !== "admin") throw new ApiError("FORBIDDEN", "Administrators only");
  await next();
});
