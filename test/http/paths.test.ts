import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE, expectErrorShape, register } from "../support/client";

/** Under every route prefix: undecodable escapes, dot segments (raw and escaped), odd bytes. */
const PREFIXES = [
  "/api/files/",
  "/api/files/users/u1/",
  "/api/generations/",
  "/api/projects/",
  "/api/apps/",
  "/api/apps/pose-generator/library/",
  "/api/apps/avatar-creator/projects/",
  "/api/auth/sessions/",
  "/api/realtime",
  "/api/realtime/",
];

const SEGMENTS = [
  "%ZZ",
  "%",
  "%2",
  "a%G1",
  "%25",
  "%2525",
  "%E2%82",
  "%E2%82%AC%E2",
  "%C0%AF",
  "%ED%A0%80",
  "%FF",
  "%00",
  "%0A%0D",
  "../../../etc/passwd",
  "..%2F..%2Fusers",
  "%2e%2e/%2e%2e/x",
  "%2E%2E%2F%2E%2E%2Fx",
  ".%2e/..",
  "%5C..%5C",
  "a%2Fb",
  "\u00e9\u202e\ud83d\ude00",
  ";x=1",
  "x".repeat(4096),
];

const QUERIES = ["", "?exp=1&sig=x", "?exp=99999999999&sig=AAAA", "?ticket=%ZZ", "?ticket=a.b", "?exp=%E2%82&sig=%"];

function isErrorShape(text: string, res: Response): boolean {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; requestId?: unknown } };
    return typeof body.error?.code === "string" && body.error.requestId === res.headers.get("X-Request-Id");
  } catch {
    return false;
  }
}

const request = (path: string, method: string, token?: string) =>
  SELF.fetch(`${BASE}${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), Upgrade: "websocket", Origin: BASE },
  });

describe("path fuzz", () => {
  it("answers malformed escapes, dot segments and odd bytes under every route prefix with a 4xx in the error shape", async () => {
    const user = await register();
    const cases: Array<[string, string, string | undefined]> = [];
    for (const prefix of PREFIXES) {
      for (const segment of SEGMENTS) {
        for (const query of QUERIES) {
          cases.push([`${prefix}${segment}${query}`, "GET", undefined]);
          cases.push([`${prefix}${segment}${query}`, "GET", user.token]);
        }
        cases.push([`${prefix}${segment}`, "DELETE", user.token]);
        cases.push([`${prefix}${segment}/cancel`, "POST", user.token]);
      }
    }
    // A dot segment that climbs out of /api leaves the API: the URL parser resolves it, and the SPA answers.
    const apiCases = cases.filter(([path]) => new URL(`${BASE}${path}`).pathname.startsWith("/api/"));
    expect(apiCases.length).toBeGreaterThan(cases.length / 2);
    const failures: string[] = [];
    for (let i = 0; i < apiCases.length; i += 50) {
      const batch = apiCases.slice(i, i + 50);
      const answers = await Promise.all(batch.map(([path, method, token]) => request(path, method, token)));
      for (const [j, res] of answers.entries()) {
        const [path, method, token] = batch[j]!;
        const label = `${method} ${path.slice(0, 80)}${token ? " (signed in)" : ""} → ${res.status}`;
        const text = await res.text();
        if (res.status < 400 || res.status >= 500 || !isErrorShape(text, res)) failures.push(`${label} ${text.slice(0, 60)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("refuses an undecodable escape with 400 VALIDATION_ERROR before any route runs", async () => {
    for (const path of ["/api/files/users/u1/%E2%82?exp=1&sig=AAAA", "/api/projects/%ZZ", "/api/auth/sessions/%C0%AF"]) {
      const res = await request(path, "GET");
      expect(res.status, path).toBe(400);
      await expectErrorShape(res, "VALIDATION_ERROR");
    }
  });
});
