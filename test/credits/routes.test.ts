/** GET /api/credits/balance and /history: what the signed-in user sees of their own ledger, and nothing more. */
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { accountOf } from "../../worker/account/client";
import type { Entry } from "../../worker/account/types";
import { cancelAlarms } from "../support/account";
import { api, type Client, errorOf, register } from "../support/client";
import { changeUser } from "../support/users";

interface HistoryBody {
  items: Entry[];
  nextCursor: string | null;
}

const used: Client[] = [];
afterEach(() => cancelAlarms(...used.splice(0).map((u) => accountOf(env, u.userId))));

async function signUp(): Promise<Client> {
  const client = await register();
  used.push(client);
  return client;
}

async function history(client: Client, query = ""): Promise<HistoryBody> {
  const res = await api(`/api/credits/history${query}`, { token: client.token });
  expect(res.status).toBe(200);
  return res.json<HistoryBody>();
}

/** `n` purchases on top of the signup grant; entry ids are `credit:<key>`. */
async function buy(client: Client, n: number): Promise<void> {
  const account = accountOf(env, client.userId);
  for (let i = 0; i < n; i++) {
    const r = await account.credit({ idempotencyKey: `order-${i}`, amount: 10 + i, kind: "purchase", reference: { type: "order", id: `${client.userId}-${i}` }, description: `Pack ${i}` });
    expect(r.ok).toBe(true);
  }
}

describe("GET /api/credits/balance", () => {
  it("shows the signup credits, then what a reservation holds", async () => {
    const user = await signUp();
    const res = await api("/api/credits/balance", { token: user.token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ balance: 100, held: 0, available: 100, unlimited: false, dailyQuota: null });

    await accountOf(env, user.userId).reserve({ holdId: "g1", idempotencyKey: "g1", items: 3, unitCost: 10, reference: { type: "generation", id: "g1" } });
    const after = await api("/api/credits/balance", { token: user.token });
    expect(await after.json()).toMatchObject({ balance: 100, held: 30, available: 70 });
  });

  it("reports the unlimited tag and an active daily quota", async () => {
    const user = await signUp();
    await changeUser(user.userId, { tags: ["enterprise_unlimited"] });
    await accountOf(env, user.userId).setDailyQuota({ idempotencyKey: "q", limit: 5, expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    const res = await api("/api/credits/balance", { token: user.token });
    expect(await res.json()).toMatchObject({ unlimited: true, dailyQuota: { limit: 5, used: 0 } });
  });

  it("answers 401 without a valid token", async () => {
    for (const token of [undefined, "not-a-jwt", "a.b.c"]) {
      const res = await api("/api/credits/balance", { token });
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe("UNAUTHENTICATED");
    }
  });
});

describe("GET /api/credits/history", () => {
  it("pages through every entry newest first, with no gaps or repeats", async () => {
    const user = await signUp();
    await buy(user, 24);
    const expected = [...Array.from({ length: 24 }, (_, i) => `credit:order-${23 - i}`), "credit:signup"];

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: HistoryBody = await history(user, `?limit=7${cursor ? `&cursor=${cursor}` : ""}`);
      sizes.push(page.items.length);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor !== null);

    expect(seen).toEqual(expected);
    expect(sizes).toEqual([7, 7, 7, 4]);
    // Running balances read newest first: each is the next older one plus its own amount.
    const all = await history(user, "?limit=100");
    for (let i = 0; i < all.items.length - 1; i++) {
      expect(all.items[i]!.balanceAfter).toBe(all.items[i + 1]!.balanceAfter + all.items[i]!.amount);
    }
    expect(all.items[0]!.balanceAfter).toBe(100 + 24 * 10 + (23 * 24) / 2);
    expect(all.nextCursor).toBeNull();
  });

  it("defaults to 20 items and accepts 1 and 100", async () => {
    const user = await signUp();
    await buy(user, 24);
    const first = await history(user);
    expect(first.items).toHaveLength(20);
    expect(first.nextCursor).not.toBeNull();
    expect((await history(user, "?limit=1")).items).toHaveLength(1);
    expect((await history(user, "?limit=100")).items).toHaveLength(25);
  });

  it("answers 400 for a limit outside 1–100 or a cursor it did not issue", async () => {
    const user = await signUp();
    for (const query of ["?limit=0", "?limit=101", "?limit=-5", "?limit=abc", "?limit=2.5", "?cursor=abc", "?cursor=-1", "?cursor=1e3", "?cursor=1234567890123456"]) {
      const res = await api(`/api/credits/history${query}`, { token: user.token });
      expect(res.status, query).toBe(400);
      expect((await errorOf(res)).code, query).toBe("VALIDATION_ERROR");
    }
  });

  it("answers 401 without a token", async () => {
    const res = await api("/api/credits/history");
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("UNAUTHENTICATED");
  });

  it("never shows one user another user's entries, whatever the cursor", async () => {
    const alice = await signUp();
    const bob = await signUp();
    await buy(alice, 12);

    const bobs = await history(bob, "?limit=100");
    expect(bobs.items).toHaveLength(1);
    expect(bobs.items[0]).toMatchObject({ id: "credit:signup", reference: `user:${bob.userId}`, amount: 100 });

    // A cursor taken from Alice's pages only ever walks Bob's own ledger.
    const alicePage = await history(alice, "?limit=3");
    expect(alicePage.nextCursor).not.toBeNull();
    const withHerCursor = await history(bob, `?limit=100&cursor=${alicePage.nextCursor}`);
    for (const e of withHerCursor.items) expect(e.reference).toBe(`user:${bob.userId}`);
    expect(withHerCursor.items.some((e) => e.reference?.startsWith("order:"))).toBe(false);

    const bobBalance = await api("/api/credits/balance", { token: bob.token });
    expect(await bobBalance.json()).toMatchObject({ balance: 100, held: 0 });
  });
});
