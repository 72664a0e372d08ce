/**
 * Where a loop's still comes from, resolved at submit so the consumer only reads R2: an upload
 * of the caller's in the project, or a completed item of any of the caller's generations. Both
 * lookups are scoped to the caller, so another user's upload or generation is a 404.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { generationItems, generations } from "../../db/schema";
import { ApiError, notFound } from "../../core/errors";
import { parseOutputs } from "../../generations/view";
import { findUploadKey } from "../../uploads/stills";
import type { LoopSource } from "./schema";

/** The R2 folder of loop stills under a project. */
export const STILLS_KIND = "stills";

export async function resolveSourceKey(database: Db, files: R2Bucket, userId: string, projectId: string, source: LoopSource): Promise<string> {
  if ("uploadId" in source) return findUploadKey(files, { userId, projectId, kind: STILLS_KIND, id: source.uploadId }, "Upload");
  const found = await database
    .select({ status: generationItems.status, outputs: generationItems.outputs })
    .from(generationItems)
    .innerJoin(generations, eq(generations.id, generationItems.generationId))
    .where(and(eq(generations.id, source.generationId), eq(generations.userId, userId), eq(generationItems.key, source.itemKey)))
    .get();
  if (!found) throw notFound("Generation item");
  if (found.status !== "completed") throw new ApiError("UNPROCESSABLE", `That item is ${found.status}; only a completed output can be looped`);
  // Image apps keep their full-size still as "original"; a loop's own output is no still.
  const still = parseOutputs(found.outputs).original;
  if (!still) throw new ApiError("UNPROCESSABLE", "That output has no still image to loop");
  return still.key;
}
