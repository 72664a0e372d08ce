import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, errorOf, register, type Client } from "../support/client";
import { claimsOf, forgeToken, testKeys, unsignedToken } from "../support/jwt";

const now = () => Math.floor(Date.now() / 1000);

/** What /api/auth/me says to a token: 200 only for one of ours, current, for a live session. */
async function verdict(token: string): Promise<number> {
  const res = await api("/api/auth/me", { token });
  if (res.status !== 200) expect((await errorOf(res)).code).toBe("UNAUTHENTICATED");
  else await res.body?.cancel();
  return res.status;
}

const own = (user: Client) => claimsOf(user.token);

describe("access tokens", () => {
  it("accepts a token forged exactly like the server's own (so every rejection below is about its one flaw)", async () => {
    const user = await register();
    expect(await verdict(await forgeToken(own(user)))).toBe(200);
  });

  it("accepts a token signed with the second (rotation) key by its kid", async () => {
    const user = await register();
    const rotation = testKeys[1]!;
    expect(testKeys[0]!.kid).not.toBe(rotation.kid);
    expect(await verdict(await forgeToken({ ...own(user), kid: rotation.kid, secret: rotation.secret }))).toBe(200);
  });

  it("rejects alg: none, with or without the empty signature segment", async () => {
    const user = await register();
    const payload = { ...own(user), iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE, iat: now(), exp: now() + 300 };
    expect(await verdict(unsignedToken(payload))).toBe(401);
    expect(await verdict(unsignedToken(payload, false))).toBe(401);
    expect(await verdict(`${unsignedToken(payload)}AAAA`)).toBe(401);
  });

  it("rejects a tampered signature and a tampered payload", async () => {
    const user = await register();
    const [header, payload, signature] = user.token.split(".") as [string, string, string];
    const flipped = signature.replace(/^./, (c) => (c === "A" ? "B" : "A"));
    expect(await verdict(`${header}.${payload}.${flipped}`)).toBe(401);

    const other = await register();
    const body = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    const swapped = btoa(JSON.stringify({ ...body, sub: other.userId }))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    expect(await verdict(`${header}.${swapped}.${signature}`)).toBe(401);
    expect(await verdict(user.token)).toBe(200);
  });

  it("rejects a token signed with a key we do not hold, even under a known kid", async () => {
    const user = await register();
    expect(await verdict(await forgeToken({ ...own(user), secret: "an-attacker-chosen-key-0123456789abcdefghij" }))).toBe(401);
  });

  it("rejects another HMAC algorithm with the right key (the algorithm is pinned)", async () => {
    const user = await register();
    expect(await verdict(await forgeToken({ ...own(user), alg: "HS512" }))).toBe(401);
  });

  it("rejects the wrong audience and the wrong issuer", async () => {
    const user = await register();
    expect(await verdict(await forgeToken({ ...own(user), aud: "some-other-api" }))).toBe(401);
    expect(await verdict(await forgeToken({ ...own(user), iss: "someone-else" }))).toBe(401);
  });

  it("rejects an expired token and one that is not valid yet", async () => {
    const user = await register();
    expect(await verdict(await forgeToken({ ...own(user), exp: now() - 5 }))).toBe(401);
    expect(await verdict(await forgeToken({ ...own(user), nbf: now() + 3600 }))).toBe(401);
  });

  it("rejects an unknown kid and a missing kid", async () => {
    const user = await register();
    expect(await verdict(await forgeToken({ ...own(user), kid: "retired-key" }))).toBe(401);
    expect(await verdict(await forgeToken({ ...own(user), omit: ["kid"] }))).toBe(401);
  });

  it("rejects a token without a session id, subject or expiry", async () => {
    const user = await register();
    expect(await verdict(await forgeToken({ ...own(user), omit: ["sid"] }))).toBe(401);
    expect(await verdict(await forgeToken({ ...own(user), omit: ["sub"] }))).toBe(401);
    expect(await verdict(await forgeToken({ ...own(user), omit: ["exp"] }))).toBe(401);
  });

  it("rejects a validly signed token whose session is not the subject's", async () => {
    const alice = await register();
    const bob = await register();
    expect(await verdict(await forgeToken({ sub: alice.userId, sid: own(bob).sid }))).toBe(401);
    expect(await verdict(await forgeToken({ sub: alice.userId, sid: crypto.randomUUID() }))).toBe(401);
  });

  it("rejects a validly signed, unexpired token once its session is revoked", async () => {
    const user = await register();
    const claims = own(user);
    expect((await api("/api/auth/logout", { method: "POST", token: user.token })).status).toBe(204);
    expect(await verdict(await forgeToken(claims))).toBe(401);
  });

  it.each([
    ["no Authorization header", undefined],
    ["a Basic scheme", "Basic dXNlcjpwYXNz"],
    ["an empty Bearer", "Bearer "],
    ["a Bearer that is not a JWT", "Bearer not-a-jwt"],
    ["a token with a fourth segment", "Bearer a.b.c.d"],
  ])("answers 401 for %s", async (_, authorization) => {
    const res = await api("/api/auth/me", { headers: authorization ? { Authorization: authorization } : {} });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("UNAUTHENTICATED");
  });
});
