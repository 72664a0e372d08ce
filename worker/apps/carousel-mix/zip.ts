/** Carousel ZIPs, built on download from the slides in R2 and streamed (storage/zip.ts). */
import type { Config } from "../../config/config";
import { notFound } from "../../core/errors";
import { listObjects, r2Source, zipStream } from "../../storage/zip";
import { signQuery } from "../../storage/signed-url";
import type { GenerationRow, ItemRow } from "../../generations/lifecycle";
import { slideEntries } from "./outputs";

export interface ZipEntry {
  /** Path inside the archive. */
  name: string;
  key: string;
}

/** What a ZIP link signs: one carousel's slides, or (itemKey "*") the whole generation's. */
export const zipName = (generationId: string, itemKey: string) => `carousel-zip/${generationId}/${itemKey}`;

export async function zipUrl(config: Config, generationId: string, itemKey: string | null): Promise<string> {
  const path = `/api/apps/carousel-mix/zips/${encodeURIComponent(generationId)}${itemKey ? `/${encodeURIComponent(itemKey)}` : ""}`;
  return `${path}?${await signQuery(config.FILE_URL_SECRET, zipName(generationId, itemKey ?? "*"))}`;
}

/** The archive's entries: for one carousel its slides; for a generation, a folder per completed carousel. */
export function zipEntries(items: ItemRow[], folders: boolean): ZipEntry[] {
  return items
    .filter((i) => i.status === "completed")
    .flatMap((item) => slideEntries(item).map((s) => ({ name: `${folders ? `${item.key}/` : ""}slide-${String(s.slide).padStart(2, "0")}.jpg`, key: s.key })));
}

/** A streamed ZIP of `entries` (all under `prefix`, the generation's folder); 404 when there is nothing to zip or an entry has gone from R2. */
export async function zipResponse(files: R2Bucket, prefix: string, entries: ZipEntry[], filename: string): Promise<Response> {
  if (entries.length === 0) throw notFound("Finished carousel");
  // Size and date of every object from one listing, not a HEAD per slide.
  const objects = new Map((await listObjects(files, prefix)).map((o) => [o.key, o]));
  const sources = entries.map((e) => {
    const object = objects.get(e.key);
    if (!object) throw notFound("Slide file");
    return r2Source(files, e.name, object);
  });
  return zipStream(sources, filename);
}

export const zipFilename = (generation: GenerationRow, itemKey?: string) => `carousels-${generation.id.slice(0, 8)}${itemKey ? `-${itemKey}` : ""}.zip`;
