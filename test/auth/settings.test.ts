import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../../worker/db/client";
import { auditLog } from "../../worker/db/schema";
import { login, meStatus } from "../support/auth-clients";
import { api, expectErrorShape, PASSWORD, register } from "../support/client";
import { fetchWith } from "../support/generations";

const NEW_PASSWORD = "a different battery staple";
const rename = (token: string, body: unknown) => api("/api/auth/me", { method: "PATCH", token, json: body });
const changePassword = (token: string, currentPassword: string, newPassword = NEW_PASSWORD) => api("/api/auth/password", { method: "POST", token, json: { currentPassword, newPassword } });
const loginStatus = async (email: string, password: string) => (await api("/api/auth/login", { method: "POST", json: { email, password } })).status;

describe("PATCH /api/auth/me", () => {
  it("renames the user (trimmed, up to 100 characters) and nothing else", async () => {
    const user = await register();
    const longest = "N".repeat(100);
    const res = await rename(user.token, { name: `  ${longest}  `, role: "admin", email: "x@example.com" });
    expect(res.status).toBe(200);
    const { user: view } = await res.json<{ user: { name: string; role: string; email: string } }>();
    expect(view).toMatchObject({ name: longest, role: "user", email: user.email });
    const me = await (await api("/api/auth/me", { token: user.token })).json<{ user: { name: string } }>();
    expect(me.user.name).toBe(longest);
  });

  it.each([[{ name: "" }], [{ name: "   " }], [{ name: "N".repeat(101) }], [{}], [{ name: 7 }]])("refuses %j with 400 and keeps the name", async (body) => {
    const user = await register(undefined, "Kept Name");
    const res = await rename(user.token, body);
    expect(res.status).toBe(400);
    await expectErrorShape(res, "VALIDATION_ERROR");
    expect((await (await api("/api/auth/me", { token: user.token })).json<{ user: { name: string } }>()).user.name).toBe("Kept Name");
  });

  it("answers 401 without a session", async () => {
    expect((await rename("", { name: "X" })).status).toBe(401);
  });
});

describe("POST /api/auth/password", () => {
  it("changes the password, ends every other session, keeps this one and audits it", async () => {
    const user = await register();
    const laptop = await login(user.email);
    const res = await changePassword(user.token, PASSWORD);
    expect(res.status).toBe(204);
    expect(await meStatus(user.token)).toBe(200);
    expect(await meStatus(laptop.token)).toBe(401);
    expect((await api("/api/auth/refresh", { method: "POST", headers: { Cookie: laptop.cookie } })).status).toBe(401);
    expect(await loginStatus(user.email, PASSWORD)).toBe(401);
    expect(await loginStatus(user.email, NEW_PASSWORD)).toBe(200);
    const rows = await db(env.DB)
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, user.userId), eq(auditLog.action, "auth.password_changed")));
    expect(rows.map((r) => JSON.parse(r.details))).toEqual([{ revoked: 1 }]);
  });

  it("refuses a wrong current password with 403 and changes nothing", async () => {
    const user = await register();
    const laptop = await login(user.email);
    const res = await changePassword(user.token, `${PASSWORD}x`);
    expect(res.status).toBe(403);
    await expectErrorShape(res, "FORBIDDEN");
    expect(await meStatus(laptop.token)).toBe(200);
    expect(await loginStatus(user.email, PASSWORD)).toBe(200);
    expect(await loginStatus(user.email, NEW_PASSWORD)).toBe(401);
  });

  it.each([
    ["11 characters", "x".repeat(11)],
    ["129 characters", "x".repeat(129)],
  ])("refuses a new password of %s with 400, and accepts 12 and 128", async (_label, weak) => {
    const user = await register();
    const res = await changePassword(user.token, PASSWORD, weak);
    expect(res.status).toBe(400);
    await expectErrorShape(res, "VALIDATION_ERROR");
    expect(await loginStatus(user.email, PASSWORD)).toBe(200);
    expect((await changePassword(user.token, PASSWORD, "y".repeat(12))).status).toBe(204);
    expect((await changePassword(user.token, "y".repeat(12), "z".repeat(128))).status).toBe(204);
    expect(await loginStatus(user.email, "z".repeat(128))).toBe(200);
  });

  it("counts wrong guesses against the email's login limit, so the right password then waits too", async () => {
    const user = await register();
    const strict = { AUTH_RATE_LIMIT_PER_EMAIL: "3" };
    const attempt = (password: string) => fetchWith(strict, "/api/auth/password", { method: "POST", token: user.token, json: { currentPassword: password, newPassword: NEW_PASSWORD } });
    for (let n = 0; n < 3; n++) expect((await attempt(`wrong guess ${n}`)).status).toBe(403);
    const limited = await attempt(PASSWORD);
    expect(limited.status).toBe(429);
    await expectErrorShape(limited, "RATE_LIMITED");
    expect(await loginStatus(user.email, NEW_PASSWORD)).toBe(401);
  });
});
