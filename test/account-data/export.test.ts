import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { EXPORTS_PER_HOUR } from "../../worker/account-data/limits";
import { type ChainedEntry, GENESIS, verifyChain } from "../../worker/core/chain";
import { userPrefix } from "../../worker/storage/keys";
import { entriesOf } from "../billing/harness";
import { filesOf, populatedUser } from "../support/account-data";
import { api, expectErrorShape, register } from "../support/client";
import { readZip } from "../support/unzip";

const exportOf = (token: string) => api("/api/account/export", { token });

async function archive(token: string) {
  const res = await exportOf(token);
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("application/zip");
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect(bytes.byteLength).toBe(Number(res.headers.get("Content-Length")));
  const entries = readZip(bytes);
  const json = (name: string) => JSON.parse(new TextDecoder().decode(entries.find((e) => e.name === name)?.bytes));
  return { entries, json };
}

describe("GET /api/account/export", () => {
  it("zips my profile, ledger with its chain, orders, generations and every file of mine, byte for byte", async () => {
    const [user, stranger] = await Promise.all([populatedUser(), populatedUser()]);
    const { entries, json } = await archive(user.client.token);

    const files = await filesOf(user.client.userId);
    expect(files.length).toBeGreaterThanOrEqual(4);
    const names = entries.map((e) => e.name);
    expect(names.slice(0, 4)).toEqual(["profile.json", "ledger.json", "orders.json", "generations.json"]);
    const prefix = userPrefix(user.client.userId);
    expect(names.slice(4).sort()).toEqual(files.map((o) => `files/${o.key.slice(prefix.length)}`).sort());
    for (const o of files) {
      const stored = new Uint8Array(await (await env.FILES.get(o.key))!.arrayBuffer());
      expect(entries.find((e) => e.name === `files/${o.key.slice(prefix.length)}`)?.bytes).toEqual(stored);
    }

    const profile = json("profile.json");
    expect(profile.user).toMatchObject({ id: user.client.userId, email: user.client.email });
    expect(profile.user.sessionId).toBeUndefined();
    expect(profile.projects).toHaveLength(2);

    const ledger = json("ledger.json") as { previous: string; entries: ChainedEntry[]; head: string };
    expect(ledger.previous).toBe(GENESIS);
    expect(ledger.entries.map((e) => e.id)).toEqual((await entriesOf(user.client.userId)).map((e) => e.id));
    expect(verifyChain(ledger.previous, ledger.entries, ledger.head)).toEqual({ ok: true, head: ledger.head });
    expect(ledger.entries.reduce((sum, e) => sum + e.amount, 0)).toBe(ledger.entries.at(-1)?.balanceAfter);

    const orders = json("orders.json") as Array<{ id: string; status: string; amount: number }>;
    expect(orders.map((o) => [o.id, o.status])).toEqual([[user.orderId, "paid"]]);

    const generations = json("generations.json") as Array<{ id: string; status: string; items: Array<{ status: string; outputs: unknown }> }>;
    const finished = generations.find((g) => g.id === user.finishedGenerationId);
    expect(finished?.items.map((i) => i.status)).toEqual(["completed", "completed"]);
    expect(finished?.items.every((i) => typeof i.outputs === "object" && i.outputs !== null)).toBe(true);
    expect(generations.find((g) => g.id === user.runningGenerationId)?.status).toBe("queued");

    // Nothing of the other user, in any entry.
    const everything = entries.map((e) => new TextDecoder().decode(e.bytes)).join("\n");
    expect(everything).not.toContain(stranger.client.userId);
    expect(everything).not.toContain(stranger.client.email);
    expect(everything).not.toContain(stranger.orderId);
  });

  it("exports an account with nothing in it as four short documents", async () => {
    const user = await register();
    const { entries, json } = await archive(user.token);
    expect(entries.map((e) => e.name)).toEqual(["profile.json", "ledger.json", "orders.json", "generations.json"]);
    expect(json("orders.json")).toEqual([]);
    expect(json("generations.json")).toEqual([]);
    expect(json("ledger.json").entries.map((e: ChainedEntry) => e.kind)).toEqual(["grant"]);
  });

  it(`allows ${EXPORTS_PER_HOUR} exports an hour, then answers 429`, async () => {
    const user = await register();
    for (let n = 0; n < EXPORTS_PER_HOUR; n++) {
      const res = await exportOf(user.token);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    const limited = await exportOf(user.token);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    await expectErrorShape(limited, "RATE_LIMITED");
  });

  it("answers 401 without a session", async () => {
    const res = await api("/api/account/export");
    expect(res.status).toBe(401);
    await expectErrorShape(res, "UNAUTHENTICATED");
  });
});
