/** /api/auth settings of the signed-in user: their name and their password. */
import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { audit } from "../audit/audit";
import { ApiError } from "../core/errors";
import { db } from "../db/client";
import { users } from "../db/schema";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { json } from "../http/validate";
import { requireAuth } from "./middleware";
import { hashPassword, scryptParams, verifyPassword } from "./password";
import { Name, Password, PublicUser } from "./schema";
import { revokeOtherSessions } from "./sessions";
import { limitLogin } from "./throttle";
import { toPublicUser } from "./users";

const NameBody = z.object({ name: Name });
const PasswordBody = z.object({ currentPassword: z.string().min(1).max(128), newPassword: Password });

/**
 * Checks the signed-in user's password before an action that needs it (a new password, an
 * erasure). Guesses count against the same limits as logins for that email, so a stolen
 * session is no faster a way to guess. A wrong password is 403, not 401: the session is
 * fine, and a 401 would make the client refresh and send the guess again.
 */
export async function confirmPassword(c: Context<AppEnv>, password: string): Promise<void> {
  const attempt = await limitLogin(c, c.var.user.email);
  const row = await db(c.env.DB).select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, c.var.user.id)).get();
  const verdict = row ? await verifyPassword(password, row.passwordHash, scryptParams(c.var.config)) : { ok: false };
  if (!verdict.ok) throw new ApiError("FORBIDDEN", "The password is wrong");
  await attempt.succeeded();
}

export const settingsRoutes = new Hono<AppEnv>()
  .patch("/me", doc({ summary: "Change the signed-in user's name", tags: ["auth"], response: z.object({ user: PublicUser }) }), requireAuth, json(NameBody), async (c) => {
    const { name } = c.req.valid("json");
    const row = await db(c.env.DB).update(users).set({ name }).where(eq(users.id, c.var.user.id)).returning().get();
    if (!row) throw new ApiError("UNAUTHENTICATED", "This session has ended; sign in again");
    return c.json({ user: toPublicUser(row) }, 200);
  })
  .post("/password", doc({ summary: "Change the password; every other session ends", tags: ["auth"], status: 204 }), requireAuth, json(PasswordBody), async (c) => {
    const { currentPassword, newPassword } = c.req.valid("json");
    await confirmPassword(c, currentPassword);
    const passwordHash = await hashPassword(newPassword, scryptParams(c.var.config));
    await db(c.env.DB).update(users).set({ passwordHash }).where(eq(users.id, c.var.user.id));
    const revoked = await revokeOtherSessions(db(c.env.DB), c.var.user.id, c.var.user.sessionId);
    await audit(c, "auth.password_changed", c.var.user.id, { revoked });
    return c.body(null, 204);
  });
