/**
 * Clip uploads as R2 multipart uploads through the Worker: create (size declared up front),
 * parts of one fixed size (only the last is shorter; a failed part is sent again alone and
 * replaces itself), then complete (the container is checked) or abort. Nothing is ever
 * half-visible: a clip is usable only once it is `ready`.
 */
import { and, asc, eq, lt } from "drizzle-orm";
import type { Db } from "../../db/client";
import { videoClipParts, videoClips } from "../../db/video-clips";
import { ApiError } from "../../core/errors";
import { log } from "../../core/log";
import { CLIP_LIMITS, probeClip } from "../../media/video/probe";
import { uploadKey } from "../../storage/keys";
import type { ClipRow } from "./clips";

/** Every part but the last is this size: R2's smallest part, so a retry resends little. */
export const CLIP_PART_BYTES = 5 * 1024 * 1024;
export const MAX_CLIPS_PER_PROJECT = 50;
/** An upload with no part or completion for this long is abandoned; the cron aborts it. */
export const ABANDONED_AFTER_MS = 24 * 3600_000;

export const partCount = (sizeBytes: number, partSize: number) => Math.ceil(sizeBytes / partSize);

/** The exact length part `n` must have. */
export function partLength(row: Pick<ClipRow, "sizeBytes" | "partSize">, n: number): number {
  const count = partCount(row.sizeBytes, row.partSize);
  return n < count ? row.partSize : row.sizeBytes - row.partSize * (count - 1);
}

export async function createClipUpload(files: R2Bucket, database: Db, place: { userId: string; projectId: string; name: string; sizeBytes: number }): Promise<ClipRow> {
  if (place.sizeBytes > CLIP_LIMITS.maxBytes) {
    throw new ApiError("PAYLOAD_TOO_LARGE", `The clip is ${(place.sizeBytes / 1e6).toFixed(1)} MB; clips may be at most ${CLIP_LIMITS.maxBytes / (1024 * 1024)} MB`, {
      maxBytes: CLIP_LIMITS.maxBytes,
    });
  }
  const existing = await database.$count(videoClips, and(eq(videoClips.userId, place.userId), eq(videoClips.projectId, place.projectId)));
  if (existing >= MAX_CLIPS_PER_PROJECT) throw new ApiError("UNPROCESSABLE", `A project holds at most ${MAX_CLIPS_PER_PROJECT} clips; delete some first`);
  const id = crypto.randomUUID();
  const objectKey = uploadKey(place.userId, place.projectId, "clips", id, "video/mp4");
  const upload = await files.createMultipartUpload(objectKey, { httpMetadata: { contentType: "video/mp4", contentDisposition: "inline" } });
  const [row] = await database
    .insert(videoClips)
    .values({ id, userId: place.userId, projectId: place.projectId, name: place.name, sizeBytes: place.sizeBytes, partSize: CLIP_PART_BYTES, objectKey, uploadId: upload.uploadId })
    .returning();
  return row!;
}

function openUpload(row: ClipRow): string {
  if (row.status !== "uploading") throw new ApiError("CONFLICT", `The clip is already ${row.status}; upload it again as a new clip`);
  if (!row.uploadId) throw new ApiError("CONFLICT", "The clip is being checked; try again in a moment");
  return row.uploadId;
}

/** Stores part `n` (its exact length checked while it streams); sending a part again replaces it. */
export async function putClipPart(files: R2Bucket, database: Db, row: ClipRow, n: number, request: Request): Promise<{ partNumber: number; sizeBytes: number }> {
  const uploadId = openUpload(row);
  const count = partCount(row.sizeBytes, row.partSize);
  if (n > count) throw new ApiError("VALIDATION_ERROR", `This clip has ${count} part${count === 1 ? "" : "s"}; part ${n} does not exist`);
  const expected = partLength(row, n);
  const declared = request.headers.get("Content-Length");
  if (declared === null || !/^\d+$/.test(declared)) throw new ApiError("VALIDATION_ERROR", `Send part ${n} with a Content-Length of ${expected} bytes`);
  if (Number(declared) > expected) throw new ApiError("PAYLOAD_TOO_LARGE", `Part ${n} must be exactly ${expected} bytes; this one is ${declared}`, { expected });
  if (Number(declared) !== expected) throw new ApiError("VALIDATION_ERROR", `Part ${n} must be exactly ${expected} bytes; this one is ${declared}`, { expected });
  if (!request.body) throw new ApiError("VALIDATION_ERROR", `Part ${n} has no body`);

  // The length R2 is promised is enforced on the bytes themselves, whatever the header said.
  const fixed = new FixedLengthStream(expected);
  const piped = request.body.pipeTo(fixed.writable);
  let etag: string;
  try {
    etag = (await files.resumeMultipartUpload(row.objectKey, uploadId).uploadPart(n, fixed.readable)).etag;
    await piped;
  } catch (e) {
    await piped.catch(() => undefined);
    log("warn", "clip.part_failed", { clipId: row.id, part: n, error: e instanceof Error ? e.message : String(e) });
    throw new ApiError("VALIDATION_ERROR", `Part ${n} did not arrive whole (${expected} bytes expected); send it again`);
  }
  await database
    .insert(videoClipParts)
    .values({ clipId: row.id, partNumber: n, etag, sizeBytes: expected })
    .onConflictDoUpdate({ target: [videoClipParts.clipId, videoClipParts.partNumber], set: { etag, sizeBytes: expected } });
  await database.update(videoClips).set({ updatedAt: Date.now() }).where(eq(videoClips.id, row.id));
  return { partNumber: n, sizeBytes: expected };
}

