import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { beginErasure, resumeErasures, runErasure } from "../../worker/account-data/erase";
import { sha256 } from "../../worker/auth/tokens";
import { db } from "../../worker/db/client";
import { orders } from "../../worker/db/billing";
import { auditLog, generationItems } from "../../worker/db/schema";
import { GENERATION_QUEUE } from "../../worker/generations/messages";
import { ERASURE_STEPS, erasures } from "../../worker/db/erasures";
import { d1RowsMentioning, filesOf, objectContents, type PopulatedUser, populatedUser } from "../support/account-data";
import { login, meStatus } from "../support/auth-clients";
import { api, errorOf, expectErrorShape, PASSWORD, register, testConfig } from "../support/client";
import { createProject, deliver, submitCaptured } from "../support/generations";

const deleteAccount = (token: string, password: string) => api("/api/account", { method: "DELETE", token, json: { password } });

/** Nothing of the user left in D1, R2 or their Account object; their order kept under another id. */
async function expectErased(user: PopulatedUser) {
  const { userId, email } = user.client;
  expect(await d1RowsMentioning([userId, email, await sha256(email)])).toEqual([]);
  expect(await filesOf(userId)).toEqual([]);
  const object = await objectContents(userId);
  expect(object.mentions).toEqual([]);
  expect(
    Object.values(object.counts).every((n) => n === 0),
    JSON.stringify(object.counts),
  ).toBe(true);
  const order = await db(env.DB).select().from(orders).where(eq(orders.id, user.orderId)).get();
  expect(order?.status).toBe("paid");
  expect(order?.userId).toMatch(/^erased-[0-9a-f-]{36}$/);
  expect(await db(env.DB).select().from(erasures).where(eq(erasures.userId, userId)).get()).toBeUndefined();
  const record = await db(env.DB).select().from(auditLog).where(eq(auditLog.targetId, order!.userId));
  expect(record.map((r) => [r.action, r.actorId])).toEqual([["account.erased", null]]);
}

describe("DELETE /api/account", () => {
  it("erases every row, file and ledger entry of the user and nothing of anyone else's", async () => {
    const [user, bystander] = await Promise.all([populatedUser(), populatedUser()]);
    expect((await filesOf(user.client.userId)).length).toBeGreaterThanOrEqual(4);
    expect((await objectContents(user.client.userId)).counts.entries).toBeGreaterThanOrEqual(4);
    const bystanderFiles = await filesOf(bystander.client.userId);
    const bystanderRows = (await d1RowsMentioning([bystander.client.userId])).length;

    const res = await deleteAccount(user.client.token, PASSWORD);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: "erased" });

    await expectErased(user);
    expect(await meStatus(user.client.token)).toBe(401);
    expect(await meStatus(user.other.token)).toBe(401);
    const again = await api("/api/auth/login", { method: "POST", json: { email: user.client.email, password: PASSWORD } });
    expect(again.status).toBe(401);

    expect((await filesOf(bystander.client.userId)).map((o) => o.key)).toEqual(bystanderFiles.map((o) => o.key));
    expect((await d1RowsMentioning([bystander.client.userId])).length).toBe(bystanderRows);
    expect(await meStatus(bystander.client.token)).toBe(200);
    expect((await objectContents(bystander.client.userId)).counts.entries).toBeGreaterThanOrEqual(4);
  });

  it("erases once when the same request is sent twice at the same moment", async () => {
    const user = await populatedUser();
    const statuses = await Promise.all([deleteAccount(user.client.token, PASSWORD), deleteAccount(user.client.token, PASSWORD)]).then((all) => all.map((r) => r.status));
    expect(statuses).toContain(202);
    for (const status of statuses) expect([202, 401, 403]).toContain(status);
    await expectErased(user);
  });

  it("refuses a wrong password with 403 and changes nothing", async () => {
    const user = await populatedUser();
    const rowsBefore = await d1RowsMentioning([user.client.userId]);
    const res = await deleteAccount(user.client.token, `${PASSWORD}!`);
    expect(res.status).toBe(403);
    await expectErrorShape(res, "FORBIDDEN");
    expect(await d1RowsMentioning([user.client.userId])).toEqual(rowsBefore);
    expect(await meStatus(user.other.token)).toBe(200);
    expect((await login(user.client.email)).userId).toBe(user.client.userId);
  });

  it("answers 400 without a password and 401 without a session", async () => {
    const user = await register();
    const missing = await api("/api/account", { method: "DELETE", token: user.token, json: {} });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).code).toBe("VALIDATION_ERROR");
    expect((await api("/api/account", { method: "DELETE", json: { password: PASSWORD } })).status).toBe(401);
    expect(await meStatus(user.token)).toBe(200);
  });

  it("lets the same email register again afterwards, as a new empty account", async () => {
    const user = await register();
    expect((await deleteAccount(user.token, PASSWORD)).status).toBe(202);
    const reborn = await register(user.email);
    expect(reborn.userId).not.toBe(user.userId);
    const balance = await api("/api/credits/balance", { token: reborn.token });
    expect((await balance.json<{ balance: number }>()).balance).toBe(testConfig().SIGNUP_CREDITS);
  });
});

