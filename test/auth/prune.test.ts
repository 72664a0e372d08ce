import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { accountOf } from "../../worker/account/client";
import { ENDED_SESSION_KEEP_MS } from "../../worker/account/sessions";
import { pruneAuthState } from "../../worker/auth/prune";
import { hitLimit } from "../../worker/http/rate-limit";
import { type Client, refreshCookie, register, testConfig } from "../support/client";
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

/** SQL in the user's Account object, where their sessions and refresh tokens live. */
const inAccount = <T>(user: Client, fn: (sql: SqlStorage) => T) => runInDurableObject(accountOf(env, user.userId), (_instance, state) => fn(state.storage.sql));
const countIn = (user: Client, sql: string, ...binds: string[]) => inAccount(user, (q) => q.exec<{ n: number }>(`SELECT count(*) AS n FROM ${sql}`, ...binds).one().n);

describe("pruneAuthState", () => {
  it("deletes ended rate-limit windows and keeps the ones still running", async () => {
    const now = Date.now();
    await exec("DELETE FROM rate_limits");
    await hitLimit(env.DB, { key: "prune:ended", limit: 10, windowSeconds: 60 }, now - 120_000);
    await hitLimit(env.DB, { key: "prune:current", limit: 10, windowSeconds: 60 }, now);
    expect(await pruneAuthState(env, now)).toEqual({ rateLimits: 1 });
    expect(await count("rate_limits WHERE key = 'prune:ended'")).toBe(0);
    expect(await count("rate_limits WHERE key = 'prune:current'")).toBe(1);
    expect(await pruneAuthState(env, now)).toEqual({ rateLimits: 0 });
  });

  it("keeps a window that is still running, so a caller who was limited stays limited", async () => {
    const now = Date.now();
    const limit = { key: "prune:busy", limit: 1, windowSeconds: 600 };
    await hitLimit(env.DB, limit, now);
    await pruneAuthState(env, now);
    const again = await hitLimit(env.DB, limit, now).then(
      () => null,
      (e: unknown) => e,
    );
    expect(again).toMatchObject({ code: "RATE_LIMITED" });
  });
});

describe("a login prunes the user's own sessions", () => {
  it("drops long-ended sessions with their tokens and old replaced tokens, and keeps everything still in use", async () => {
    const now = Date.now();
    const ttlMs = testConfig().REFRESH_TOKEN_TTL_DAYS * DAY_MS;
    // A live session with one recent rotation and one replaced token created before the TTL.
    const user = await register();
    const live = claimsOf(user.token).sid;
    const current = refreshCookie(await refresh(user.cookie));
    await inAccount(user, (sql) =>
      sql.exec("INSERT INTO refresh_tokens (hash, session_id, created_at, replaced_at, replaced_by) VALUES ('ancient', ?, ?, ?, 'x')", live, now - ttlMs - 1, now - ttlMs - 1),
    );

    const revokedLongAgo = claimsOf((await login(user.email)).token).sid;
    const revokedLately = claimsOf((await login(user.email)).token).sid;
    const expiredLongAgo = claimsOf((await login(user.email)).token).sid;
    await inAccount(user, (sql) => {
      sql.exec("UPDATE sessions SET revoked_at = ? WHERE id = ?", now - ENDED_SESSION_KEEP_MS - 1, revokedLongAgo);
      sql.exec("UPDATE sessions SET revoked_at = ? WHERE id = ?", now - DAY_MS, revokedLately);
      sql.exec("UPDATE sessions SET expires_at = ? WHERE id = ?", now - ENDED_SESSION_KEEP_MS - 1, expiredLongAgo);
    });

    await login(user.email);

    expect(await countIn(user, "refresh_tokens WHERE hash = 'ancient'")).toBe(0);
    expect(await countIn(user, "sessions WHERE id IN (?, ?)", revokedLongAgo, expiredLongAgo)).toBe(0);
    expect(await countIn(user, "refresh_tokens WHERE session_id IN (?, ?)", revokedLongAgo, expiredLongAgo)).toBe(0);
    expect(await countIn(user, "sessions WHERE id IN (?, ?)", live, revokedLately)).toBe(2);
    // The recent rotation stays, so presenting its replaced token is still caught as reuse.
    expect(await countIn(user, "refresh_tokens WHERE session_id = ?", live)).toBe(2);
    expect(await meStatus(user.token)).toBe(200);
    expect((await refresh(current)).status).toBe(200);
  });
});
