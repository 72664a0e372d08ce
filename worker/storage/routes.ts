/** GET /api/files/* — R2 bytes behind a signed URL, with ETag, Range and Cache-Control. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../http/context";
import { ApiError } from "../core/errors";
import { doc } from "../http/openapi";
import { query } from "../http/validate";
import { failedPrecondition, isUnsatisfiableRange, parseRange } from "./conditional";
import { verifyFileSignature } from "./signed-url";

export const FileQuery = z.object({
  exp: z.coerce.number().int().positive(),
  sig: z.string().min(1).max(100),
});

/** The object for a GET: its body when R2 sends one, else its metadata only (a failed precondition or an unsatisfiable range). */
async function readObject(bucket: R2Bucket, key: string, headers: Headers, range: R2Range | null | "unsatisfiable"): Promise<{ object: R2Object | R2ObjectBody | null; unsatisfiable: boolean }> {
  if (range === "unsatisfiable") return { object: await bucket.head(key), unsatisfiable: true };
  try {
    return { object: await bucket.get(key, { onlyIf: headers, ...(range ? { range } : {}) }), unsatisfiable: false };
  } catch (e) {
    if (!isUnsatisfiableRange(e)) throw e;
    return { object: await bucket.head(key), unsatisfiable: true };
  }
}

export const fileRoutes = new Hono<AppEnv>().get("/*", doc({ summary: "An upload or output, through a signed URL", tags: ["files"], auth: false }), query(FileQuery), async (c) => {
  // Cannot throw: wellFormedPath (http/guards.ts) has already refused undecodable escapes.
  const key = decodeURIComponent(c.req.path.slice("/api/files/".length));
  if (!key || key.includes("..")) throw new ApiError("NOT_FOUND", "File not found");
  const { exp, sig } = c.req.valid("query");
  const check = await verifyFileSignature(c.var.config.FILE_URL_SECRET, key, exp, sig);
  if (check === "invalid") throw new ApiError("FORBIDDEN", "This file link is not valid");
  if (check === "expired") throw new ApiError("FORBIDDEN", "This file link has expired; reload the page for a fresh one");

  const range = parseRange(c.req.header("Range"));
  const { object, unsatisfiable } = await readObject(c.env.FILES, key, c.req.raw.headers, range);
  if (!object) throw new ApiError("NOT_FOUND", "File not found");
  // Preconditions come before the range (RFC 9110 §13.2.2); R2 already withheld the body if one failed.
  const precondition = "body" in object ? null : failedPrecondition(c.req.raw.headers, object);
  if (precondition === 412) throw new ApiError("PRECONDITION_FAILED", "The file is not the version If-Match or If-Unmodified-Since names");
  if (unsatisfiable && precondition === null) {
    throw new ApiError("RANGE_NOT_SATISFIABLE", `The range is outside the file's ${object.size} bytes`, { size: object.size }, { "Content-Range": `bytes */${object.size}` });
  }

  const headers = new Headers();
  object.writeHttpMetadata(headers);
  headers.set("ETag", object.httpEtag);
  headers.set("Accept-Ranges", "bytes");
  // Private: the URL is a capability; caches may keep it until the link expires.
  headers.set("Cache-Control", `private, max-age=${Math.max(0, exp - Math.floor(Date.now() / 1000))}, immutable`);
  // A studio on another origin (CORS_ORIGINS) shows these in <img> and <video>: the signed URL is the capability.
  headers.set("Cross-Origin-Resource-Policy", c.var.config.CORS_ORIGINS.length > 0 ? "cross-origin" : "same-origin");
  if (!("body" in object)) return new Response(null, { status: 304, headers });
  if (range !== null && range !== "unsatisfiable") {
    const offset = "suffix" in range ? Math.max(0, object.size - range.suffix) : (range.offset ?? 0);
    const length = Math.min("suffix" in range ? object.size - offset : (range.length ?? object.size - offset), object.size - offset);
    headers.set("Content-Range", `bytes ${offset}-${offset + length - 1}/${object.size}`);
    headers.set("Content-Length", String(length));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set("Content-Length", String(object.size));
  return new Response(object.body, { status: 200, headers });
});
