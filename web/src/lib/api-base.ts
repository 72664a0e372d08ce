/**
 * Where the API lives: `VITE_API_BASE` at build time (the studio deployed to Pages, calling
 * the Worker on another origin), else this page's own origin.
 */
const configured = import.meta.env.VITE_API_BASE as string | undefined;

export const API_ORIGIN = configured ? new URL(configured).origin : location.origin;

/** A path of the API as an absolute URL on its origin. */
export const apiUrl = (path: string) => new URL(path, API_ORIGIN).href;

const FILE_PATH = /^\/api\/files\//;

/**
 * The API hands out file links as paths on its own origin (`/api/files/…?exp=&sig=`); a studio
 * on another origin resolves them there, so every such string in a response gets the API's origin.
 */
export function withApiOrigin<T>(value: T): T {
  if (API_ORIGIN === location.origin) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return FILE_PATH.test(v) ? apiUrl(v) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner)]));
    return v;
  };
  return walk(value) as T;
}
