import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { productCatalog } from "../../worker/apps/registry";
import { testApp as app } from "../support/worker";
import { mountedApiRoutes } from "../../worker/http/openapi";
import { api, BASE, errorOf, expectErrorShape, PASSWORD, register, uniqueEmail } from "../support/client";
import { call, envWith, uniqueIp } from "../support/direct";

const post = (path: string, body: BodyInit, contentType = "application/json") => api(path, { method: "POST", body, headers: { "Content-Type": contentType } });

describe("bad input", () => {
  it("answers malformed JSON with 400 VALIDATION_ERROR in the error shape", async () => {
    const res = await post("/api/auth/register", '{"email": "a@example.com", "password":');
    expect(res.status).toBe(400);
    await expectErrorShape(res, "VALIDATION_ERROR");
  });

  it("lists the zod issues of an invalid body in details", async () => {
    const res = await api("/api/auth/register", { method: "POST", json: { email: "nope", password: "short" } });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("VALIDATION_ERROR");
    const paths = (error.details as Array<{ path: string[] }>).map((d) => d.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["email", "password", "name"]));
  });

  it.each([
    ["text/plain", "text/plain"],
    ["form data", "application/x-www-form-urlencoded"],
    ["no Content-Type", null],
  ])("answers a body sent as %s with 415 UNSUPPORTED_MEDIA_TYPE", async (_, type) => {
    const headers: Record<string, string> = type ? { "Content-Type": type } : {};
    const res = await api("/api/auth/login", { method: "POST", body: JSON.stringify({ email: "a@example.com", password: PASSWORD }), headers });
    expect(res.status).toBe(415);
    await expectErrorShape(res, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("accepts application/json with a charset", async () => {
    const email = uniqueEmail("charset");
    const res = await post("/api/auth/register", JSON.stringify({ email, password: PASSWORD, name: "Charset" }), "application/json; charset=utf-8");
    expect(res.status).toBe(201);
  });

  it("answers a body over MAX_BODY_BYTES with 413, whether or not it declares its length", async () => {
    const small = envWith({ MAX_BODY_BYTES: "2048" });
    const oversized = JSON.stringify({ email: "big@example.com", password: PASSWORD, name: "x".repeat(4096) });

    const declared = await call(small, "/api/auth/register", { method: "POST", body: oversized, headers: { "Content-Type": "application/json" } });
    expect(declared.status).toBe(413);
    await expectErrorShape(declared, "PAYLOAD_TOO_LARGE");

    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(oversized);
        for (let i = 0; i < bytes.length; i += 512) controller.enqueue(bytes.slice(i, i + 512));
        controller.close();
      },
    });
    const chunked = await call(small, "/api/auth/register", { method: "POST", body: streamed, headers: { "Content-Type": "application/json" }, duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);
    await expectErrorShape(chunked, "PAYLOAD_TOO_LARGE");
  });

  it("refuses an oversized multipart body on a JSON route with 415 (only upload routes read multipart)", async () => {
    const small = envWith({ MAX_BODY_BYTES: "2048" });
    const form = new FormData();
    form.set("email", "big@example.com");
    form.set("file", new File(["x".repeat(8192)], "big.png", { type: "image/png" }));
    const res = await call(small, "/api/auth/register", { method: "POST", body: form });
    expect(res.status).toBe(415);
    await expectErrorShape(res, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers a body over the default 1 MiB limit with 413 through the deployed Worker", async () => {
    const res = await post("/api/auth/login", JSON.stringify({ email: "a@example.com", password: "x".repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
    await expectErrorShape(res, "PAYLOAD_TOO_LARGE");
  });

  it.each([
    ["GET", "/api/auth/me"],
    ["GET", "/api/auth/sessions"],
    ["DELETE", "/api/auth/sessions"],
    ["DELETE", "/api/auth/sessions/some-session"],
    ["POST", "/api/auth/logout"],
    ["GET", "/api/credits/balance"],
    ["GET", "/api/credits/history"],
  ])("answers %s %s without a token with 401 UNAUTHENTICATED", async (method, path) => {
    const res = await api(path, { method });
    expect(res.status).toBe(401);
    await expectErrorShape(res, "UNAUTHENTICATED");
  });

  it("answers 401 without a token on every mounted route except the contract's public ones", async () => {
    // API.md: register, login, refresh, health, billing callback and this document are public;
    // files and carousel ZIPs use signed URLs, the socket a ticket, and the bench routes are off (404).
    const PUBLIC = [
      /^POST \/api\/auth\/(register|login|refresh)$/,
      /^GET \/api\/health$/,
      /^GET \/api\/openapi\.json$/,
      /^POST \/api\/billing\/callback$/,
      /^(GET|HEAD) \/api\/files\//,
      /^GET \/api\/apps\/carousel-mix\/zips\//,
      /^GET \/api\/realtime$/,
      /^\w+ \/api\/bench\//,
    ];
    const guarded = mountedApiRoutes(app)
      .map((r) => ({ method: r.method.toUpperCase(), path: r.path.replace(/\{\w+\}/g, "x") }))
      .filter((r) => !PUBLIC.some((p) => p.test(`${r.method} ${r.path}`)));
    expect(guarded.length).toBeGreaterThan(5);
    const answers = await Promise.all(guarded.map(async (r) => `${r.method} ${r.path} → ${(await api(r.path, { method: r.method })).status}`));
    expect(answers.filter((a) => !a.endsWith("→ 401"))).toEqual([]);
  });

  it.each([
    ["GET", "/api/no-such-thing"],
    ["GET", "/api"],
    ["POST", "/api/auth/me"],
    ["GET", "/api/auth/login"],
    ["PUT", "/api/auth/sessions"],
  ])("answers %s %s (no such route) with 404 in the error shape", async (method, path) => {
    const res = await api(path, { method });
    expect(res.status).toBe(404);
    await expectErrorShape(res, "NOT_FOUND");
  });

  it("has no benchmark routes and no test app in the product's Worker", async () => {
    const user = await register();
    const product = createApp(productCatalog);
    const ctx = createExecutionContext();
    const headers = { Authorization: `Bearer ${user.token}`, "Content-Type": "application/json" };
    const bench = await product.fetch(new Request(`${BASE}/api/bench/charge`, { method: "POST", headers, body: '{"amount":1}' }), env, ctx);
    expect(bench.status).toBe(404);
    await expectErrorShape(bench, "NOT_FOUND");
    const testApp = await product.fetch(
      new Request(`${BASE}/api/apps/test-pipeline/generations`, { method: "POST", headers: { ...headers, "Idempotency-Key": "k-1" }, body: '{"items":["ok"]}' }),
      env,
      ctx,
    );
    expect(testApp.status).toBe(404);
    await expectErrorShape(testApp, "NOT_FOUND");
    await waitOnExecutionContext(ctx);
  });

  it("never answers 500 to hostile or nonsensical input", async () => {
    const user = await register();
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    const bodies = [
      "",
      "null",
      "[]",
      "0",
      '"text"',
      "{}",
      '{"email":{"$ne":null},"password":{"$gt":""}}',
      deep,
      '{"email":"\\u0000@example.com","password":"\\ud800\\udc00xxxxxxxxxxxx","name":"\\u202e"}',
      "\uFEFF{}",
    ];
    const requests: Array<Promise<Response>> = [];
    for (const body of bodies) {
      requests.push(post("/api/auth/register", body), post("/api/auth/login", body));
    }
    for (const query of ["limit=0", "limit=101", "limit=abc", "limit=1&limit=2", "cursor=%%%", "cursor=bm90LWpzb24", `cursor=${btoa('[1e999,"x"]')}`, `cursor=${"A".repeat(500)}`]) {
      requests.push(api(`/api/auth/sessions?${query}`, { token: user.token }));
    }
    requests.push(
      api(`/api/auth/sessions/${"x".repeat(65)}`, { method: "DELETE", token: user.token }),
      api("/api/auth/sessions/%E0%A4%A", { method: "DELETE", token: user.token }),
      api("/api/auth/refresh", { method: "POST", headers: { Cookie: "lumiku_refresh=%ZZ; lumiku_refresh=two" } }),
      api("/api/auth/me", { headers: { Authorization: `Bearer ${"a".repeat(5000)}.b.c` } }),
      api("/api/credits/history?cursor=-1", { token: user.token }),
    );
    for (const res of await Promise.all(requests)) {
      expect(res.status, `${res.url} → ${res.status}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${res.url} → ${res.status}`).toBeLessThan(500);
      const body = await res.json<{ error: { code: string; requestId: string } }>();
      expect(body.error.requestId).toBe(res.headers.get("X-Request-Id"));
    }
    const me = await (await api("/api/auth/me", { token: user.token })).json<{ user: { role: string } }>();
    expect(me.user.role).toBe("user");
  });
});

describe("unexpected failures", () => {
  it("answer a generic 500 that carries the request id but no message, stack or query from inside", async () => {
    const broken = envWith({
      DB: new Proxy(
        {},
        {
          get: () => () => {
            throw new Error("D1_ERROR: no such table: users at worker/auth/users.ts:12:3");
          },
        },
      ),
    });
    const res = await call(broken, "/api/auth/login", { method: "POST", json: { email: "a@example.com", password: PASSWORD }, ip: uniqueIp() });
    expect(res.status).toBe(500);
    const text = await res.clone().text();
    expect(text).not.toMatch(/no such table|users\.ts/);
    await expectErrorShape(res, "INTERNAL");
  });
});
