/**
 * Avatar Creator routes (mounted at /api/apps/avatar-creator): uploads, the avatar list,
 * one avatar, its usage by generations, and the style presets. Every lookup is scoped to
 * the signed-in user; another user's avatar or project is a 404.
 */
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { avatars, generationItems, generations } from "../../db/schema";
import { requireAuth } from "../../auth/middleware";
import type { AppEnv } from "../../http/context";
import { ApiError } from "../../core/errors";
import { doc } from "../../http/openapi";
import { decodeCursor, page, pageQuery } from "../../http/pagination";
import { json, params, query } from "../../http/validate";
import { GenerationView, generationView } from "../../generations/view";
import { ownedProject } from "../../projects/service";
import { deleteImage } from "../../uploads/image";
import { acceptImageUpload } from "../../uploads/pipeline";
import { AVATAR_APP_ID } from "./app";
import { AvatarView, avatarView, imageColumns, isVisible, itemOfAvatar, loadOwnedAvatar } from "./avatars";
import { AVATAR_PRESETS } from "./presets";

const TAGS = ["avatar-creator"];

const Name = z.string().trim().min(1, "must not be empty").max(100);
const UploadFields = z.object({ name: Name });
/** Documentation only: the multipart body is read by the upload pipeline, under its byte cap. */
const UploadForm = z.object({ file: z.file().describe("PNG, JPEG or WebP; at most 10 MB; 256–4096 px each side"), name: Name });
const ProjectParams = z.object({ projectId: z.string().min(1).max(64) });
const AvatarParams = z.object({ id: z.string().min(1).max(64) });
const RenameAvatar = z.object({ name: Name });
const PresetView = z.object({ id: z.string(), name: z.string(), description: z.string(), stylePrompt: z.string() });
const AvatarPage = z.object({ items: z.array(AvatarView), nextCursor: z.string().nullable() });

function parseFields(fields: Record<string, string>) {
  const parsed = UploadFields.safeParse(fields);
  if (!parsed.success) {
    throw new ApiError(
      "VALIDATION_ERROR",
      `Invalid form: ${parsed.error.issues.map((i) => `${i.path.join(".") || "form"} ${i.message}`).join("; ")}`,
      parsed.error.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })),
    );
  }
  return parsed.data;
}

