import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { hashPassword } from "../../worker/auth/password";
import { api, errorOf, PASSWORD, register, uniqueEmail } from "../support/client";
import { balanceOf, login, meStatus, refreshSetCookie } from "../support/auth-clients";

const SIGNUP_CREDITS = 100;

describe("POST /api/auth/register", () => {
  it("creates the account: 201 with the public user, an access token that works, and a hardened refresh cookie", async () => {
    const email = uniqueEmail("reg");
    const res = await api("/api/auth/register", { method: "POST", json: { email, password: PASSWORD, name: "Ada Lovelace" } });
    expect(res.status).toBe(201);
    const body = await res.json<{ user: Record<string, unknown>; accessToken: string }>();
    expect(Object.keys(body.user).sort()).toEqual(["createdAt", "email", "id", "name", "role", "tags"]);
    expect(body.user).toMatchObject({ email, name: "Ada Lovelace", role: "user", tags: [] });
    expect(typeof body.user.id).toBe("string");
    expect(new Date(body.user.createdAt as string).toISOString()).toBe(body.user.createdAt);
    expect(JSON.stringify(body)).not.toMatch(/password|hash|scrypt/i);
    expect(await meStatus(body.accessToken)).toBe(200);

    const cookie = refreshSetCookie(res);
    expect(cookie).not.toBeNull();
    const attributes = cookie!.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("secure");
    expect(attributes).toContain("samesite=strict");
    expect(attributes).toContain("path=/api/auth");
  });

  it("normalizes the email (trim, lowercase), so the same person cannot register twice by case", async () => {
    const email = uniqueEmail("norm");
    const res = await api("/api/auth/register", { method: "POST", json: { email: `  ${email.toUpperCase()}  `, password: PASSWORD, name: "Norm" } });
    expect(res.status).toBe(201);
    const { user } = await res.json<{ user: { id: string; email: string } }>();
    expect(user.email).toBe(email);

    const again = await api("/api/auth/register", { method: "POST", json: { email: email.replace(/^./, (c) => c.toUpperCase()), password: PASSWORD, name: "Norm" } });
    expect(again.status).toBe(409);
    expect((await login(` ${email.toUpperCase()}`)).userId).toBe(user.id);
  });

  it("refuses a duplicate email with 409 CONFLICT in the error shape", async () => {
    const first = await register();
    const res = await api("/api/auth/register", { method: "POST", json: { email: first.email, password: `${PASSWORD}!`, name: "Impostor" } });
    expect(res.status).toBe(409);
    const error = await errorOf(res);
    expect(error.code).toBe("CONFLICT");
    expect(error.requestId).toBe(res.headers.get("X-Request-Id"));
    expect(await login(first.email)).toMatchObject({ userId: first.userId });
  });

  it("grants the signup credits exactly once, however often registration and login are retried", async () => {
    const user = await register();
    expect(await balanceOf(user.token)).toMatchObject({ balance: SIGNUP_CREDITS, held: 0, available: SIGNUP_CREDITS });

    const retries = await Promise.all(Array.from({ length: 3 }, () => api("/api/auth/register", { method: "POST", json: { email: user.email, password: PASSWORD, name: "Retry" } })));
    expect(retries.map((r) => r.status)).toEqual([409, 409, 409]);
    await login(user.email);
    const again = await login(user.email);
    expect(await balanceOf(again.token)).toMatchObject({ balance: SIGNUP_CREDITS, available: SIGNUP_CREDITS });
  });

  it("lets only one of two concurrent registrations of one email win, and credits that account once", async () => {
    const email = uniqueEmail("race");
    const attempts = await Promise.all([1, 2].map(() => api("/api/auth/register", { method: "POST", json: { email, password: PASSWORD, name: "Racer" } })));
    expect(attempts.map((r) => r.status).sort()).toEqual([201, 409]);
    const winner = await login(email);
    expect((await balanceOf(winner.token)).balance).toBe(SIGNUP_CREDITS);
  });

  it("gives an account whose opening failed at registration its grant at the next login, once", async () => {
    // The user row exists but the Account object was never opened (the DO call failed).
    const email = uniqueEmail("orphan");
    const id = crypto.randomUUID();
    await env.DB.prepare("INSERT INTO users (id, email, name, password_hash) VALUES (?1, ?2, ?3, ?4)")
      .bind(id, email, "Orphan", await hashPassword(PASSWORD, { logN: 10, r: 8, p: 5 }))
      .run();
    const first = await login(email);
    expect((await balanceOf(first.token)).balance).toBe(SIGNUP_CREDITS);
    const second = await login(email);
    expect((await balanceOf(second.token)).balance).toBe(SIGNUP_CREDITS);
  });

  it("ignores role, tags and credits smuggled into the body: the user stays a plain user", async () => {
    const email = uniqueEmail("smuggle");
    const res = await api("/api/auth/register", {
      method: "POST",
      json: { email, password: PASSWORD, name: "Mallory", role: "admin", tags: ["enterprise_unlimited"], credits: 1_000_000, id: "chosen-id" },
    });
    expect(res.status).toBe(201);
    const { user, accessToken } = await res.json<{ user: { id: string; role: string; tags: string[] }; accessToken: string }>();
    expect(user).toMatchObject({ role: "user", tags: [] });
    expect(user.id).not.toBe("chosen-id");

    const me = await (await api("/api/auth/me", { token: accessToken })).json<{ user: { role: string; tags: string[] } }>();
    expect(me.user).toMatchObject({ role: "user", tags: [] });
    expect(await balanceOf(accessToken)).toMatchObject({ balance: SIGNUP_CREDITS });
    const row = await env.DB.prepare("SELECT role, tags FROM users WHERE email = ?1").bind(email).first();
    expect(row).toEqual({ role: "user", tags: "[]" });
  });

  it("ignores a role smuggled through __proto__", async () => {
    const email = uniqueEmail("proto");
    const body = `{"__proto__":{"role":"admin","tags":["enterprise_unlimited"]},"email":"${email}","password":"${PASSWORD}","name":"Proto"}`;
    const res = await api("/api/auth/register", { method: "POST", body, headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(201);
    const { accessToken } = await res.json<{ accessToken: string }>();
    const me = await (await api("/api/auth/me", { token: accessToken })).json<{ user: { role: string; tags: string[] } }>();
    expect(me.user).toMatchObject({ role: "user", tags: [] });
  });

  it.each([
    ["11 characters", "x".repeat(11)],
    ["129 characters", "x".repeat(129)],
  ])("rejects a password of %s with 400 VALIDATION_ERROR naming the password", async (_, password) => {
    const email = uniqueEmail("weak");
    const res = await api("/api/auth/register", { method: "POST", json: { email, password, name: "Weak" } });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: ["password"] })]));
    // Nothing was created: the email is still free.
    expect((await api("/api/auth/register", { method: "POST", json: { email, password: PASSWORD, name: "Strong" } })).status).toBe(201);
  });

  it.each([
    ["12", "y".repeat(12)],
    ["128", "y".repeat(128)],
  ])("accepts a password of exactly %s characters", async (_, password) => {
    const res = await api("/api/auth/register", { method: "POST", json: { email: uniqueEmail("edge"), password, name: "Edge" } });
    expect(res.status).toBe(201);
  });

  it.each([
    ["an invalid email", { email: "not-an-email", password: PASSWORD, name: "X" }, "email"],
    ["a missing name", { email: "nameless@example.com", password: PASSWORD }, "name"],
    ["a blank name", { email: "blank@example.com", password: PASSWORD, name: "   " }, "name"],
    ["a password that is not a string", { email: "num@example.com", password: 123456789012, name: "X" }, "password"],
  ])("rejects %s with 400 naming the field", async (_, json, field) => {
    const res = await api("/api/auth/register", { method: "POST", json });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: [field] })]));
  });
});
