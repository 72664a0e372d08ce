import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { countedEnv, newTally } from "../../bench/support/counting";

/** The bindings behind bench:calls and bench:scale: their figures are only as good as these counts. */
describe("the benchmarks' counting bindings", () => {
  it("counts each statement D1 runs by kind, a batch as one round trip, and still runs it", async () => {
    const tally = newTally();
    const { DB } = countedEnv(env, tally, new Map());
    const table = `counting_${crypto.randomUUID().replaceAll("-", "")}`;
    await DB.prepare(`CREATE TABLE ${table} (n INTEGER)`).run();
    await DB.batch([DB.prepare(`INSERT INTO ${table} (n) VALUES (?)`).bind(2), DB.prepare(`INSERT INTO ${table} (n) VALUES (?)`).bind(3)]);
    const row = await DB.prepare(`SELECT SUM(n) AS total FROM ${table} WHERE n > ?`).bind(0).first<{ total: number }>();
    const rows = await DB.prepare(`SELECT n FROM ${table} ORDER BY n`).raw();

    expect(row?.total).toBe(5);
    expect(rows).toEqual([[2], [3]]);
    expect(tally).toMatchObject({ d1Reads: 2, d1Writes: 3, d1RoundTrips: 4, accountCalls: 0 });
    // What the real binding holds, read past the counter: the batch landed once.
    expect(await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first("n")).toBe(2);
  });

  it("counts Account calls by method and by object, and every call reaches the object", async () => {
    const tally = newTally();
    const objects = new Map<string, number>();
    const { ACCOUNT } = countedEnv(env, tally, objects);
    const [a, b] = [`counting-${crypto.randomUUID()}`, `counting-${crypto.randomUUID()}`];
    const first = ACCOUNT.get(ACCOUNT.idFromName(a));
    await first.open(a, 40);
    expect((await first.balance()).balance).toBe(40);
    const second = ACCOUNT.getByName(b);
    await second.open(b, 9);
    expect((await second.balance()).available).toBe(9);

    expect(tally.accountCalls).toBe(4);
    expect(tally.accountMethods).toEqual({ open: 2, balance: 2 });
    expect([...objects.entries()].sort()).toEqual(
      [
        [ACCOUNT.idFromName(a).toString(), 2],
        [ACCOUNT.idFromName(b).toString(), 2],
      ].sort(),
    );
  });
});
