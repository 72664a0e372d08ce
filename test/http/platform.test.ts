import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signFileUrl } from "../../worker/storage/signed-url";
import { api, PASSWORD, refreshCookie, uniqueEmail } from "../support/client";
import { call, envWith, productionEnv, uniqueIp } from "../support/direct";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("X-Request-Id", () => {
  it.each([
    ["GET", "/health"],
    ["GET", "/api/health"],
    ["GET", "/api/openapi.json"],
    ["GET", "/api/auth/me"],
    ["GET", "/api/nowhere"],
    ["POST", "/api/auth/login"],
    ["POST", "/a/page/path"],
  ])("is on every response, e.g. %s %s", async (method, path) => {
    const res = await api(path, { method });
    expect(res.headers.get("X-Request-Id")).toMatch(UUID);
  });

  it("echoes a sane incoming id, in the header and in error bodies", async () => {
    const id = "req_2026-11-22T10:00:00.000Z-abc";
    const res = await api("/api/auth/me", { headers: { "X-Request-Id": id } });
    expect(res.headers.get("X-Request-Id")).toBe(id);
    expect((await res.json<{ error: { requestId: string } }>()).error.requestId).toBe(id);
  });

  it.each([
    ["too short", "abc"],
    ["too long", "a".repeat(129)],
    ["markup", "<script>alert(1)</script>"],
    ["spaces and quotes", 'id with "quotes" in it'],
    ["a log-forging attempt", 'abcdefgh","level":"error'],
  ])("replaces an insane incoming id (%s) with its own", async (_, id) => {
    const res = await api("/api/auth/me", { headers: { "X-Request-Id": id } });
    const echoed = res.headers.get("X-Request-Id");
    expect(echoed).toMatch(UUID);
    expect((await res.json<{ error: { requestId: string } }>()).error.requestId).toBe(echoed);
  });
});

describe("security headers", () => {
  const expectHardened = (res: Response) => {
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Content-Security-Policy")).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d+/);
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
  };

  it.each([
    ["a success", "/api/health", undefined],
    ["a 401", "/api/auth/me", undefined],
    ["a 404", "/api/missing", undefined],
    ["a 415", "/api/auth/login", "POST"],
    ["liveness", "/health", undefined],
  ])("are on API responses: %s", async (_, path, method) => {
    expectHardened(await api(path, { method }));
  });

  it("are on the 503 of a misconfigured Worker", async () => {
    const res = await call(productionEnv({ JWT_KEYS: "k:short" }), "/api/auth/me");
    expect(res.status).toBe(503);
    expectHardened(res);
  });

  it("are added, without a 500, to responses passed through from the assets binding", async () => {
    // Non-GET requests to page paths reach the Worker, which hands them to ASSETS.
    const res = await api("/some/page", { method: "POST", body: "x" });
    expect(res.status).toBeLessThan(500);
    expectHardened(res);
  });
});

