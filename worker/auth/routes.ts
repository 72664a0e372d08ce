/** /api/auth: register, login, refresh, logout, me, sessions. */
import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { openAccount } from "../account/client";
import { db } from "../db/client";
import { users } from "../db/schema";
import { requireAuth } from "./middleware";
import type { AppEnv } from "../http/context";
import { ApiError } from "../core/errors";
import { doc } from "../http/openapi";
import { decodeCursor, page, pageQuery } from "../http/pagination";
import { json, params, query } from "../http/validate";
import { audit } from "../audit/audit";
import { hashPassword, scryptParams, verifyPassword, type ScryptParams } from "./password";
import { AuthResult, LoginBody, PublicUser, RegisterBody, SessionParams, SessionView } from "./schema";
import { settingsRoutes } from "./settings";
import { createSession, listLiveSessions, revokeOtherSessions, revokeOwnSession, revokeSession, rotateRefreshToken, sessionView } from "./sessions";
import { limitLogin, limitRegistration } from "./throttle";
import { signAccessToken } from "./tokens";
import { findUserByEmail, toPublicUser } from "./users";

const REFRESH_COOKIE = "lumiku_refresh";
const COOKIE_PATH = "/api/auth";
/**
 * Readable by the studio, holds no secret: it only says a refresh cookie was handed out, so a
 * visitor without one is known to be signed out without a refresh request that must fail.
 */
const SESSION_HINT_COOKIE = "lumiku_session";
const HINT_PATH = "/";

/** A hash to verify against when the email is unknown, so both 401s take the same time. */
let decoy: { logN: number; hash: Promise<string> } | undefined;
function decoyHash(params: ScryptParams): Promise<string> {
  if (!decoy || decoy.logN !== params.logN) decoy = { logN: params.logN, hash: hashPassword(crypto.randomUUID(), params) };
  return decoy.hash;
}

/** Strict unless the studio is on another site (REFRESH_COOKIE_SAME_SITE=None, always with Secure). */
const cookieScope = (c: Context<AppEnv>) => ({ path: COOKIE_PATH, secure: true, sameSite: c.var.config.REFRESH_COOKIE_SAME_SITE });
const hintScope = (c: Context<AppEnv>) => ({ ...cookieScope(c), path: HINT_PATH });

/** The refresh cookie and its hint, set together with the same lifetime. */
function setRefreshCookie(c: Context<AppEnv>, token: string): void {
  const maxAge = c.var.config.REFRESH_TOKEN_TTL_DAYS * 86_400;
  setCookie(c, REFRESH_COOKIE, token, { ...cookieScope(c), httpOnly: true, maxAge });
  setCookie(c, SESSION_HINT_COOKIE, "1", { ...hintScope(c), maxAge });
}

function clearRefreshCookie(c: Context<AppEnv>): void {
  deleteCookie(c, REFRESH_COOKIE, cookieScope(c));
  deleteCookie(c, SESSION_HINT_COOKIE, hintScope(c));
}

/**
 * The refresh cookie may ride a cross-site request (SameSite=None), so the refresh itself
 * checks who asks: a browser sends Origin on a POST, and only this Worker's origin and
 * CORS_ORIGINS may rotate the cookie.
 */
function refuseForeignOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header("Origin");
  if (origin === undefined || origin === new URL(c.req.url).origin || c.var.config.CORS_ORIGINS.includes(origin)) return;
  throw new ApiError("FORBIDDEN", "This origin may not use the sign-in cookie");
}

async function startSession(c: Context<AppEnv>, user: PublicUser) {
  const issued = await createSession(c.env, c.var.config, user, c.req.header("User-Agent") ?? null);
  setRefreshCookie(c, issued.refreshToken);
  return signAccessToken(c.var.config, { userId: user.id, sessionId: issued.sessionId });
}

const isUniqueViolation = (e: unknown) => e instanceof Error && /UNIQUE constraint failed/i.test(`${e.message} ${String(e.cause ?? "")}`);

