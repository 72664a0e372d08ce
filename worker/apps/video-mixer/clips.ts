/** Video clips: ownership-scoped lookups and the API's view of a clip. */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Config } from "../../config/config";
import type { Db } from "../../db/client";
import { videoClips } from "../../db/video-clips";
import { notFound } from "../../core/errors";
import { ClipFormat } from "../../media/video/format";
import { signFileUrl } from "../../storage/signed-url";

export type ClipRow = typeof videoClips.$inferSelect;

export const ClipView = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  status: z.enum(["uploading", "ready", "rejected"]),
  sizeBytes: z.number().int(),
  durationMs: z.number().int().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  fps: z.number().nullable(),
  codec: z.string().nullable(),
  formatKey: z.string().nullable(),
  keyframesMs: z.array(z.number().int()),
  hasAudio: z.boolean().nullable(),
  /** Always null: a poster needs a decoded frame, which the Worker never makes; the SPA shows the clip's first frame from videoUrl. */
  posterUrl: z.null(),
  /** Signed URL of the clip itself (ready clips only), served with Range. */
  videoUrl: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type ClipView = z.infer<typeof ClipView>;

const Keyframes = z.array(z.number().int());

/** JSON columns written by this module; parsed, never trusted blindly. */
export function clipFormat(row: Pick<ClipRow, "format">): ClipFormat | null {
  if (!row.format) return null;
  const parsed = ClipFormat.safeParse(JSON.parse(row.format));
  return parsed.success ? parsed.data : null;
}

export function clipKeyframes(row: Pick<ClipRow, "keyframesMs">): number[] {
  if (!row.keyframesMs) return [];
  const parsed = Keyframes.safeParse(JSON.parse(row.keyframesMs));
  return parsed.success ? parsed.data : [];
}

export async function clipView(config: Config, row: ClipRow): Promise<ClipView> {
  const format = clipFormat(row);
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    status: row.status,
    sizeBytes: row.sizeBytes,
    durationMs: row.durationMs,
    width: row.width,
    height: row.height,
    fps: row.fps,
    codec: row.codec,
    formatKey: row.formatKey,
    keyframesMs: clipKeyframes(row),
    hasAudio: format ? format.audio !== null : null,
    posterUrl: null,
    videoUrl: row.status === "ready" ? await signFileUrl(config.FILE_URL_SECRET, row.objectKey) : null,
    error: row.error,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** The user's clip in that project, or 404: another user's clip is indistinguishable from none. */
export async function loadOwnedClip(database: Db, userId: string, projectId: string, clipId: string): Promise<ClipRow> {
  const row = await database
    .select()
    .from(videoClips)
    .where(and(eq(videoClips.id, clipId), eq(videoClips.userId, userId), eq(videoClips.projectId, projectId)))
    .get();
  if (!row) throw notFound("Clip");
  return row;
}
