/**
 * Looping Flow routes (mounted at /api/apps/looping-flow): still uploads into a loop project,
 * and the caller's finished image outputs of other apps, which a loop can start from too.
 */
import { and, desc, eq, isNotNull, lt, ne, or, sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { generationItems, generations } from "../../db/schema";
import { requireAuth } from "../../auth/middleware";
import type { AppEnv } from "../../http/context";
import { doc } from "../../http/openapi";
import { decodeCursor, page, pageQuery } from "../../http/pagination";
import { params, query } from "../../http/validate";
import { parseOutputs } from "../../generations/view";
import { ownedProject } from "../../projects/service";
import { signFileUrl } from "../../storage/signed-url";
import { acceptImageUpload } from "../../uploads/pipeline";
import { UploadView, uploadView } from "../../uploads/stills";
import { LOOP_APP_ID } from "./schema";
import { STILLS_KIND } from "./source";

const TAGS = [LOOP_APP_ID];

const SourceView = z.object({
  generationId: z.string(),
  itemKey: z.string(),
  appId: z.string(),
  imageUrl: z.string(),
  thumbnailUrl: z.string().nullable(),
  width: z.number(),
  height: z.number(),
  finishedAt: z.string(),
});

export const loopingFlowRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .post(
    "/projects/:projectId/uploads",
    doc({ summary: "Upload a still to loop (PNG, JPEG or WebP; at most 10 MB; 256–4096 px each side)", tags: TAGS, status: 201, bodyMediaType: "multipart/form-data", response: UploadView }),
    params(z.object({ projectId: z.string().min(1).max(64) })),
    async (c) => {
      const project = await ownedProject(db(c.env.DB), c.var.user.id, c.req.valid("param").projectId, LOOP_APP_ID);
      const { stored } = await acceptImageUpload(c.env, c.req.raw, { userId: c.var.user.id, projectId: project.id, kind: STILLS_KIND }, () => null);
      return c.json(await uploadView(c.var.config.FILE_URL_SECRET, stored), 201);
    },
  )
  .get(
    "/sources",
    doc({
      summary: "My finished image outputs of other apps, newest first: each can be a loop's source",
      tags: TAGS,
      response: z.object({ items: z.array(SourceView), nextCursor: z.string().nullable() }),
    }),
    query(pageQuery),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      const after = decodeCursor(cursor);
      const rows = await db(c.env.DB)
        .select({
          id: generationItems.id,
          generationId: generationItems.generationId,
          key: generationItems.key,
          outputs: generationItems.outputs,
          finishedAt: generationItems.finishedAt,
          appId: generations.appId,
        })
        .from(generationItems)
        .innerJoin(generations, eq(generations.id, generationItems.generationId))
        .where(
          and(
            eq(generations.userId, c.var.user.id),
            ne(generations.appId, LOOP_APP_ID),
            eq(generationItems.status, "completed"),
            isNotNull(generationItems.finishedAt),
            sql`json_extract(${generationItems.outputs}, '$.original.key') IS NOT NULL`,
            after ? or(lt(generationItems.finishedAt, after.at), and(eq(generationItems.finishedAt, after.at), lt(generationItems.id, after.id))) : undefined,
          ),
        )
        .orderBy(desc(generationItems.finishedAt), desc(generationItems.id))
        .limit(limit + 1);
      const result = page(rows, limit, (r) => ({ at: r.finishedAt!, id: r.id }));
      const secret = c.var.config.FILE_URL_SECRET;
      const stills = result.items.flatMap((r) => {
        const outputs = parseOutputs(r.outputs);
        return outputs.original ? [{ row: r, original: outputs.original, preview: outputs.preview }] : [];
      });
      const items = await Promise.all(
        stills.map(async ({ row, original, preview }) => ({
          generationId: row.generationId,
          itemKey: row.key,
          appId: row.appId,
          imageUrl: await signFileUrl(secret, original.key),
          thumbnailUrl: preview ? await signFileUrl(secret, preview.key) : null,
          width: original.width,
          height: original.height,
          finishedAt: new Date(row.finishedAt!).toISOString(),
        })),
      );
      return c.json({ items, nextCursor: result.nextCursor }, 200);
    },
  );