export const authRoutes = new Hono<AppEnv>()
  .post("/register", doc({ summary: "Create an account", tags: ["auth"], auth: false, response: AuthResult, status: 201 }), json(RegisterBody), async (c) => {
    const body = c.req.valid("json");
    await limitRegistration(c, body.email);
    const database = db(c.env.DB);
    const id = crypto.randomUUID();
    try {
      await database.insert(users).values({ id, email: body.email, name: body.name, passwordHash: await hashPassword(body.password, scryptParams(c.var.config)), lastLoginAt: Date.now() });
    } catch (e) {
      if (isUniqueViolation(e)) throw new ApiError("CONFLICT", "An account with this email already exists; sign in instead");
      throw e;
    }
    const row = await database.select().from(users).where(eq(users.id, id)).get();
    if (!row) throw new Error("user row vanished after insert");
    await openAccount(c.env, id, c.var.config.SIGNUP_CREDITS);
    const user = toPublicUser(row);
    const accessToken = await startSession(c, user);
    await audit(c, "auth.register", id);
    return c.json({ user, accessToken }, 201);
  })
  .post("/login", doc({ summary: "Sign in", tags: ["auth"], auth: false, response: AuthResult }), json(LoginBody), async (c) => {
    const { email, password } = c.req.valid("json");
    const attempt = await limitLogin(c, email);
    const database = db(c.env.DB);
    const wanted = scryptParams(c.var.config);
    const user = await findUserByEmail(database, email);
    const verdict = await verifyPassword(password, user?.passwordHash ?? (await decoyHash(wanted)), wanted);
    if (!user || !verdict.ok) throw new ApiError("UNAUTHENTICATED", "Wrong email or password");
    await attempt.succeeded();
    await database
      .update(users)
      .set({
        previousLoginAt: sql`${users.lastLoginAt}`,
        lastLoginAt: Date.now(),
        ...(verdict.needsRehash ? { passwordHash: await hashPassword(password, wanted) } : {}),
      })
      .where(eq(users.id, user.id));
    // Idempotent: makes sure an account whose opening failed at register gets its grant.
    await openAccount(c.env, user.id, c.var.config.SIGNUP_CREDITS);
    const accessToken = await startSession(c, toPublicUser(user));
    return c.json({ user: toPublicUser(user), accessToken }, 200);
  })
  .post("/refresh", doc({ summary: "Rotate the refresh cookie and get a new access token", tags: ["auth"], auth: false, response: z.object({ accessToken: z.string() }) }), async (c) => {
    refuseForeignOrigin(c);
    const presented = getCookie(c, REFRESH_COOKIE);
    if (!presented) {
      clearRefreshCookie(c);
      throw new ApiError("UNAUTHENTICATED", "No refresh cookie; sign in again");
    }
    const result = await rotateRefreshToken(c.env, c.var.config, presented);
    if (!result.ok) {
      clearRefreshCookie(c);
      throw new ApiError("UNAUTHENTICATED", result.reason === "reused" ? "This sign-in was used elsewhere and has been ended; sign in again" : "Session expired; sign in again");
    }
    setRefreshCookie(c, result.refreshToken);
    return c.json({ accessToken: await signAccessToken(c.var.config, { userId: result.userId, sessionId: result.sessionId }) }, 200);
  })
  .post("/logout", doc({ summary: "End this session at once", tags: ["auth"], status: 204 }), requireAuth, async (c) => {
    if (!(await revokeSession(c.env, c.var.user.id, c.var.user.sessionId, "logout"))) throw new ApiError("UNAUTHENTICATED", "This session has ended; sign in again");
    clearRefreshCookie(c);
    return c.body(null, 204);
  })
  .get("/me", doc({ summary: "The signed-in user", tags: ["auth"], response: z.object({ user: PublicUser }) }), requireAuth, (c) => {
    const { sessionId: _sessionId, ...user } = c.var.user;
    return c.json({ user }, 200);
  })
  .route("/", settingsRoutes)
  .get(
    "/sessions",
    doc({ summary: "Live sessions of the signed-in user", tags: ["auth"], response: z.object({ items: z.array(SessionView), nextCursor: z.string().nullable() }) }),
    requireAuth,
    query(pageQuery),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      const rows = await listLiveSessions(c.env, c.var.user.id, limit, decodeCursor(cursor));
      const { items, nextCursor } = page(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
      return c.json(
        {
          items: items.map((s) => sessionView(s, c.var.user.sessionId)),
          nextCursor,
        },
        200,
      );
    },
  )
  .delete("/sessions", doc({ summary: "Log out every other device", tags: ["auth"], response: z.object({ revoked: z.number() }) }), requireAuth, async (c) => {
    const revoked = await revokeOtherSessions(c.env, c.var.user.id, c.var.user.sessionId);
    await audit(c, "auth.revoke_others", c.var.user.id, { revoked });
    return c.json({ revoked }, 200);
  })
  .delete("/sessions/:id", doc({ summary: "Revoke one session", tags: ["auth"], status: 204 }), requireAuth, params(SessionParams), async (c) => {
    const { id } = c.req.valid("param");
    if (!(await revokeOwnSession(c.env, c.var.user.id, id))) throw new ApiError("NOT_FOUND", "Session not found");
    return c.body(null, 204);
  });