describe("an erasure that crashes midway", () => {
  it.each(ERASURE_STEPS.map((step) => [step]))("is finished by the next run after a crash after its %s step", async (crashAfter) => {
    const user = await populatedUser();
    const config = testConfig();
    await beginErasure(env, { id: user.client.userId, email: user.client.email });
    const crash = await runErasure(env, config, user.client.userId, {
      hooks: {
        afterStep: (step) => {
          if (step === crashAfter) throw new Error(`crashed after ${step}`);
        },
      },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(String(crash)).toContain(`crashed after ${crashAfter}`);
    // Login stopped with the first batch, whatever happened next.
    expect((await api("/api/auth/login", { method: "POST", json: { email: user.client.email, password: PASSWORD } })).status).toBe(401);
    const row = await db(env.DB).select().from(erasures).where(eq(erasures.userId, user.client.userId)).get();
    expect(row?.step).toBe(crashAfter);
    expect(row?.lastError).toContain(`crashed after ${crashAfter}`);

    expect(await runErasure(env, config, user.client.userId)).toBe("erased");
    await expectErased(user);
    // Running it once more after it finished changes nothing.
    expect(await runErasure(env, config, user.client.userId)).toBe("erased");
  });

  it("is finished by the cron's sweep, which goes on past an erasure that keeps failing", async () => {
    const [user, stuck] = await Promise.all([populatedUser(), register()]);
    const config = testConfig();
    const crashAfterObject = { hooks: { afterStep: (step: string) => (step === "object" ? Promise.reject(new Error("crashed")) : undefined) } };
    for (const who of [
      { id: user.client.userId, email: user.client.email },
      { id: stuck.userId, email: stuck.email },
    ]) {
      await beginErasure(env, who);
      await runErasure(env, config, who.id, crashAfterObject).catch(() => undefined);
    }
    // The stuck one's object cannot be reached: every call to it fails; everyone else's answers.
    const stuckId = env.ACCOUNT.idFromName(stuck.userId);
    const account = {
      idFromName: (name: string) => env.ACCOUNT.idFromName(name),
      get: (id: DurableObjectId) => (id.equals(stuckId) ? { erase: () => Promise.reject(new Error("object unavailable")) } : env.ACCOUNT.get(id)),
    };
    const unreachable = { ...env, ACCOUNT: account } as unknown as Env;
    const report = await resumeErasures(unreachable, config);
    expect(report.failed).toBeGreaterThanOrEqual(1);
    expect(report.erased).toBeGreaterThanOrEqual(1);
    await expectErased(user);
    const row = await db(env.DB).select().from(erasures).where(eq(erasures.userId, stuck.userId)).get();
    expect(row?.step).toBe("object");
    expect(row?.lastError).toBe("object: object unavailable");
    expect(await resumeErasures(env, config)).toMatchObject({ failed: 0 });
    expect(await db(env.DB).select().from(erasures).where(eq(erasures.userId, stuck.userId)).get()).toBeUndefined();
  });
});

describe("an item being made when the account goes", () => {
  it("waits for it to finish before the object and files go, then erases its output too", async () => {
    const user = await populatedUser();
    const making = await submitCaptured(user.client, await createProject(user.client), ["crash-after-claim"]);
    expect(making.response.status).toBe(202);
    // The first claim dies before its output is stored: the item stays processing under its lease.
    await deliver(GENERATION_QUEUE, making.sent);
    const itemOf = () => db(env.DB).select().from(generationItems).where(eq(generationItems.generationId, making.sent[0]!.generationId)).get();
    expect((await itemOf())?.status).toBe("processing");

    const res = await deleteAccount(user.client.token, PASSWORD);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: "erasing" });
    expect((await db(env.DB).select().from(erasures).where(eq(erasures.userId, user.client.userId)).get())?.step).toBe("work");
    expect(await meStatus(user.client.token)).toBe(401);
    // Still waiting: the cron's sweep leaves it at the same step while the item is being made.
    expect(await resumeErasures(env, testConfig())).toMatchObject({ failed: 0 });
    expect((await db(env.DB).select().from(erasures).where(eq(erasures.userId, user.client.userId)).get())?.step).toBe("work");

    // Its lease runs out and the retried message finishes it, as after a crashed consumer.
    await db(env.DB).update(generationItems).set({ leaseUntil: 0 }).where(eq(generationItems.generationId, making.sent[0]!.generationId));
    await deliver(GENERATION_QUEUE, making.sent, 2);
    expect((await itemOf())?.status).not.toBe("processing");

    expect(await runErasure(env, testConfig(), user.client.userId)).toBe("erased");
    await expectErased(user);
  });
});
