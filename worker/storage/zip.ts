/**
 * Streamed ZIPs of R2 objects: entries are read one at a time as the archive is written,
 * never held together in memory, and the exact length is known up front (client-zip's
 * predictLength into a FixedLengthStream).
 */
import { makeZip, predictLength } from "client-zip";
import { errorMessage } from "../core/errors";
import { log } from "../core/log";

/** One file of the archive: its path inside it and the R2 object it copies, with that object's size and date. */
export interface SizedZipEntry {
  name: string;
  key: string;
  size: number;
  lastModified: Date;
}

export function streamZip(files: R2Bucket, entries: SizedZipEntry[], filename: string): Response {
  const length = predictLength(entries.map(({ name, size, lastModified }) => ({ name, size, lastModified })));
  async function* inputs() {
    for (const e of entries) {
      const object = await files.get(e.key);
      if (!object) throw new Error(`${e.key} vanished while zipping`);
      yield { name: e.name, size: e.size, lastModified: e.lastModified, input: object.body };
    }
  }
  const { readable, writable } = new FixedLengthStream(Number(length));
  // The client sees a short body if this fails midway; the log says why.
  void makeZip(inputs())
    .pipeTo(writable)
    .catch((e: unknown) => log("warn", "zip.stream_failed", { filename, error: errorMessage(e) }));
  return new Response(readable, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Length": String(length),
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
