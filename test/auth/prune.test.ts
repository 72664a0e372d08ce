import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ENDED_SESSION_KEEP_MS, pruneAuthState } from "../../worker/auth/prune";
import { hitLimit } from "../../worker/http/rate-limit";
import { refreshCookie, register, testConfig } from "../support/client";
import { login, meStatus, refresh } from "../support/auth-clients";
import { claimsOf } from "../support/jwt";

const DAY_MS = 86_400_000;

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${sql}`)
    .bind(...binds)
    .first<{ n: number }>())!.n;
const exec = (sql: string, ...binds: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...binds)
    .run();

describe("pruneAuthState", () => {
  it("deletes ended rate-limit windows, old replaced refresh tokens and long-ended sessions, and keeps everything still in use", async () => {
    const now = Date.now();
    const ttlMs = testConfig().REFRESH_TOKEN_TTL_DAYS * DAY_MS;
    await exec("DELETE FROM rate_limits");
    await hitLimit(env.DB, { key: "prune:ended", limit: 10, windowSeconds: 60 }, now - 120_000);
    await hitLimit(env.DB, { key: "prune:current", limit: 10, windowSeconds: 60 }, now);

    // A live session with one recent rotation and one replaced token created before the TTL.
    const user = await register();
    const live = claimsOf(user.token).sid;
    const current = refreshCookie(await refresh(user.cookie));
    await exec("INSERT INTO refresh_tokens (hash, session_id, created_at, replaced_at, replaced_by) VALUES ('ancient', ?1, ?2, ?2, 'x')", live, now - ttlMs - 1);

    const revokedLongAgo = claimsOf((await login(user.email)).token).sid;
    const revokedLately = claimsOf((await login(user.email)).token).sid;
    const expiredLongAgo = claimsOf((await login(user.email)).token).sid;
    await exec("UPDATE sessions SET revoked_at = ?1 WHERE id = ?2", now - ENDED_SESSION_KEEP_MS - 1, revokedLongAgo);
    await exec("UPDATE sessions SET revoked_at = ?1 WHERE id = ?2", now - DAY_MS, revokedLately);
    await exec("UPDATE sessions SET expires_at = ?1 WHERE id = ?2", now - ENDED_SESSION_KEEP_MS - 1, expiredLongAgo);

    const report = await pruneAuthState(env, testConfig(), now);
    expect(report).toEqual({ rateLimits: 1, refreshTokens: 3, sessions: 2 });

    expect(await count("rate_limits WHERE key = 'prune:ended'")).toBe(0);
    expect(await count("rate_limits WHERE key = 'prune:current'")).toBe(1);
    expect(await count("refresh_tokens WHERE hash = 'ancient'")).toBe(0);
    expect(await count("sessions WHERE id IN (?1, ?2)", revokedLongAgo, expiredLongAgo)).toBe(0);
    expect(await count("refresh_tokens WHERE session_id IN (?1, ?2)", revokedLongAgo, expiredLongAgo)).toBe(0);
    expect(await count("sessions WHERE id IN (?1, ?2)", live, revokedLately)).toBe(2);
    // The recent rotation stays, so presenting its replaced token is still caught as reuse.
    expect(await count("refresh_tokens WHERE session_id = ?1", live)).toBe(2);
    expect(await meStatus(user.token)).toBe(200);
    expect((await refresh(current)).status).toBe(200);

    expect(await pruneAuthState(env, testConfig(), now)).toEqual({ rateLimits: 0, refreshTokens: 0, sessions: 0 });
  });

  it("keeps a window that is still running, so a caller who was limited stays limited", async () => {
    const now = Date.now();
    const limit = { key: "prune:busy", limit: 1, windowSeconds: 600 };
    await hitLimit(env.DB, limit, now);
    await pruneAuthState(env, testConfig(), now);
    const again = await hitLimit(env.DB, limit, now).then(
      () => null,
      (e: unknown) => e,
    );
    expect(again).toMatchObject({ code: "RATE_LIMITED" });
  });
});
