/** Signed statements: the JWS verifies against the published keys, and any change to the entries is caught where it happens. */
import { env } from "cloudflare:test";
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";
import { describe, expect, it } from "vitest";
import { accountOf } from "../../worker/account/client";
import { type ChainedEntry, GENESIS, verifyChain } from "../../worker/core/chain";
import type { StatementPayload } from "../../worker/credits/statement";
import { api, errorOf, register, type Client } from "../support/client";

async function statementOf(user: Client, query = ""): Promise<string> {
  const res = await api(`/api/credits/statement${query}`, { token: user.token });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ statement: string }>()).statement;
}

async function verified(jws: string): Promise<StatementPayload> {
  const jwks = await (await api("/.well-known/jwks.json")).json<JSONWebKeySet>();
  const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ["EdDSA"] });
  expect(protectedHeader).toMatchObject({ alg: "EdDSA", kid: "test-statement-1" });
  return JSON.parse(new TextDecoder().decode(payload)) as StatementPayload;
}

/** A user with five entries: signup, two grants, a capture and a release. */
async function busyUser(): Promise<Client> {
  const user = await register();
  const account = accountOf(env, user.userId);
  await account.credit({ idempotencyKey: "g1", amount: 50, kind: "grant", reference: null, description: "Bonus" });
  await account.credit({ idempotencyKey: "g2", amount: 7, kind: "grant", reference: null, description: "Another" });
  expect((await account.reserve({ holdId: "h1", idempotencyKey: "h1", items: 3, unitCost: 10, reference: { type: "generation", id: "h1" } })).ok).toBe(true);
  expect((await account.settle("h1", 2)).ok).toBe(true);
  return user;
}

describe("GET /api/credits/statement", () => {
  it("signs every entry from the genesis to the head, matching the balance", async () => {
    const user = await busyUser();
    const payload = await verified(await statementOf(user));
    expect(payload).toMatchObject({ sub: user.userId, previous: GENESIS });
    expect(payload.entries.map((e) => e.kind)).toEqual(["grant", "grant", "grant", "capture", "release"]);
    expect(payload.entries.reduce((sum, e) => sum + e.amount, 0)).toBe((await accountOf(env, user.userId).balance()).balance);
    expect(verifyChain(payload.previous, payload.entries, payload.head)).toEqual({ ok: true, head: payload.head });
    expect(payload.head).toBe(payload.entries.at(-1)!.hash);
  });

  it("finds the changed entry, a dropped one and a cut-off end", async () => {
    const { previous, entries, head } = await verified(await statementOf(await busyUser()));
    const changed = entries.map((e, i): ChainedEntry => (i === 2 ? { ...e, amount: e.amount + 1 } : e));
    expect(verifyChain(previous, changed, head)).toMatchObject({ ok: false, index: 2, id: entries[2]!.id });
    const dropped = entries.filter((_, i) => i !== 1);
    expect(verifyChain(previous, dropped, head)).toMatchObject({ ok: false, index: 1, id: entries[2]!.id });
    const cut = entries.slice(0, -1);
    expect(verifyChain(previous, cut, head)).toMatchObject({ ok: false, index: cut.length, reason: expect.stringContaining("dropped") });
  });

  it("refuses a statement whose payload was edited after signing", async () => {
    const [header, payload, signature] = (await statementOf(await busyUser())).split(".") as [string, string, string];
    const edited = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as StatementPayload;
    edited.entries[0]!.amount += 1000;
    const forged = `${header}.${btoa(JSON.stringify(edited)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}.${signature}`;
    await expect(verified(forged)).rejects.toThrow(/signature/i);
  });

  it("excerpts a period that verifies on its own and chains to the entry before it", async () => {
    const user = await busyUser();
    const full = await verified(await statementOf(user));
    const from = full.entries[3]!.createdAt;
    const excerpt = await verified(await statementOf(user, `?from=${encodeURIComponent(from)}`));
    const first = full.entries.findIndex((e) => e.createdAt >= from);
    expect(excerpt.entries).toEqual(full.entries.slice(first));
    expect(excerpt.previous).toBe(first > 0 ? full.entries[first - 1]!.hash : GENESIS);
    expect(verifyChain(excerpt.previous, excerpt.entries, excerpt.head).ok).toBe(true);
  });

  it("lists only the caller's own entries", async () => {
    const alice = await busyUser();
    const bob = await register();
    const bobs = await verified(await statementOf(bob));
    expect(bobs.sub).toBe(bob.userId);
    expect(bobs.entries).toHaveLength(1);
    expect(bobs.entries.map((e) => e.id)).not.toContain((await verified(await statementOf(alice))).entries[1]!.id);
  });

  it.each([["?from=yesterday"], ["?to=2026-13-01T00:00:00Z"], ["?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"]])("answers %s with 400", async (query) => {
    const res = await api(`/api/credits/statement${query}`, { token: (await register()).token });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("VALIDATION_ERROR");
  });

  it("publishes only public keys", async () => {
    const res = await api("/.well-known/jwks.json");
    expect(res.headers.get("Cache-Control")).toContain("max-age");
    const { keys } = await res.json<{ keys: Array<Record<string, string>> }>();
    expect(keys).toEqual([{ kty: "OKP", crv: "Ed25519", kid: "test-statement-1", x: "CmszIUuuYDdEoUTgGH5qrackC-E0LsE1mlyOKHVejoo", alg: "EdDSA", use: "sig" }]);
  });
});
