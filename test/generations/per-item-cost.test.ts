/**
 * What one item costs the pipeline around its image work, counted on the bindings the
 * consumer is handed: two D1 round trips, both writes (claim, finish; each one batch, one
 * transaction) and one Account call (progress, and for the last item the settle), whatever
 * the outcome and delivery order.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { accountOf } from "../../worker/account/client";
import { GENERATION_QUEUE, type ItemMessage } from "../../worker/generations/messages";
import { register } from "../support/client";
import { countedAccounts, countedD1, newTally, type Tally } from "../../bench/support/counting";
import type { Account } from "../../worker/account/account";
import { balanceOf, createProject, deliver, getGeneration, submitCaptured } from "../support/generations";
import { TEST_PIPELINE_COST as COST } from "../support/test-pipeline";

const SIGNUP = 100;
const MAX_ITEMS = 20; // the test-pipeline app's maxItems

async function captured(behaviours: string[], credits = 0) {
  const user = await register();
  if (credits > 0) {
    await accountOf(env, user.userId).credit({ idempotencyKey: "per-item-grant", amount: credits, kind: "grant", reference: null, description: "Test credits" });
  }
  const { response, sent } = await submitCaptured(user, await createProject(user), behaviours);
  expect(response.status).toBe(202);
  return { user, sent, generationId: sent[0]!.generationId };
}

/** Bindings that count every call the consumer makes through them. */
function counted() {
  const tally = newTally();
  return { tally, overrides: { DB: countedD1(env.DB, tally), ACCOUNT: countedAccounts(env.ACCOUNT, tally, new Map()) } };
}

/** Round trips to D1 (a batch is one, in one transaction), its statements, and Account calls, per item. */
const perItem = (tally: Tally, items: number) => ({
  d1RoundTrips: tally.d1RoundTrips / items,
  d1WriteStatements: tally.d1Writes / items,
  d1ReadStatements: tally.d1Reads / items,
  accountCalls: tally.accountCalls / items,
});
// The claim batch: the item, the generation's status, the generation read back; the finish batch: counter, item, outcome.
const PER_ITEM = { d1RoundTrips: 2, d1WriteStatements: 5, d1ReadStatements: 1, accountCalls: 1 };

/** An Account namespace whose `method` fails as a lost connection to the object would. */
function unreachable(method: string): DurableObjectNamespace<Account> {
  return new Proxy(env.ACCOUNT, {
    get(namespace, property) {
      if (property !== "get") return Reflect.get(namespace, property);
      return (id: DurableObjectId) =>
        new Proxy(namespace.get(id), {
          get(stub, name) {
            if (name === method) return () => Promise.reject(new Error(`${method}: the object could not be reached`));
            if (name === "then") return undefined;
            return Reflect.get(stub, name);
          },
        });
    },
  });
}

describe("per-item overhead", () => {
  it("costs each of 20 items delivered in one batch two D1 writes and one Account call, and charges exactly", async () => {
    const { user, sent, generationId } = await captured(
      Array.from({ length: MAX_ITEMS }, () => "ok"),
      MAX_ITEMS * COST,
    );
    const { overrides, tally } = counted();
    const result = await deliver(GENERATION_QUEUE, sent, 1, overrides);
    expect(result.explicitAcks).toHaveLength(MAX_ITEMS);

    expect(perItem(tally, MAX_ITEMS)).toEqual(PER_ITEM);
    expect(tally.accountMethods).toEqual({ generationStep: MAX_ITEMS });
    expect(await getGeneration(user, generationId)).toMatchObject({ status: "completed", completed: MAX_ITEMS, charged: MAX_ITEMS * COST, refunded: 0 });
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP, held: 0 });
  });

  it("costs the same one message at a time, with failed items among them, and the last finisher settles once", async () => {
    const behaviours = ["ok", "fail", "ok", "fail", "ok"];
    const { user, sent, generationId } = await captured(behaviours);
    const { overrides, tally } = counted();
    for (const message of sent) await deliver(GENERATION_QUEUE, [message], 1, overrides);

    expect(perItem(tally, behaviours.length)).toEqual(PER_ITEM);
    expect(await getGeneration(user, generationId)).toMatchObject({ status: "partial", completed: 3, failed: 2, charged: 3 * COST, refunded: 2 * COST });
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP - 3 * COST, held: 0 });
  });
});

describe("a crash between the last item's finish and its settle", () => {
  /** Delivers every message but the last normally, then the last with the Account object unreachable. */
  async function crashBeforeSettle(behaviours: string[]) {
    const run = await captured(behaviours);
    const last = run.sent.at(-1)!;
    for (const message of run.sent.slice(0, -1)) await deliver(GENERATION_QUEUE, [message]);
    const result = await deliver(GENERATION_QUEUE, [last], 1, { ACCOUNT: unreachable("generationStep") });
    expect(result.retryMessages).toHaveLength(1);
    // D1 holds the outcome; the hold is still open.
    expect(await getGeneration(run.user, run.generationId)).toMatchObject({ status: "partial", charged: COST, refunded: COST });
    expect(await balanceOf(run.user)).toMatchObject({ balance: SIGNUP, held: 2 * COST });
    return { ...run, last };
  }

  it("is healed by the retried message: the settle matches D1, once", async () => {
    const { user, last } = await crashBeforeSettle(["ok", "fail"]);
    const retried: ItemMessage[] = [last, last];
    for (const message of retried) await deliver(GENERATION_QUEUE, [message], 2);
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP - COST, held: 0 });
  });

  it("is healed by the hold's own expiry when no message comes back", async () => {
    const { user, generationId } = await crashBeforeSettle(["fail", "ok"]);
    const account = accountOf(env, user.userId);
    await runInDurableObject(account, (_instance, state) => {
      state.storage.sql.exec("UPDATE holds SET expires_at = ?", Date.now() - 1);
    });
    await runDurableObjectAlarm(account);
    await runDurableObjectAlarm(account);
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP - COST, held: 0 });
    expect(await account.hold(generationId)).toMatchObject({ status: "settled", completedItems: 1, captured: COST, released: COST });
  });
});
