/**
 * The hot path: a request that needs only the caller's own state is answered by their
 * Account object alone. D1 is wrapped to record every statement; these routes send none,
 * and a session that has ended is refused at once on each of them.
 */
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { accountOf } from "../../worker/account/client";
import { cancelAlarms } from "../support/account";
import { adminApi, registerAdmin } from "../support/admin";
import { refresh } from "../support/auth-clients";
import { type Client, errorOf, refreshCookie, register } from "../support/client";
import { countingD1 } from "../support/d1-count";
import { call } from "../support/direct";
import { createProject, newKey } from "../support/generations";
import { TEST_PIPELINE_COST } from "../support/test-pipeline";
import { claimsOf } from "../support/jwt";

const used: Client[] = [];
afterEach(() => cancelAlarms(...used.splice(0).map((u) => accountOf(env, u.userId))));

async function user(): Promise<Client> {
  const client = await register();
  used.push(client);
  return client;
}

/** One request through a D1 binding that records what it is sent. */
async function counted(path: string, init: Parameters<typeof call>[2] = {}) {
  const d1 = countingD1();
  const res = await call(d1.env, path, init);
  return { res, queries: d1.queries };
}

const submitInit = (client: Client, projectId: string, key = newKey()) => ({ method: "POST", token: client.token, json: { projectId, items: ["ok", "ok"] }, headers: { "Idempotency-Key": key } });

/** The routes that must end with the session: each refuses an ended one with the same 401. */
async function refusedEverywhere(client: Client, projectId: string) {
  const answers = await Promise.all([
    call(env, "/api/credits/balance", { token: client.token }),
    call(env, "/api/credits/history", { token: client.token }),
    call(env, "/api/credits/statement", { token: client.token }),
    call(env, "/api/realtime/ticket", { method: "POST", token: client.token }),
    call(env, "/api/auth/sessions", { token: client.token }),
    call(env, "/api/auth/me", { token: client.token }),
    call(env, "/api/apps/test-pipeline/generations", submitInit(client, projectId)),
  ]);
  expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);
  for (const res of answers) expect((await errorOf(res)).code).toBe("UNAUTHENTICATED");
}

describe("routes that need only the caller's own state", () => {
  it("read the balance, the history, a ticket, the sessions and the user with zero D1 queries", async () => {
    const client = await user();

    const balance = await counted("/api/credits/balance", { token: client.token });
    expect(balance.res.status).toBe(200);
    expect(await balance.res.json()).toEqual({ balance: 100, held: 0, available: 100, unlimited: false, dailyQuota: null });
    expect(balance.queries).toEqual([]);

    const history = await counted("/api/credits/history", { token: client.token });
    expect(history.res.status).toBe(200);
    expect((await history.res.json<{ items: Array<{ kind: string; amount: number }> }>()).items.map((e) => [e.kind, e.amount])).toEqual([["grant", 100]]);
    expect(history.queries).toEqual([]);

    const ticket = await counted("/api/realtime/ticket", { method: "POST", token: client.token });
    expect(ticket.res.status).toBe(200);
    expect((await ticket.res.json<{ ticket: string }>()).ticket.startsWith(`${client.userId}.`)).toBe(true);
    expect(ticket.queries).toEqual([]);

    const sessions = await counted("/api/auth/sessions", { token: client.token });
    expect(sessions.res.status).toBe(200);
    expect((await sessions.res.json<{ items: Array<{ id: string; current: boolean }> }>()).items.map((s) => [s.id, s.current])).toEqual([[claimsOf(client.token).sid, true]]);
    expect(sessions.queries).toEqual([]);

    const me = await counted("/api/auth/me", { token: client.token });
    expect((await me.res.json<{ user: { id: string; email: string } }>()).user).toMatchObject({ id: client.userId, email: client.email });
    expect(me.queries).toEqual([]);
  });

  it("refreshes and logs out with zero D1 queries, and the logged-out token is refused at once", async () => {
    const client = await user();
    const projectId = await createProject(client);

    const rotated = await counted("/api/auth/refresh", { method: "POST", headers: { Cookie: client.cookie } });
    expect(rotated.res.status).toBe(200);
    expect(rotated.queries).toEqual([]);
    const { accessToken } = await rotated.res.json<{ accessToken: string }>();

    const logout = await counted("/api/auth/logout", { method: "POST", token: accessToken });
    expect(logout.res.status).toBe(204);
    expect(logout.queries).toEqual([]);

    await refusedEverywhere(client, projectId);
    expect((await refresh(refreshCookie(rotated.res))).status).toBe(401);
  });

  it("submits a generation with no D1 query for auth: the session is checked in the same call as the reserve", async () => {
    const client = await user();
    const projectId = await createProject(client);
    const { res, queries } = await counted("/api/apps/test-pipeline/generations", submitInit(client, projectId));
    expect(res.status).toBe(202);
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) expect(q).not.toMatch(/\b(users|sessions|refresh_tokens)\b/);
    const balance = await (await call(env, "/api/credits/balance", { token: client.token })).json<{ held: number; available: number }>();
    expect(balance).toMatchObject({ held: 2 * TEST_PIPELINE_COST, available: 100 - 2 * TEST_PIPELINE_COST });
  });
});

describe("an ended session on the routes that check it in their own call", () => {
  it("is refused, not answered, when the route fails before reaching the object (bad query, replayed key)", async () => {
    const client = await user();
    const projectId = await createProject(client);
    const key = newKey();
    expect((await call(env, "/api/apps/test-pipeline/generations", submitInit(client, projectId, key))).status).toBe(202);
    expect((await call(env, "/api/auth/logout", { method: "POST", token: client.token })).status).toBe(204);

    // A replay would otherwise hand back the generation; a bad cursor would be a 400.
    const replay = await call(env, "/api/apps/test-pipeline/generations", submitInit(client, projectId, key));
    expect(replay.status).toBe(401);
    expect(await replay.json()).not.toHaveProperty("generation");
    expect((await call(env, "/api/credits/history?cursor=nope", { token: client.token })).status).toBe(401);
    // Nothing more was reserved by the refused submit.
    const account = await accountOf(env, client.userId).balance();
    expect(account).toMatchObject({ held: 2 * TEST_PIPELINE_COST });
  });

  it("ends every session of a user at an admin's revoke, on the next request", async () => {
    const admin = await registerAdmin();
    used.push(admin);
    const client = await user();
    const projectId = await createProject(client);
    expect((await adminApi(admin, `/users/${client.userId}/sessions/revoke`, { method: "POST" })).status).toBe(204);
    await refusedEverywhere(client, projectId);
    expect((await refresh(client.cookie)).status).toBe(401);
  });

  it("ends the whole family when a replaced refresh token comes back, access tokens included", async () => {
    const client = await user();
    const projectId = await createProject(client);
    const second = refreshCookie(await refresh(client.cookie));
    const third = await refresh(second);
    const { accessToken } = await third.json<{ accessToken: string }>();
    expect((await refresh(client.cookie)).status).toBe(401);
    await refusedEverywhere({ ...client, token: accessToken }, projectId);
    expect((await refresh(refreshCookie(third))).status).toBe(401);
  });
});
