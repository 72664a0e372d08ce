/** Helpers for ledger tests: fresh Account objects and a raw look at their storage. */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { accountOf } from "../../worker/account/client";
import { expect } from "vitest";
import type { Account } from "../../worker/account/account";
import type { Reference, ReserveInput } from "../../worker/account/types";

export type AccountStub = DurableObjectStub<Account>;

const started: AccountStub[] = [];

/** A brand-new Account object: nothing shared with any other test. */
export function freshAccount(name: string = crypto.randomUUID()): AccountStub {
  const stub = env.ACCOUNT.get(env.ACCOUNT.idFromName(name)) as AccountStub;
  started.push(stub);
  return stub;
}

/**
 * Cancels the alarms of every account a test used. A hold left open arms an alarm that
 * later fires and logs from its own I/O context; if that lands during a file's last round
 * trip the test run never exits (cloudflare/workers-sdk#15719). Use as `afterEach`.
 */
export async function cancelAlarms(...more: DurableObjectStub[]): Promise<void> {
  for (const stub of [...started.splice(0), ...more]) {
    await runInDurableObject(stub as AccountStub, (_instance, state) => state.storage.deleteAlarm());
  }
}

export const generation = (id: string): Reference => ({ type: "generation", id });

/** A fresh account holding `amount` credits (one grant entry). */
export async function fundedAccount(amount: number): Promise<AccountStub> {
  const stub = freshAccount();
  const r = await stub.credit({ idempotencyKey: "seed-grant", amount, kind: "grant", reference: null, description: "Test credits" });
  expect(r.ok).toBe(true);
  return stub;
}

/** A rejected DO RPC as a value (awaiting it with `.rejects` can leak an unhandled rejection). */
export const failureOf = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

export interface EntryRow {
  seq: number;
  id: string;
  kind: string;
  amount: number;
  balance_after: number;
  reference: string | null;
}

export interface HoldRow {
  id: string;
  amount: number;
  items: number;
  free_items: number;
  status: "open" | "settled" | "released";
  completed_items: number | null;
  captured: number;
  released: number;
  expires_at: number;
}

/** Everything the ledger persisted, read straight from SQLite (not through the ledger's own code). */
export interface Snapshot {
  balance: number;
  version: number;
  entrySum: number;
  held: number;
  entries: EntryRow[];
  holds: HoldRow[];
  idempotencyKeys: number;
  quotaUsed: Record<string, number>;
}

export function snapshot(stub: AccountStub): Promise<Snapshot> {
  return runInDurableObject(stub, (_instance, state) => readSnapshot(state.storage.sql));
}

export function readSnapshot(sql: SqlStorage): Snapshot {
  const account = sql.exec<{ balance: number; version: number }>("SELECT balance, version FROM account").one();
  const entries = sql.exec<EntryRow & Record<string, SqlStorageValue>>("SELECT seq, id, kind, amount, balance_after, reference FROM entries ORDER BY seq").toArray();
  const holds = sql.exec<HoldRow & Record<string, SqlStorageValue>>("SELECT id, amount, items, free_items, status, completed_items, captured, released, expires_at FROM holds ORDER BY id").toArray();
  const { n } = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM idempotency").one();
  const quotaUsed = Object.fromEntries(
    sql
      .exec<{ day: string; used: number }>("SELECT day, used FROM quota_usage")
      .toArray()
      .map((r) => [r.day, r.used]),
  );
  return {
    balance: account.balance,
    version: account.version,
    entrySum: entries.reduce((s, e) => s + e.amount, 0),
    held: holds.filter((h) => h.status === "open").reduce((s, h) => s + h.amount, 0),
    entries,
    holds,
    idempotencyKeys: n,
    quotaUsed,
  };
}

/**
 * The Jepsen "bank" check over one account: the balance is the sum of its entries,
 * every entry's running balance is exact, nothing is negative, and every resolved hold
 * split its amount exactly into captured + released. Returns what is violated.
 */
export function bankViolations(s: Snapshot): string[] {
  const problems: string[] = [];
  if (s.balance !== s.entrySum) problems.push(`balance ${s.balance} ≠ sum of entries ${s.entrySum}`);
  if (s.balance < 0) problems.push(`balance ${s.balance} < 0`);
  if (s.balance - s.held < 0) problems.push(`available ${s.balance - s.held} < 0`);
  let running = 0;
  for (const e of s.entries) {
    running += e.amount;
    if (e.balance_after !== running) problems.push(`entry ${e.id}: balance_after ${e.balance_after} ≠ running sum ${running}`);
  }
  for (const h of s.holds) {
    if (h.status !== "open" && h.captured + h.released !== h.amount) {
      problems.push(`hold ${h.id}: captured ${h.captured} + released ${h.released} ≠ amount ${h.amount}`);
    }
    if (h.status === "open" && h.captured + h.released !== 0) problems.push(`open hold ${h.id} moved money`);
  }
  return problems;
}

export function expectBankInvariants(s: Snapshot): void {
  expect(bankViolations(s), "bank invariants").toEqual([]);
}

/** A reserve of 4 items × 10 credits for hold `id`, keyed by it; `over` changes any part. */
export const reserveInput = (id: string, over: Partial<ReserveInput> = {}): ReserveInput => ({
  holdId: id,
  idempotencyKey: `${id}:reserve`,
  items: 4,
  unitCost: 10,
  reference: generation(id),
  ...over,
});

/** Runs the user's object's alarm until the D1 projection has caught up with its ledger. */
export async function project(userId: string): Promise<void> {
  const account = accountOf(env, userId);
  for (let i = 0; i < 5 && (await account.audit()).projectionPending; i++) {
    if (!(await runDurableObjectAlarm(account))) await runInDurableObject(account, (instance: Account) => instance.alarm());
  }
  expect((await account.audit()).projectionPending).toBe(false);
}
