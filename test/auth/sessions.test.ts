import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { GRACE_MS, rotateRefreshToken } from "../../worker/auth/sessions";
import { accountOf } from "../../worker/account/client";
import { api, type Client, errorOf, refreshCookie, register, testConfig } from "../support/client";
import { login, meStatus, refresh, refreshSetCookie } from "../support/auth-clients";
import { claimsOf } from "../support/jwt";
import { refreshTokenUser } from "../../worker/auth/tokens";

interface SessionItem {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  current: boolean;
}

/** A raw look at the storage of the user's Account object, where their sessions live. */
const inAccount = <T>(user: Client, fn: (sql: SqlStorage) => T) => runInDurableObject(accountOf(env, user.userId), (_instance, state) => fn(state.storage.sql));

/** Moves a session's rotations back in time, as if they had happened `ms` earlier. */
const ageRotations = (user: Client, ms: number) =>
  inAccount(user, (sql) => sql.exec("UPDATE refresh_tokens SET replaced_at = replaced_at - ? WHERE session_id = ? AND replaced_at IS NOT NULL", ms, claimsOf(user.token).sid));

const tokenOf = (cookie: string) => cookie.slice("lumiku_refresh=".length);

const liveRefreshTokens = (user: Client) =>
  inAccount(user, (sql) => sql.exec<{ n: number }>("SELECT count(*) AS n FROM refresh_tokens WHERE session_id = ? AND replaced_at IS NULL", claimsOf(user.token).sid).one().n);

const sessionsOf = async (token: string) => {
  const res = await api("/api/auth/sessions", { token });
  expect(res.status).toBe(200);
  return res.json<{ items: SessionItem[]; nextCursor: string | null }>();
};

