/** /api/admin/users: search, one user's whole picture, role and tag edits, session revocation. */
import { Hono } from "hono";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { accountOf } from "../account/client";
import { listLiveSessions, sessionView } from "../auth/sessions";
import { parseTags, toPublicUser, type UserRow } from "../auth/users";
import { PublicUser } from "../auth/schema";
import { db, type Db } from "../db/client";
import { literalLike } from "../db/like";
import { generations, sessions, users } from "../db/schema";
import { notFound } from "../core/errors";
import type { AppEnv } from "../http/context";
import { doc } from "../http/openapi";
import { decodeCursor, page, pageQuery } from "../http/pagination";
import { json, params, query } from "../http/validate";
import { generationView } from "../generations/view";
import { auditRow } from "./audited";

export const UserParams = z.object({ id: z.string().min(1).max(64) });
const SearchQuery = pageQuery.extend({ search: z.string().trim().max(200).optional() });
const Tag = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w.:-]+$/, "tags are letters, digits and . _ : -");
const PatchBody = z
  .object({ role: z.enum(["user", "admin"]).optional(), tags: z.array(Tag).max(32).optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.tags !== undefined, "send role or tags");

export async function userRow(database: Db, id: string): Promise<UserRow> {
  const row = await database.select().from(users).where(eq(users.id, id)).get();
  if (!row) throw notFound("User");
  return row;
}

export const adminUserRoutes = new Hono<AppEnv>()
  .get("/", doc({ summary: "Users, newest first; `search` matches email or name literally", tags: ["admin"] }), query(SearchQuery), async (c) => {
    const { limit, cursor, search } = c.req.valid("query");
    const after = decodeCursor(cursor);
    const pattern = search ? literalLike(search) : null;
    const rows = await db(c.env.DB)
      .select()
      .from(users)
      .where(
        and(
          pattern ? sql`(${users.email} LIKE ${pattern} ESCAPE '\\' OR ${users.name} LIKE ${pattern} ESCAPE '\\')` : undefined,
          after ? or(lt(users.createdAt, after.at), and(eq(users.createdAt, after.at), lt(users.id, after.id))) : undefined,
        ),
      )
      .orderBy(desc(users.createdAt), desc(users.id))
      .limit(limit + 1);
    const result = page(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
    return c.json({ items: result.items.map(toPublicUser), nextCursor: result.nextCursor }, 200);
  })
  .get("/:id", doc({ summary: "A user with balance and holds (from their Account object), generations and sessions", tags: ["admin"] }), params(UserParams), async (c) => {
    const database = db(c.env.DB);
    const row = await userRow(database, c.req.valid("param").id);
    const account = accountOf(c.env, row.id);
    const [balance, holds, recent, live] = await Promise.all([
      account.balance(),
      account.openHolds(),
      database.select().from(generations).where(eq(generations.userId, row.id)).orderBy(desc(generations.createdAt)).limit(10),
      listLiveSessions(database, row.id, 50, null),
    ]);
    return c.json(
      {
        user: toPublicUser(row),
        balance,
        holds,
        // No plans or orders exist in this build (billing is not part of it).
        plan: null,
        orders: null,
        recentGenerations: await Promise.all(recent.map((g) => generationView(c.var.config, g))),
        sessions: live.slice(0, 50).map((s) => sessionView(s, null)),
      },
      200,
    );
  })
  .patch(
    "/:id",
    doc({ summary: "Change a user's role or tags (audited)", tags: ["admin"], body: PatchBody, response: z.object({ user: PublicUser }) }),
    params(UserParams),
    json(PatchBody),
    async (c) => {
      const database = db(c.env.DB);
      const before = await userRow(database, c.req.valid("param").id);
      const body = c.req.valid("json");
      const change = { ...(body.role ? { role: body.role } : {}), ...(body.tags ? { tags: JSON.stringify([...new Set(body.tags)]) } : {}) };
      const [[after]] = await database.batch([
        database.update(users).set(change).where(eq(users.id, before.id)).returning(),
        auditRow(database, c, { action: "admin.user.update", targetType: "user", targetId: before.id, before: pick(before, body), after: pick({ ...before, ...change }, body) }),
      ]);
      return c.json({ user: toPublicUser(after ?? before) }, 200);
    },
  )
  .post("/:id/sessions/revoke", doc({ summary: "End every session of a user at once (audited)", tags: ["admin"], status: 204 }), params(UserParams), async (c) => {
    const database = db(c.env.DB);
    const target = await userRow(database, c.req.valid("param").id);
    const live = await database
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.userId, target.id), isNull(sessions.revokedAt)));
    await database.batch([
      database
        .update(sessions)
        .set({ revokedAt: Date.now(), revokedReason: "admin_revoked" })
        .where(and(eq(sessions.userId, target.id), isNull(sessions.revokedAt))),
      auditRow(database, c, { action: "admin.user.revoke_sessions", targetType: "user", targetId: target.id, before: { liveSessions: live.length }, after: { liveSessions: 0 } }),
    ]);
    return c.body(null, 204);
  });

/** The edited fields only, as the audit row shows them. */
function pick(row: Pick<UserRow, "role" | "tags">, body: z.infer<typeof PatchBody>) {
  return { ...(body.role ? { role: row.role } : {}), ...(body.tags ? { tags: parseTags(row.tags) } : {}) };
}
