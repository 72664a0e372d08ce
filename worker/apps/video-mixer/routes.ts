/**
 * Video Mixer routes (mounted at /api/apps/video-mixer): clip uploads (create, parts,
 * complete), the clip list, one clip, delete, and a generation's variants with the
 * sequence each one used. Every lookup is scoped to the signed-in user; another user's
 * project, clip or generation is a 404.
 */
import { and, asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { videoClips } from "../../db/video-clips";
import { requireAuth } from "../../auth/middleware";
import type { AppEnv } from "../../http/context";
import { ApiError } from "../../core/errors";
import { doc } from "../../http/openapi";
import { hitLimit } from "../../http/rate-limit";
import { json, params } from "../../http/validate";
import { ownedProject } from "../../projects/service";
import { UPLOADS_PER_HOUR } from "../../uploads/pipeline";
import { VIDEO_MIXER_APP_ID } from "./app";
import { ClipView, clipView, loadOwnedClip } from "./clips";
import { completeClipUpload, createClipUpload, deleteClip, putClipPart } from "./uploads";
import { VariantView, variantsOf } from "./variants";

const TAGS = ["video-mixer"];

const ProjectParams = z.object({ projectId: z.string().min(1).max(64) });
const ClipParams = ProjectParams.extend({ clipId: z.string().min(1).max(64) });
const PartParams = ClipParams.extend({ n: z.coerce.number().int().min(1).max(10_000) });
const GenerationParams = z.object({ generationId: z.string().min(1).max(64) });
const CreateClip = z.object({
  name: z.string().trim().min(1).max(200),
  size: z.number().int().min(1),
  contentType: z.string().min(1).max(100),
});
const UploadView = z.object({ uploadId: z.string(), partSize: z.number().int(), parts: z.number().int() });

export const videoMixerRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .post(
    "/projects/:projectId/clips",
    doc({ summary: "Start a clip upload (MP4, H.264, optional AAC; ≤ 200 MB, ≤ 120 s)", tags: TAGS, status: 201, body: CreateClip, response: z.object({ clip: ClipView, upload: UploadView }) }),
    params(ProjectParams),
    json(CreateClip),
    async (c) => {
      const userId = c.var.user.id;
      const database = db(c.env.DB);
      const project = await ownedProject(database, userId, c.req.valid("param").projectId, VIDEO_MIXER_APP_ID);
      const body = c.req.valid("json");
      if (body.contentType.split(";")[0]!.trim().toLowerCase() !== "video/mp4") {
        throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Clips must be MP4 files (video/mp4) with H.264 video; convert the clip first");
      }
      await hitLimit(c.env.DB, { key: `upload:${userId}`, limit: UPLOADS_PER_HOUR, windowSeconds: 3600 });
      const row = await createClipUpload(c.env.FILES, database, { userId, projectId: project.id, name: body.name, sizeBytes: body.size });
      return c.json({ clip: await clipView(c.var.config, row), upload: { uploadId: row.id, partSize: row.partSize, parts: Math.ceil(row.sizeBytes / row.partSize) } }, 201);
    },
  )
  .put(
    "/projects/:projectId/clips/:clipId/parts/:n",
    doc({
      summary: "Upload one part (raw bytes; every part is partSize except the last); sending a part again replaces it",
      tags: TAGS,
      response: z.object({ partNumber: z.number().int(), sizeBytes: z.number().int() }),
    }),
    params(PartParams),
    async (c) => {
      const { projectId, clipId, n } = c.req.valid("param");
      const database = db(c.env.DB);
      const row = await loadOwnedClip(database, c.var.user.id, projectId, clipId);
      return c.json(await putClipPart(c.env.FILES, database, row, n, c.req.raw), 200);
    },
  )
  .post(
    "/projects/:projectId/clips/:clipId/complete",
    doc({ summary: "Finish the upload and check the container (ready, or rejected with what to change)", tags: TAGS, response: z.object({ clip: ClipView }) }),
    params(ClipParams),
    async (c) => {
      const { projectId, clipId } = c.req.valid("param");
      const database = db(c.env.DB);
      const row = await completeClipUpload(c.env.FILES, database, await loadOwnedClip(database, c.var.user.id, projectId, clipId));
      return c.json({ clip: await clipView(c.var.config, row) }, 200);
    },
  )
  .get(
    "/projects/:projectId/clips",
    doc({ summary: "The project's clips, oldest first", tags: TAGS, response: z.object({ items: z.array(ClipView), nextCursor: z.null() }) }),
    params(ProjectParams),
    async (c) => {
      const userId = c.var.user.id;
      const database = db(c.env.DB);
      const project = await ownedProject(database, userId, c.req.valid("param").projectId, VIDEO_MIXER_APP_ID);
      // At most MAX_CLIPS_PER_PROJECT rows: one page.
      const rows = await database
        .select()
        .from(videoClips)
        .where(and(eq(videoClips.userId, userId), eq(videoClips.projectId, project.id)))
        .orderBy(asc(videoClips.createdAt), asc(videoClips.id));
      return c.json({ items: await Promise.all(rows.map((r) => clipView(c.var.config, r))), nextCursor: null }, 200);
    },
  )
  .get("/projects/:projectId/clips/:clipId", doc({ summary: "One clip", tags: TAGS, response: z.object({ clip: ClipView }) }), params(ClipParams), async (c) => {
    const { projectId, clipId } = c.req.valid("param");
    return c.json({ clip: await clipView(c.var.config, await loadOwnedClip(db(c.env.DB), c.var.user.id, projectId, clipId)) }, 200);
  })
  .delete("/projects/:projectId/clips/:clipId", doc({ summary: "Delete a clip (an open upload is aborted)", tags: TAGS, status: 204 }), params(ClipParams), async (c) => {
    const { projectId, clipId } = c.req.valid("param");
    const database = db(c.env.DB);
    await deleteClip(c.env.FILES, database, await loadOwnedClip(database, c.var.user.id, projectId, clipId));
    return c.body(null, 204);
  })
  .get(
    "/generations/:generationId/variants",
    doc({ summary: "A generation's variants: outputs, poster and the sequence each used", tags: TAGS, response: z.object({ variants: z.array(VariantView) }) }),
    params(GenerationParams),
    async (c) => c.json({ variants: await variantsOf(c.env, c.var.config, c.var.user.id, c.req.valid("param").generationId) }, 200),
  );
