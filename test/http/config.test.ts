import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, productionEnv } from "../support/direct";

const STRONG = "k1:0123456789abcdefghijklmnopqrstuvwxyzABCD";

describe("configuration in production", () => {
  it("runs with strong keys and no test-only settings", async () => {
    const target = productionEnv();
    expect((await call(target, "/api/health")).status).toBe(200);
    expect((await call(target, "/api/auth/me")).status).toBe(401);
  });

  it.each([
    ["a JWT key shorter than 32 bytes", { JWT_KEYS: "k1:too-short-key" }],
    ["a placeholder JWT key", { JWT_KEYS: "k1:change-me-change-me-change-me-change-me" }],
    ["a weak rotation key beside a strong one", { JWT_KEYS: `${STRONG},k0:short` }],
    ["a JWT_KEYS entry without a kid", { JWT_KEYS: "0123456789abcdefghijklmnopqrstuvwxyzABCD" }],
    ["no JWT_KEYS", { JWT_KEYS: undefined }],
    ["no FILE_URL_SECRET", { FILE_URL_SECRET: undefined }],
    ["a placeholder FILE_URL_SECRET", { FILE_URL_SECRET: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }],
    ["PASSWORD_SCRYPT_LOG_N set (the cheap test hash)", { PASSWORD_SCRYPT_LOG_N: "10" }],
    ["no JWT issuer", { JWT_ISSUER: undefined }],
    ["the offline sandbox payment gateway", { PAYMENT_GATEWAY: "sandbox" }],
    ["duitku without its API key", { DUITKU_API_KEY: undefined }],
  ])("refuses to serve the API with %s: 503 in the error shape, /health still 200", async (_, overrides) => {
    const target = productionEnv(overrides);
    for (const [method, path] of [
      ["GET", "/api/health"],
      ["POST", "/api/auth/login"],
      ["GET", "/api/openapi.json"],
    ] as const) {
      const res = await call(target, path, { method, json: method === "POST" ? { email: "a@example.com", password: "irrelevant-password" } : undefined });
      expect(res.status).toBe(503);
      const text = await res.text();
      const body = JSON.parse(text) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe("SERVICE_UNAVAILABLE");
      expect(body.error.requestId).toBe(res.headers.get("X-Request-Id"));
      // The answer says nothing about which secret is wrong, let alone its value.
      expect(text).not.toMatch(/JWT|FILE_URL|SCRYPT|BENCH|short|placeholder/i);
    }
    const live = await call(target, "/health");
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: "ok" });
  });

  it("treats a missing ENVIRONMENT as production", async () => {
    const target = productionEnv({ ENVIRONMENT: undefined, PASSWORD_SCRYPT_LOG_N: "10" });
    expect((await call(target, "/api/health")).status).toBe(503);
  });

  it("allows the test-only settings outside production", async () => {
    expect(env.PASSWORD_SCRYPT_LOG_N).toBe("10");
    const target = productionEnv({ ENVIRONMENT: "development", PASSWORD_SCRYPT_LOG_N: "10" });
    expect((await call(target, "/api/health")).status).toBe(200);
  });
});
