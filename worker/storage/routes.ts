/** GET /api/files/* — R2 bytes behind a signed URL, with ETag, Range and Cache-Control. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../http/context";
import { ApiError } from "../http/errors";
import { doc } from "../http/openapi";
import { query } from "../http/validate";
import { verifyFileSignature } from "./signed-url";

const FileQuery = z.object({
  exp: z.coerce.number().int().positive(),
  sig: z.string().min(1).max(100),
});

const RANGE = /^bytes=(\d*)-(\d*)$/;

/** Parses a single-range header into R2's range option; null when absent or unusable. */
function parseRange(header: string | undefined): R2Range | null {
  const m = header ? RANGE.exec(header.trim()) : null;
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") return { suffix: Number(m[2]) };
  const offset = Number(m[1]);
  return m[2] === "" ? { offset } : { offset, length: Number(m[2]) - offset + 1 };
}

export const fileRoutes = new Hono<AppEnv>().get("/*", doc({ summary: "An upload or output, through a signed URL", tags: ["files"], auth: false }), query(FileQuery), async (c) => {
  // Cannot throw: wellFormedPath (http/guards.ts) has already refused undecodable escapes.
  const key = decodeURIComponent(c.req.path.slice("/api/files/".length));
  if (!key || key.includes("..")) throw new ApiError("NOT_FOUND", "File not found");
  const { exp, sig } = c.req.valid("query");
  const check = await verifyFileSignature(c.var.config.FILE_URL_SECRET, key, exp, sig);
  if (check === "invalid") throw new ApiError("FORBIDDEN", "This file link is not valid");
  if (check === "expired") throw new ApiError("FORBIDDEN", "This file link has expired; reload the page for a fresh one");

  let range = parseRange(c.req.header("Range"));
  // An unsatisfiable range is ignored and the whole object served (RFC 9110 allows it).
  const object = await c.env.FILES.get(key, { onlyIf: c.req.raw.headers, ...(range ? { range } : {}) }).catch(() => {
    range = null;
    return c.env.FILES.get(key, { onlyIf: c.req.raw.headers });
  });
  if (!object) throw new ApiError("NOT_FOUND", "File not found");

  const headers = new Headers();
  object.writeHttpMetadata(headers);
  headers.set("ETag", object.httpEtag);
  headers.set("Accept-Ranges", "bytes");
  // Private: the URL is a capability; caches may keep it until the link expires.
  headers.set("Cache-Control", `private, max-age=${Math.max(0, exp - Math.floor(Date.now() / 1000))}, immutable`);
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  if (!("body" in object)) return new Response(null, { status: 304, headers });
  if (range) {
    const offset = "suffix" in range ? Math.max(0, object.size - range.suffix) : (range.offset ?? 0);
    const length = Math.min("suffix" in range ? object.size - offset : (range.length ?? object.size - offset), object.size - offset);
    headers.set("Content-Range", `bytes ${offset}-${offset + length - 1}/${object.size}`);
    headers.set("Content-Length", String(length));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set("Content-Length", String(object.size));
  return new Response(object.body, { status: 200, headers });
});