/**
 * Completes the upload and checks the container. The upload id is cleared first, as a claim:
 * of two concurrent completions one does the work and the other is told to wait. A clip
 * that fails the check is `rejected` with the reason and its bytes are deleted.
 */
export async function completeClipUpload(files: R2Bucket, database: Db, row: ClipRow): Promise<ClipRow> {
  if (row.status !== "uploading") return row;
  const uploadId = openUpload(row);
  const count = partCount(row.sizeBytes, row.partSize);
  const parts = await database.select().from(videoClipParts).where(eq(videoClipParts.clipId, row.id)).orderBy(asc(videoClipParts.partNumber));
  const have = new Set(parts.map((p) => p.partNumber));
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((n) => !have.has(n));
  if (missing.length > 0) throw new ApiError("VALIDATION_ERROR", `Parts still missing: ${missing.slice(0, 20).join(", ")}${missing.length > 20 ? " …" : ""}`, { missing });

  const [claimed] = await database
    .update(videoClips)
    .set({ uploadId: null, updatedAt: Date.now() })
    .where(and(eq(videoClips.id, row.id), eq(videoClips.uploadId, uploadId)))
    .returning();
  if (!claimed) throw new ApiError("CONFLICT", "The clip is being checked; try again in a moment");
  try {
    await files.resumeMultipartUpload(row.objectKey, uploadId).complete(parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })));
  } catch (e) {
    await database.update(videoClips).set({ uploadId }).where(eq(videoClips.id, row.id));
    throw e;
  }
  await database.delete(videoClipParts).where(eq(videoClipParts.clipId, row.id));

  const probe = await probeClip(files, row.objectKey, row.sizeBytes);
  if (!probe.ok) await files.delete(row.objectKey);
  const [done] = await database
    .update(videoClips)
    .set(
      probe.ok
        ? {
            status: "ready",
            durationMs: probe.info.durationMs,
            width: probe.info.width,
            height: probe.info.height,
            fps: probe.info.fps,
            codec: probe.info.codec,
            formatKey: probe.info.formatKey,
            format: JSON.stringify(probe.info.format),
            keyframesMs: JSON.stringify(probe.info.keyframesMs),
            updatedAt: Date.now(),
          }
        : { status: "rejected", error: probe.reason, updatedAt: Date.now() },
    )
    .where(eq(videoClips.id, row.id))
    .returning();
  return done!;
}

/** Aborts an open upload (its parts are gone from R2) and deletes the clip. */
export async function deleteClip(files: R2Bucket, database: Db, row: ClipRow): Promise<void> {
  if (row.uploadId) await files.resumeMultipartUpload(row.objectKey, row.uploadId).abort();
  await files.delete(row.objectKey);
  await database.delete(videoClips).where(eq(videoClips.id, row.id));
}

/**
 * The cron's sweep: uploads with no activity for ABANDONED_AFTER_MS are aborted and their
 * clips removed, one at a time so one failure never stops the rest.
 */
export async function abortAbandonedUploads(env: Pick<Env, "FILES">, database: Db, now: number): Promise<{ aborted: number; failed: number }> {
  const stale = await database
    .select()
    .from(videoClips)
    .where(and(eq(videoClips.status, "uploading"), lt(videoClips.updatedAt, now - ABANDONED_AFTER_MS)))
    .limit(100);
  let aborted = 0;
  let failed = 0;
  for (const row of stale) {
    try {
      await deleteClip(env.FILES, database, row);
      aborted++;
    } catch (e) {
      failed++;
      log("error", "clip.abort_failed", { clipId: row.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return { aborted, failed };
}
