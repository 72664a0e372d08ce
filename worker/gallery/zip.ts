/** The gallery's ZIP: the chosen outputs of the caller, streamed (storage/zip.ts). */
import { and, eq, inArray } from "drizzle-orm";
import type { z } from "zod";
import { ApiError, notFound } from "../core/errors";
import type { Db } from "../db/client";
import { generationItems, generations } from "../db/schema";
import { itemRowId } from "../generations/submit";
import { parseOutputs } from "../generations/view";
import { extensionFor } from "../storage/keys";
import { r2Source, type ZipSource, zipStream } from "../storage/zip";
import type { ZipRequest } from "./schema";

/** Stored beside an output for display only; not part of what a user downloads. */
const COMPANIONS = new Set(["preview", "poster"]);

export async function galleryZip(database: Db, files: R2Bucket, userId: string, request: z.output<typeof ZipRequest>): Promise<Response> {
  const rows = await database
    .select({ item: generationItems, appId: generations.appId })
    .from(generationItems)
    .innerJoin(generations, eq(generations.id, generationItems.generationId))
    .where(
      and(
        eq(generationItems.userId, userId),
        inArray(
          generationItems.id,
          request.items.map((i) => itemRowId(i.generationId, i.key)),
        ),
      ),
    );
  // Another user's output and an unknown one look the same.
  if (rows.length !== request.items.length) throw notFound("Output");
  const unfinished = rows.find((r) => r.item.status !== "completed");
  if (unfinished) throw new ApiError("UNPROCESSABLE", `${unfinished.item.key} of generation ${unfinished.item.generationId} has no output (it is ${unfinished.item.status})`);

  const wanted = rows.flatMap(({ item, appId }) =>
    Object.entries(parseOutputs(item.outputs))
      .filter(([format]) => !COMPANIONS.has(format))
      .map(([format, o]) => ({ name: `${appId}/${item.generationId.slice(0, 12)}-${item.key}-${format}.${extensionFor(o.contentType)}`, key: o.key })),
  );
  const sources: ZipSource[] = await Promise.all(
    wanted.map(async (w) => {
      const object = await files.head(w.key);
      if (!object) throw notFound("Output file");
      return r2Source(files, w.name, object);
    }),
  );
  return zipStream(sources, `lumiku-gallery-${sources.length}-files.zip`);
}
