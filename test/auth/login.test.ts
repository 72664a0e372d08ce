import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, PASSWORD, register, uniqueEmail } from "../support/client";
import { call, envWith } from "../support/direct";
import { meStatus, refreshSetCookie } from "../support/auth-clients";

const withoutRequestId = (body: { error: Record<string, unknown> }) => ({ ...body, error: { ...body.error, requestId: undefined } });

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

describe("POST /api/auth/login", () => {
  it("signs in with the right password: 200, the user, a working access token and a refresh cookie", async () => {
    const user = await register();
    const res = await api("/api/auth/login", { method: "POST", json: { email: user.email, password: PASSWORD } });
    expect(res.status).toBe(200);
    const body = await res.json<{ user: { id: string; email: string; role: string }; accessToken: string }>();
    expect(body.user).toMatchObject({ id: user.userId, email: user.email, role: "user" });
    expect(body.accessToken).not.toBe(user.token);
    expect(await meStatus(body.accessToken)).toBe(200);
    expect(refreshSetCookie(res)).toMatch(/HttpOnly/i);
  });

  it("answers a wrong email and a wrong password with the same 401, so accounts cannot be enumerated", async () => {
    const user = await register();
    const wrongPassword = await api("/api/auth/login", { method: "POST", json: { email: user.email, password: `${PASSWORD}?` } });
    const wrongEmail = await api("/api/auth/login", { method: "POST", json: { email: uniqueEmail("nobody"), password: PASSWORD } });
    expect(wrongPassword.status).toBe(401);
    expect(wrongEmail.status).toBe(401);
    expect(refreshSetCookie(wrongPassword)).toBeNull();
    expect(refreshSetCookie(wrongEmail)).toBeNull();
    const [a, b] = [await wrongPassword.json<{ error: Record<string, unknown> }>(), await wrongEmail.json<{ error: Record<string, unknown> }>()];
    expect(a.error.code).toBe("UNAUTHENTICATED");
    expect(a.error.requestId).not.toBe(b.error.requestId);
    expect(withoutRequestId(a)).toEqual(withoutRequestId(b));
  });

  it("takes about as long for an unknown email as for a wrong password (the hash runs either way)", async () => {
    // A costlier hash than the suite's default, so hashing (not D1) dominates what is measured.
    const costly = envWith({ PASSWORD_SCRYPT_LOG_N: "12" });
    const email = uniqueEmail("timing");
    expect((await call(costly, "/api/auth/register", { method: "POST", json: { email, password: PASSWORD, name: "Timing" } })).status).toBe(201);

    const timeLogin = async (json: { email: string; password: string }) => {
      const started = Date.now();
      const res = await call(costly, "/api/auth/login", { method: "POST", json });
      await res.body?.cancel();
      expect(res.status).toBe(401);
      return Date.now() - started;
    };
    const wrongPassword: number[] = [];
    const unknownEmail: number[] = [];
    for (let i = 0; i < 6; i++) {
      wrongPassword.push(await timeLogin({ email, password: `${PASSWORD}-${i}` }));
      unknownEmail.push(await timeLogin({ email: uniqueEmail("ghost"), password: PASSWORD }));
    }
    const [known, unknown] = [median(wrongPassword), median(unknownEmail)];
    // Skipping the hash for unknown emails would make them ~10x faster; allow a generous 2.5x.
    expect(Math.max(known, unknown) / Math.max(1, Math.min(known, unknown))).toBeLessThan(2.5);
  });

  it("normalizes the email at login too", async () => {
    const user = await register();
    const res = await api("/api/auth/login", { method: "POST", json: { email: `\t${user.email.toUpperCase()} `, password: PASSWORD } });
    expect(res.status).toBe(200);
  });

  it("upgrades a hash stored with weaker parameters when the user signs in, and the password keeps working", async () => {
    const user = await register(); // hashed at the suite's ln=10
    const stronger = envWith({ PASSWORD_SCRYPT_LOG_N: "11" });
    const storedHash = () => env.DB.prepare("SELECT password_hash AS hash FROM users WHERE id = ?1").bind(user.userId).first<{ hash: string }>();
    expect((await storedHash())!.hash).toMatch(/^\$scrypt\$ln=10,r=8,p=5\$/);

    expect((await call(stronger, "/api/auth/login", { method: "POST", json: { email: user.email, password: PASSWORD } })).status).toBe(200);
    expect((await storedHash())!.hash).toMatch(/^\$scrypt\$ln=11,r=8,p=5\$/);
    expect((await call(stronger, "/api/auth/login", { method: "POST", json: { email: user.email, password: PASSWORD } })).status).toBe(200);
    expect((await call(stronger, "/api/auth/login", { method: "POST", json: { email: user.email, password: `${PASSWORD}x` } })).status).toBe(401);
  });
});
