/** Changing a user behind the API's back, as an operator would in D1, with their Account object kept in step as the admin API does. */
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { updateSessionUser } from "../../worker/auth/sessions";
import { toPublicUser } from "../../worker/auth/users";
import { db } from "../../worker/db/client";
import { users } from "../../worker/db/schema";

export async function changeUser(userId: string, change: { role?: "user" | "admin"; tags?: string[] }): Promise<void> {
  const [row] = await db(env.DB)
    .update(users)
    .set({ ...(change.role ? { role: change.role } : {}), ...(change.tags ? { tags: JSON.stringify(change.tags) } : {}) })
    .where(eq(users.id, userId))
    .returning();
  if (!row) throw new Error(`no user ${userId}`);
  await updateSessionUser(env, toPublicUser(row));
}