describe("POST /api/auth/refresh", () => {
  it("rotates the refresh cookie and hands out a new access token for the same session", async () => {
    const user = await register();
    const res = await refresh(user.cookie);
    expect(res.status).toBe(200);
    const { accessToken } = await res.json<{ accessToken: string }>();
    expect(await meStatus(accessToken)).toBe(200);
    expect(claimsOf(accessToken).sid).toBe(claimsOf(user.token).sid);

    const rotated = refreshSetCookie(res)!;
    expect(rotated).toMatch(/HttpOnly/i);
    expect(rotated).toMatch(/Secure/i);
    expect(rotated).toMatch(/SameSite=Strict/i);
    expect(refreshCookie(res)).not.toBe(user.cookie);
    expect((await refresh(refreshCookie(res))).status).toBe(200);
  });

  it("treats a replaced refresh token presented again as theft: the whole session ends, newest tokens included", async () => {
    const user = await register();
    const first = await refresh(user.cookie);
    const newestCookie = refreshCookie(first);
    const { accessToken: newestAccess } = await first.json<{ accessToken: string }>();
    await ageRotations(user, GRACE_MS + 1);

    const replay = await refresh(user.cookie);
    expect(replay.status).toBe(401);
    expect((await errorOf(replay)).code).toBe("UNAUTHENTICATED");
    expect(refreshSetCookie(replay)).toMatch(/Max-Age=0/i);

    expect((await refresh(newestCookie)).status).toBe(401);
    expect(await meStatus(newestAccess)).toBe(401);
    expect(await meStatus(user.token)).toBe(401);
  });

  it("leaves the user's other sessions alone when one session is ended for reuse", async () => {
    const user = await register();
    const laptop = await login(user.email);
    await refresh(user.cookie);
    await ageRotations(user, GRACE_MS + 1);
    expect((await refresh(user.cookie)).status).toBe(401);
    expect(await meStatus(laptop.token)).toBe(200);
    expect((await refresh(laptop.cookie)).status).toBe(200);
  });

  it("hands a retry within the grace window the same successor, and the session lives on", async () => {
    const user = await register();
    const at = Date.now();
    const first = await rotateRefreshToken(env, testConfig(), tokenOf(user.cookie), at);
    const retry = await rotateRefreshToken(env, testConfig(), tokenOf(user.cookie), at + GRACE_MS);
    expect(first).toMatchObject({ ok: true, sessionId: claimsOf(user.token).sid });
    expect(retry).toEqual(first);
    expect(await liveRefreshTokens(user)).toBe(1);
    expect(await meStatus(user.token)).toBe(200);
    expect((await refresh(`lumiku_refresh=${(first as { refreshToken: string }).refreshToken}`)).status).toBe(200);
  });

  it("ends the session when the replaced token comes back after the grace window", async () => {
    const user = await register();
    const at = Date.now();
    const first = await rotateRefreshToken(env, testConfig(), tokenOf(user.cookie), at);
    expect(first.ok).toBe(true);
    expect(await rotateRefreshToken(env, testConfig(), tokenOf(user.cookie), at + GRACE_MS + 1)).toEqual({ ok: false, reason: "reused" });
    expect(await meStatus(user.token)).toBe(401);
    expect((await refresh(`lumiku_refresh=${(first as { refreshToken: string }).refreshToken}`)).status).toBe(401);
  });

  it("ends the session when an older token comes back, even within the grace window", async () => {
    const user = await register();
    const second = refreshCookie(await refresh(user.cookie));
    const third = refreshCookie(await refresh(second));
    const replay = await refresh(user.cookie);
    expect(replay.status).toBe(401);
    expect(refreshSetCookie(replay)).toMatch(/Max-Age=0/i);
    expect((await refresh(third)).status).toBe(401);
    expect(await meStatus(user.token)).toBe(401);
  });

  it("survives concurrent refreshes with one token: all get the same successor and one chain goes on", async () => {
    const user = await register();
    const answers = await Promise.all([refresh(user.cookie), refresh(user.cookie), refresh(user.cookie)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const successors = new Set(answers.map(refreshCookie));
    expect(successors.size).toBe(1);
    expect(await liveRefreshTokens(user)).toBe(1);
    for (const res of answers) expect(await meStatus((await res.json<{ accessToken: string }>()).accessToken)).toBe(200);
    const next = await refresh([...successors][0]!);
    expect(next.status).toBe(200);
    expect((await refresh(refreshCookie(next))).status).toBe(200);
    expect(await meStatus(user.token)).toBe(200);
  });

  it("refuses a missing, unknown or malformed refresh cookie with 401", async () => {
    const missing = await api("/api/auth/refresh", { method: "POST" });
    expect(missing.status).toBe(401);
    expect((await errorOf(missing)).code).toBe("UNAUTHENTICATED");
    expect((await refresh("lumiku_refresh=bm90LWEtcmVhbC10b2tlbg")).status).toBe(401);
    expect((await refresh("lumiku_refresh=")).status).toBe(401);
    expect((await refresh(`lumiku_refresh=${"%".repeat(300)}`)).status).toBe(401);
  });
});

describe("a refresh cookie names its user's Account object", () => {
  it("refuses a cookie whose user id was swapped for another user's, and leaves both sessions alone", async () => {
    const alice = await register();
    const bob = await register();
    const [, secret, mac] = tokenOf(alice.cookie).split(".");
    // Refused before any object is asked: the MAC binds the id to the secret.
    expect(await refreshTokenUser(testConfig(), tokenOf(alice.cookie))).toBe(alice.userId);
    expect(await refreshTokenUser(testConfig(), `${bob.userId}.${secret}.${mac}`)).toBeNull();
    expect((await refresh(`lumiku_refresh=${bob.userId}.${secret}.${mac}`)).status).toBe(401);
    expect((await refresh(`lumiku_refresh=${alice.userId}.${secret}.${"A".repeat(43)}`)).status).toBe(401);
    expect(await meStatus(bob.token)).toBe(200);
    expect((await refresh(alice.cookie)).status).toBe(200);
  });
});

describe("POST /api/auth/logout", () => {
  it("ends the session at once: 204, its access token stops working and its refresh cookie is dead", async () => {
    const user = await register();
    expect(await meStatus(user.token)).toBe(200);
    const res = await api("/api/auth/logout", { method: "POST", token: user.token });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(refreshSetCookie(res)).toMatch(/Max-Age=0/i);

    expect(await meStatus(user.token)).toBe(401);
    expect((await refresh(user.cookie)).status).toBe(401);
    expect((await api("/api/auth/logout", { method: "POST", token: user.token })).status).toBe(401);
  });

  it("ends only the session it is called from", async () => {
    const user = await register();
    const phone = await login(user.email);
    expect((await api("/api/auth/logout", { method: "POST", token: user.token })).status).toBe(204);
    expect(await meStatus(phone.token)).toBe(200);
  });
});

describe("GET /api/auth/me", () => {
  it("returns the signed-in user in the contract's shape, with no session or secret fields", async () => {
    const user = await register(undefined, "Grace Hopper");
    const res = await api("/api/auth/me", { token: user.token });
    expect(res.status).toBe(200);
    const { user: me } = await res.json<{ user: Record<string, unknown> }>();
    expect(Object.keys(me).sort()).toEqual(["createdAt", "email", "id", "name", "role", "tags"]);
    expect(me).toMatchObject({ id: user.userId, email: user.email, name: "Grace Hopper", role: "user", tags: [] });
  });

  it("answers 401 without a token", async () => {
    const res = await api("/api/auth/me");
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("UNAUTHENTICATED");
  });
});

describe("GET /api/auth/sessions", () => {
  it("lists the user's live sessions and flags the one asking as current", async () => {
    const user = await register();
    const second = await api("/api/auth/login", { method: "POST", json: { email: user.email, password: "correct horse battery staple" }, headers: { "User-Agent": "Phone/1.0" } });
    const phone = (await second.json<{ accessToken: string }>()).accessToken;
    await register(); // someone else's sessions never show up

    const { items, nextCursor } = await sessionsOf(user.token);
    expect(nextCursor).toBeNull();
    expect(items.map((s) => s.id).sort()).toEqual([claimsOf(user.token).sid, claimsOf(phone).sid].sort());
    expect(items.filter((s) => s.current).map((s) => s.id)).toEqual([claimsOf(user.token).sid]);
    expect(items.find((s) => s.id === claimsOf(phone).sid)!.userAgent).toBe("Phone/1.0");
    for (const s of items) expect(Date.parse(s.expiresAt)).toBeGreaterThan(Date.now());

    const fromPhone = await sessionsOf(phone);
    expect(fromPhone.items.filter((s) => s.current).map((s) => s.id)).toEqual([claimsOf(phone).sid]);
  });

  it("pages with ?limit= and a cursor, without repeating or skipping a session", async () => {
    const user = await register();
    await login(user.email);
    await login(user.email);
    const first = await (await api("/api/auth/sessions?limit=2", { token: user.token })).json<{ items: SessionItem[]; nextCursor: string | null }>();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const rest = await (await api(`/api/auth/sessions?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`, { token: user.token })).json<{ items: SessionItem[]; nextCursor: string | null }>();
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    expect(new Set([...first.items, ...rest.items].map((s) => s.id)).size).toBe(3);
  });

  it("drops sessions that have ended from the list", async () => {
    const user = await register();
    const other = await login(user.email);
    await api("/api/auth/logout", { method: "POST", token: other.token });
    const { items } = await sessionsOf(user.token);
    expect(items.map((s) => s.id)).toEqual([claimsOf(user.token).sid]);
  });
});

describe("DELETE /api/auth/sessions/:id", () => {
  it("revokes one of the user's own sessions: 204, and that device is signed out", async () => {
    const user = await register();
    const tablet = await login(user.email);
    const res = await api(`/api/auth/sessions/${claimsOf(tablet.token).sid}`, { method: "DELETE", token: user.token });
    expect(res.status).toBe(204);
    expect(await meStatus(tablet.token)).toBe(401);
    expect((await refresh(tablet.cookie)).status).toBe(401);
    expect(await meStatus(user.token)).toBe(200);
  });

  it("answers 404 for another user's session and leaves it signed in", async () => {
    const alice = await register();
    const bob = await register();
    const res = await api(`/api/auth/sessions/${claimsOf(bob.token).sid}`, { method: "DELETE", token: alice.token });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("NOT_FOUND");
    expect(await meStatus(bob.token)).toBe(200);
    expect((await refresh(bob.cookie)).status).toBe(200);
  });

  it("answers 404 for a session that does not exist or has already ended", async () => {
    const user = await register();
    const other = await login(user.email);
    expect((await api(`/api/auth/sessions/${crypto.randomUUID()}`, { method: "DELETE", token: user.token })).status).toBe(404);
    const sid = claimsOf(other.token).sid;
    expect((await api(`/api/auth/sessions/${sid}`, { method: "DELETE", token: user.token })).status).toBe(204);
    expect((await api(`/api/auth/sessions/${sid}`, { method: "DELETE", token: user.token })).status).toBe(404);
  });
});

describe("DELETE /api/auth/sessions", () => {
  it("signs out every other device and keeps the current one", async () => {
    const user = await register();
    const phone = await login(user.email);
    const tablet = await login(user.email);
    const bob = await register();

    const res = await api("/api/auth/sessions", { method: "DELETE", token: user.token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 2 });

    expect(await meStatus(user.token)).toBe(200);
    expect((await refresh(user.cookie)).status).toBe(200);
    expect(await meStatus(phone.token)).toBe(401);
    expect(await meStatus(tablet.token)).toBe(401);
    expect((await refresh(phone.cookie)).status).toBe(401);
    expect(await meStatus(bob.token)).toBe(200);
    expect((await sessionsOf(user.token)).items.map((s) => s.id)).toEqual([claimsOf(user.token).sid]);
  });
});
