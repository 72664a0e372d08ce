/** The Account alarm survives a D1 outage: it logs, re-arms with a back-off, and catches up after. */
import { env, runInDurableObject } from "cloudflare:test";
import { afterEach, expect, it } from "vitest";
import type { Account } from "../../worker/account/account";
import type { AccountRecords } from "../../worker/account/records";
import { cancelAlarms, freshAccount } from "../support/account";

afterEach(() => cancelAlarms());

const down = () => Promise.reject(new Error("D1 is down"));
const failingRecords: AccountRecords = { projectBalance: down, generationState: down, markReleased: down };

it("re-arms after a D1 failure instead of dropping its projection, then writes it once D1 is back", async () => {
  const userId = crypto.randomUUID();
  await env.DB.prepare("INSERT INTO users (id, email, name, password_hash) VALUES (?, ?, 'T', 'x')").bind(userId, `${userId}@example.com`).run();
  const account = freshAccount(userId);
  await account.open(userId, 100);
  const before = Date.now();
  await runInDurableObject(account, async (instance: Account, state) => {
    const target = instance as unknown as { records: AccountRecords };
    const real = target.records;
    target.records = failingRecords;
    try {
      await instance.alarm();
    } finally {
      target.records = real;
    }
    const next = await state.storage.getAlarm();
    expect(next).not.toBeNull();
    expect(next!).toBeGreaterThanOrEqual(before + 29_000);
  });
  expect((await account.audit()).projectionPending).toBe(true);
  await runInDurableObject(account, (instance: Account) => instance.alarm());
  expect((await account.audit()).projectionPending).toBe(false);
  expect(await env.DB.prepare("SELECT balance FROM balances WHERE user_id = ?").bind(userId).first()).toEqual({ balance: 100 });
});
