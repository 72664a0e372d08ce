/** Range and precondition rules (RFC 9110 §13, §14) for serving R2 objects. */

const RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * A single byte range as R2's range option; null when absent or not one we parse (multiple
 * ranges, another unit, last < first), which the caller ignores and serves the whole object.
 * `bytes=-0` asks for no bytes at all: "unsatisfiable" whatever the object's size.
 */
export function parseRange(header: string | undefined): R2Range | "unsatisfiable" | null {
  const m = header ? RANGE.exec(header.trim()) : null;
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    return suffix === 0 ? "unsatisfiable" : { suffix };
  }
  const offset = Number(m[1]);
  if (m[2] === "") return { offset };
  const last = Number(m[2]);
  return last < offset ? null : { offset, length: last - offset + 1 };
}

/** R2's answer to a range that starts at or beyond the object's end. */
export const isUnsatisfiableRange = (e: unknown) => e instanceof Error && e.message.includes("(10039)");

const tags = (header: string) => header.split(",").map((t) => t.trim());
const isWeak = (tag: string) => tag.startsWith("W/");
const opaque = (tag: string) => (isWeak(tag) ? tag.slice(2) : tag);
/** HTTP dates have one-second resolution; compare the upload time at the same resolution. */
const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Which status the request's preconditions call for, evaluated in RFC 9110 §13.2.2's order:
 * a failed If-Match (or, without one, If-Unmodified-Since) is 412; a matching If-None-Match
 * (or, without one, an If-Modified-Since the object is not newer than) is 304; null when all pass.
 */
export function failedPrecondition(headers: Headers, object: R2Object): 412 | 304 | null {
  const uploaded = seconds(object.uploaded.getTime());
  const ifMatch = headers.get("If-Match");
  if (ifMatch !== null) {
    // Strong comparison: a weak tag never matches.
    const matches = tags(ifMatch).some((t) => t === "*" || (!isWeak(t) && t === object.httpEtag));
    if (!matches) return 412;
  } else {
    const since = Date.parse(headers.get("If-Unmodified-Since") ?? "");
    if (!Number.isNaN(since) && uploaded > seconds(since)) return 412;
  }
  const ifNoneMatch = headers.get("If-None-Match");
  if (ifNoneMatch !== null) {
    // Weak comparison: the opaque tags are compared whatever their W/ prefix.
    return tags(ifNoneMatch).some((t) => t === "*" || opaque(t) === object.httpEtag) ? 304 : null;
  }
  const since = Date.parse(headers.get("If-Modified-Since") ?? "");
  return !Number.isNaN(since) && uploaded <= seconds(since) ? 304 : null;
}
