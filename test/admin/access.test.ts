/** Every admin route: 401 without a token, 403 for a user before anything is looked up, and never a 5xx. */
import { describe, expect, it } from "vitest";
import { api, expectErrorShape, register } from "../support/client";

const ROUTES: [method: string, path: string][] = [
  ["GET", "/metrics?days=7"],
  ["GET", "/users?search=a"],
  ["GET", "/users/no-such-user"],
  ["PATCH", "/users/no-such-user"],
  ["POST", "/users/no-such-user/credits"],
  ["POST", "/users/no-such-user/sessions/revoke"],
  ["GET", "/apps"],
  ["PATCH", "/apps/pose-generator"],
  ["GET", "/generations"],
  ["GET", "/dead-letters"],
  ["POST", "/generations/no-such-generation/retry"],
  ["POST", "/recovery"],
  ["GET", "/recovery"],
  ["GET", "/reconciliation"],
  ["GET", "/audit"],
  ["GET", "/no-such-admin-route"],
];

describe("admin access", () => {
  it.each(ROUTES)("%s %s answers 401 without a token", async (method, path) => {
    const res = await api(`/api/admin${path}`, { method, json: method === "GET" ? undefined : {} });
    expect(res.status).toBe(401);
    await expectErrorShape(res, "UNAUTHENTICATED");
  });

  it.each(ROUTES)("%s %s answers 403 to a user, even for ids that do not exist", async (method, path) => {
    const user = await register();
    const res = await api(`/api/admin${path}`, { method, token: user.token, json: method === "GET" ? undefined : { amount: 5, reason: "probe" }, headers: { "Idempotency-Key": "probe-key-1" } });
    expect(res.status).toBe(403);
    await expectErrorShape(res, "FORBIDDEN");
  });
});
