/**
 * Streamed ZIP responses: entries are opened one at a time as the archive is written, never
 * held together in memory, and the exact length is known up front (client-zip's
 * predictLength into a FixedLengthStream).
 */
import { makeZip, predictLength } from "client-zip";
import { errorMessage } from "../core/errors";
import { log } from "../core/log";

export interface ZipSource {
  /** Path inside the archive. */
  name: string;
  size: number;
  lastModified: Date;
  /** The entry's bytes, opened only when the archive reaches it. */
  open: () => Promise<ReadableStream<Uint8Array> | Uint8Array>;
}

/** Everything of the archive that is already in memory (small JSON documents). */
export function bytesSource(name: string, bytes: Uint8Array, lastModified = new Date()): ZipSource {
  return { name, size: bytes.byteLength, lastModified, open: async () => bytes };
}

/** Every object under `prefix`, a page of 1000 at a time (metadata only, no bodies). */
export async function listObjects(files: R2Bucket, prefix: string): Promise<R2Object[]> {
  const objects: R2Object[] = [];
  let cursor: string | undefined;
  do {
    const page = await files.list({ prefix, cursor, limit: 1000 });
    objects.push(...page.objects);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return objects;
}

/** An R2 object as an entry; it must still exist when the archive reaches it. */
export function r2Source(files: R2Bucket, name: string, object: Pick<R2Object, "key" | "size" | "uploaded">): ZipSource {
  return {
    name,
    size: object.size,
    lastModified: object.uploaded,
    open: async () => {
      const body = await files.get(object.key);
      if (!body) throw new Error(`${object.key} vanished while zipping`);
      return body.body;
    },
  };
}

/** A ZIP download of `sources`, streamed with its exact Content-Length; a failure midway leaves the client a short body, and the log says why. */
export function zipStream(sources: readonly ZipSource[], filename: string): Response {
  const length = predictLength(sources.map(({ name, size, lastModified }) => ({ name, size, lastModified })));
  async function* inputs() {
    for (const s of sources) yield { name: s.name, size: s.size, lastModified: s.lastModified, input: await s.open() };
  }
  const { readable, writable } = new FixedLengthStream(Number(length));
  void makeZip(inputs())
    .pipeTo(writable)
    .catch((e: unknown) => log("warn", "zip.failed", { filename, error: errorMessage(e) }));
  return new Response(readable, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Length": String(length),
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