export const avatarCreatorRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .post(
    "/projects/:projectId/avatars",
    doc({
      summary: "Upload an avatar image (validated, re-encoded, thumbnailed)",
      tags: TAGS,
      status: 201,
      body: UploadForm,
      bodyMediaType: "multipart/form-data",
      response: z.object({ avatar: AvatarView }),
    }),
    params(ProjectParams),
    async (c) => {
      const userId = c.var.user.id;
      const database = db(c.env.DB);
      const project = await ownedProject(database, userId, c.req.valid("param").projectId, AVATAR_APP_ID);
      const id = crypto.randomUUID();
      const { stored, valid } = await acceptImageUpload(c.env, c.req.raw, { userId, projectId: project.id, kind: "avatars", id }, parseFields);
      try {
        const [row] = await database
          .insert(avatars)
          .values({
            id,
            userId,
            projectId: project.id,
            name: valid.name,
            source: "upload",
            ...imageColumns(stored),
          })
          .returning();
        return c.json({ avatar: await avatarView(c.var.config, row!) }, 201);
      } catch (e) {
        // No row points at the files: remove them rather than leave orphans.
        await deleteImage(c.env.FILES, [stored.image.key, stored.thumbnail.key]).catch(() => undefined);
        throw e;
      }
    },
  )
  .get("/projects/:projectId/avatars", doc({ summary: "The project's avatars, newest first", tags: TAGS, response: AvatarPage }), params(ProjectParams), query(pageQuery), async (c) => {
    const userId = c.var.user.id;
    const database = db(c.env.DB);
    const project = await ownedProject(database, userId, c.req.valid("param").projectId, AVATAR_APP_ID);
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor);
    const rows = await database
      .select({ avatar: avatars })
      .from(avatars)
      .leftJoin(generationItems, itemOfAvatar)
      .where(
        and(
          eq(avatars.userId, userId),
          eq(avatars.projectId, project.id),
          isVisible,
          after ? or(lt(avatars.createdAt, after.at), and(eq(avatars.createdAt, after.at), lt(avatars.id, after.id))) : undefined,
        ),
      )
      .orderBy(desc(avatars.createdAt), desc(avatars.id))
      .limit(limit + 1);
    const result = page(
      rows.map((r) => r.avatar),
      limit,
      (a) => ({ at: a.createdAt, id: a.id }),
    );
    return c.json({ items: await Promise.all(result.items.map((a) => avatarView(c.var.config, a))), nextCursor: result.nextCursor }, 200);
  })
  .get("/avatars/:id", doc({ summary: "One avatar", tags: TAGS, response: z.object({ avatar: AvatarView }) }), params(AvatarParams), async (c) => {
    const avatar = await loadOwnedAvatar(db(c.env.DB), c.var.user.id, c.req.valid("param").id);
    return c.json({ avatar: await avatarView(c.var.config, avatar) }, 200);
  })
  .patch("/avatars/:id", doc({ summary: "Rename an avatar", tags: TAGS, response: z.object({ avatar: AvatarView }) }), params(AvatarParams), json(RenameAvatar), async (c) => {
    const userId = c.var.user.id;
    const database = db(c.env.DB);
    const avatar = await loadOwnedAvatar(database, userId, c.req.valid("param").id);
    const [row] = await database
      .update(avatars)
      .set({ name: c.req.valid("json").name, updatedAt: Date.now() })
      .where(and(eq(avatars.id, avatar.id), eq(avatars.userId, userId)))
      .returning();
    if (!row) throw new ApiError("NOT_FOUND", "Avatar not found");
    return c.json({ avatar: await avatarView(c.var.config, row) }, 200);
  })
  .delete("/avatars/:id", doc({ summary: "Delete an avatar and its files", tags: TAGS, status: 204 }), params(AvatarParams), async (c) => {
    const userId = c.var.user.id;
    const database = db(c.env.DB);
    const avatar = await loadOwnedAvatar(database, userId, c.req.valid("param").id);
    // Files first: if this fails the row stays and the delete can be retried.
    await deleteImage(c.env.FILES, [avatar.imageKey, avatar.thumbnailKey]);
    await database.delete(avatars).where(and(eq(avatars.id, avatar.id), eq(avatars.userId, userId)));
    return c.body(null, 204);
  })
  .get(
    "/avatars/:id/usage",
    doc({ summary: "The generations that used this avatar (params.avatarId), newest first", tags: TAGS, response: z.object({ items: z.array(GenerationView), nextCursor: z.string().nullable() }) }),
    params(AvatarParams),
    query(pageQuery),
    async (c) => {
      const userId = c.var.user.id;
      const { limit, cursor } = c.req.valid("query");
      const after = decodeCursor(cursor);
      // One query: the avatar's ownership (no row → 404) and its generations (left join, so
      // an unused avatar still yields its one row with a null generation).
      const rows = await db(c.env.DB)
        .select({ avatarId: avatars.id, generation: generations })
        .from(avatars)
        .leftJoin(generationItems, itemOfAvatar)
        .leftJoin(
          generations,
          and(
            eq(generations.userId, avatars.userId),
            sql`json_extract(${generations.params}, '$.avatarId') = ${avatars.id}`,
            after ? or(lt(generations.createdAt, after.at), and(eq(generations.createdAt, after.at), lt(generations.id, after.id))) : undefined,
          ),
        )
        .where(and(eq(avatars.id, c.req.valid("param").id), eq(avatars.userId, userId), isVisible))
        .orderBy(desc(generations.createdAt), desc(generations.id))
        .limit(limit + 1);
      if (rows.length === 0) throw new ApiError("NOT_FOUND", "Avatar not found");
      const used = rows.flatMap((r) => (r.generation ? [r.generation] : []));
      const result = page(used, limit, (g) => ({ at: g.createdAt, id: g.id }));
      return c.json({ items: await Promise.all(result.items.map((g) => generationView(c.var.config, g))), nextCursor: result.nextCursor }, 200);
    },
  )
  .get("/presets", doc({ summary: "Avatar style presets", tags: TAGS, response: z.object({ presets: z.array(PresetView) }) }), (c) => {
    return c.json({ presets: AVATAR_PRESETS.map(({ id, name, description, stylePrompt }) => ({ id, name, description, stylePrompt })) }, 200);
  });