describe("CORS", () => {
  const APP = "https://app.lumiku.test";
  const withAllowlist = () => envWith({ CORS_ORIGINS: `${APP},https://admin.lumiku.test` });

  it("lets an allowlisted origin call with credentials, preflight included", async () => {
    const target = withAllowlist();
    const preflight = await call(target, "/api/auth/login", {
      method: "OPTIONS",
      headers: { Origin: APP, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,authorization" },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe(APP);
    expect(preflight.headers.get("Access-Control-Allow-Credentials")).toBe("true");
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toMatch(/POST/);
    expect(preflight.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toMatch(/authorization/);

    const res = await call(target, "/api/health", { headers: { Origin: APP } });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(APP);
    expect(res.headers.get("Access-Control-Allow-Credentials")).toBe("true");
    expect(res.headers.get("Access-Control-Expose-Headers")).toMatch(/X-Request-Id/i);
    expect(res.headers.get("Vary")).toMatch(/Origin/i);
  });

  it.each([
    ["a foreign origin", "https://evil.test"],
    ["an allowlisted origin as a prefix", "https://app.lumiku.test.evil.test"],
    ["the allowlisted host over http", "http://app.lumiku.test"],
    ["the opaque null origin", "null"],
  ])("gives %s no Access-Control-Allow-Origin", async (_, origin) => {
    const target = withAllowlist();
    const preflight = await call(target, "/api/auth/login", { method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": "POST" } });
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const res = await call(target, "/api/health", { headers: { Origin: origin } });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("keeps the refresh cookie SameSite=Strict unless the studio is configured on another site, then SameSite=None; Secure", async () => {
    const signUp = async (target: Env, origin?: string) => {
      const res = await call(target, "/api/auth/register", {
        method: "POST",
        ip: uniqueIp(),
        json: { email: uniqueEmail("cross-site"), password: PASSWORD, name: "Pages" },
        headers: origin ? { Origin: origin } : {},
      });
      expect(res.status).toBe(201);
      return res;
    };
    const attributes = (res: Response) =>
      res.headers
        .getSetCookie()
        .find((c) => c.startsWith("lumiku_refresh="))!
        .split(";")
        .slice(1)
        .map((a) => a.trim().toLowerCase())
        .sort();
    expect(attributes(await signUp(withAllowlist()))).toEqual(["httponly", expect.stringMatching(/^max-age=/), "path=/api/auth", "samesite=strict", "secure"]);

    const crossSite = envWith({ CORS_ORIGINS: APP, REFRESH_COOKIE_SAME_SITE: "None" });
    const registered = await signUp(crossSite, APP);
    expect(registered.headers.get("Access-Control-Allow-Origin")).toBe(APP);
    expect(registered.headers.get("Access-Control-Allow-Credentials")).toBe("true");
    expect(attributes(registered)).toEqual(["httponly", expect.stringMatching(/^max-age=/), "path=/api/auth", "samesite=none", "secure"]);

    // The cookie rides cross-site requests now, so the refresh itself refuses an origin not on the list, and rotates nothing.
    const cookie = refreshCookie(registered);
    const refresh = (origin: string) => call(crossSite, "/api/auth/refresh", { method: "POST", headers: { Origin: origin, Cookie: cookie } });
    const foreign = await refresh("https://evil.test");
    expect(foreign.status).toBe(403);
    expect(foreign.headers.getSetCookie()).toEqual([]);
    const allowed = await refresh(APP);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("Access-Control-Allow-Origin")).toBe(APP);
    expect(attributes(allowed)).toContain("samesite=none");
  });

  it("refuses SameSite=None with no origin to share the cookie with: the API answers 503 until it is configured", async () => {
    const res = await call(envWith({ CORS_ORIGINS: "", REFRESH_COOKIE_SAME_SITE: "None" }), "/api/auth/me");
    expect(res.status).toBe(503);
    expect((await call(envWith({ CORS_ORIGINS: APP, REFRESH_COOKIE_SAME_SITE: "Lax" }), "/api/auth/me")).status).toBe(503);
  });

  it("lets a studio on an allowlisted origin show files (cross-origin resource policy), and only then", async () => {
    const key = `users/cors/projects/p/generations/g/item-0/original.png`;
    await env.FILES.put(key, new Uint8Array([1, 2, 3]), { httpMetadata: { contentType: "image/png" } });
    const url = await signFileUrl(env.FILE_URL_SECRET, key);
    const shared = await call(withAllowlist(), url, { headers: { Origin: APP } });
    expect(shared.status).toBe(200);
    expect(shared.headers.get("Cross-Origin-Resource-Policy")).toBe("cross-origin");
    expect((await call(envWith({}), url)).headers.get("Cross-Origin-Resource-Policy")).toBe("same-origin");
    // Everything else keeps the same-origin policy.
    expect((await call(withAllowlist(), "/api/health", { ip: uniqueIp() })).headers.get("Cross-Origin-Resource-Policy")).toBe("same-origin");
  });

  it("never answers with a wildcard, even with no allowlist configured", async () => {
    for (const origin of ["https://app.lumiku.test", "https://evil.test", "*"]) {
      const res = await api("/api/health", { headers: { Origin: origin } });
      expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
      const preflight = await api("/api/auth/login", { method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": "POST" } });
      expect(preflight.headers.get("Access-Control-Allow-Origin")).not.toBe("*");
      expect(preflight.headers.get("Access-Control-Allow-Origin")).toBeNull();
    }
  });
});
