import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { Account } from "../../worker/account/account";
import { Ledger } from "../../worker/account/ledger";
import type { PlanInput } from "../../worker/account/types";
import { api, errorOf, expectErrorShape, register, type Client } from "../support/client";
import { cancelAlarms, freshAccount } from "../support/account";
import { balanceOf, createProject, fetchWith, newKey, recordingQueue } from "../support/generations";
import { notification, postCallback, postCheckout, purchasesOf } from "./harness";

afterEach(() => cancelAlarms());

async function subscribe(client: Client, planId: string) {
  const res = await postCheckout(client, { planId });
  expect(res.status).toBe(201);
  const { order } = await res.json<{ order: { id: string; amount: number; reference: string } }>();
  expect((await postCallback(await notification(order))).status).toBe(200);
  return order;
}

/** A test-pipeline generation whose messages are recorded, not processed. */
function generate(client: Client, projectId: string, body: Record<string, unknown>, appId = "test-pipeline") {
  const { queue } = recordingQueue();
  return fetchWith({ GENERATION_QUEUE: queue }, `/api/apps/${appId}/generations`, { method: "POST", token: client.token, json: { projectId, ...body }, headers: { "Idempotency-Key": newKey() } });
}

describe("plans", () => {
  it("a paid plan sets the tier and its daily quota for 30 days, and grants no credits", async () => {
    const ada = await register();
    expect(await (await api("/api/billing/subscription", { token: ada.token })).json()).toBeNull();
    const paidAt = Date.now();
    await subscribe(ada, "pro-monthly");
    const sub = await (await api("/api/billing/subscription", { token: ada.token })).json<{ plan: unknown; tier: string; startsAt: string; endsAt: string }>();
    expect(sub).toMatchObject({ plan: { id: "pro-monthly", name: "Pro", dailyPoseQuota: 25, unlimited: false }, tier: "pro" });
    const days = (Date.parse(sub.endsAt) - Date.parse(sub.startsAt)) / 86_400_000;
    expect(days).toBe(30);
    expect(Date.parse(sub.startsAt)).toBeGreaterThanOrEqual(paidAt - 1000);
    const balance = await (await api("/api/credits/balance", { token: ada.token })).json();
    expect(balance).toMatchObject({ balance: 100, unlimited: false, dailyQuota: { limit: 25, used: 0 } });
    expect(await purchasesOf(ada.userId)).toEqual([]);
  });

  it("refuses a model above the caller's tier with 403 PLAN_REQUIRED naming the plan, and charges the model's price once unlocked", async () => {
    const bob = await register();
    const projectId = await createProject(bob);
    const refused = await generate(bob, projectId, { items: ["ok", "ok"], modelId: "pro-test" });
    expect(refused.status).toBe(403);
    await expectErrorShape(refused, "PLAN_REQUIRED");
    const error = await errorOf(await generate(bob, projectId, { items: ["ok"], modelId: "pro-test" }));
    expect(error.message).toContain("Pro plan");
    expect(error.details).toEqual({ modelId: "pro-test", tier: "pro", plan: { id: "pro-monthly", name: "Pro" } });
    expect(await balanceOf(bob)).toMatchObject({ balance: 100, held: 0 });

    await subscribe(bob, "pro-monthly");
    const accepted = await generate(bob, projectId, { items: ["ok", "ok"], modelId: "pro-test" });
    expect(accepted.status).toBe(202);
    expect((await accepted.json<{ generation: { cost: number } }>()).generation.cost).toBe(2 * 9);
    const standard = await generate(bob, projectId, { items: ["ok", "ok"] });
    expect((await standard.json<{ generation: { cost: number } }>()).generation.cost).toBe(2 * 7);
    expect(await balanceOf(bob)).toMatchObject({ balance: 100, held: 18 + 14 });

    const unknown = await generate(bob, projectId, { items: ["ok"], modelId: "gpt-image-9" });
    expect(unknown.status).toBe(400);
    await expectErrorShape(unknown, "VALIDATION_ERROR");
  });

  it("Enterprise is unlimited: generations hold nothing and the balance says unlimited", async () => {
    const carol = await register();
    await subscribe(carol, "enterprise-monthly");
    const projectId = await createProject(carol);
    const res = await generate(carol, projectId, { items: ["ok", "ok", "ok"], modelId: "pro-test" });
    expect(res.status).toBe(202);
    expect((await res.json<{ generation: { cost: number } }>()).generation.cost).toBe(0);
    expect(await (await api("/api/credits/balance", { token: carol.token })).json()).toMatchObject({ balance: 100, held: 0, unlimited: true });
  });

  it("publishes each app's models; remote ones are available only where their provider is set up", async () => {
    const dave = await register();
    const apps = async (overrides: Partial<Env> = {}) =>
      (
        await (
          await fetchWith(overrides, "/api/apps", { token: dave.token })
        ).json<{ apps: Array<{ id: string; credits: Record<string, number>; models: Array<{ id: string; tier: string; default: boolean; available: boolean; credits: Record<string, number> }> }> }>()
      ).apps;
    const pose = (await apps()).find((a) => a.id === "pose-generator")!;
    expect(pose.models).toEqual([
      { id: "standard", name: "Standard", provider: "procedural", tier: "free", credits: pose.credits, default: true, available: true },
      expect.objectContaining({ id: "flux-schnell", provider: "workers-ai", tier: "pro", default: false, available: false, credits: { pose: 40, backgroundChanger: 10 } }),
      expect.objectContaining({ id: "sdxl", provider: "huggingface", tier: "enterprise", default: false, available: false }),
    ]);
    const withToken = (await apps({ HF_TOKEN: "hf_offline_test_token" })).find((a) => a.id === "pose-generator")!;
    expect(withToken.models.find((m) => m.id === "sdxl")!.available).toBe(true);

    await subscribe(dave, "enterprise-monthly");
    const projectId = await createProject(dave, "pose-generator");
    const res = await generate(dave, projectId, { generationType: "TEXT_DESCRIPTION", textPrompt: "a dancer mid jump", modelId: "sdxl" }, "pose-generator");
    expect(res.status).toBe(503);
    await expectErrorShape(res, "SERVICE_UNAVAILABLE");
  });
});

const PRO: Omit<PlanInput, "idempotencyKey"> = { planId: "pro-monthly", name: "Pro", tier: "pro", periodDays: 30, dailyPoseQuota: 2, unlimited: false };
const at = (iso: string) => Date.parse(iso);
const reserve = (ledger: Ledger, id: string, items: number, extra: { requiredTier?: "pro" } = {}) =>
  ledger.reserve({ holdId: id, idempotencyKey: id, items, unitCost: 30, reference: { type: "generation", id }, quotaEligible: true, ...extra }, { itemsPerHour: 10_000 });

describe("the plan in the Account object", () => {
  it("counts the daily pose quota in Asia/Jakarta days (a new day at 17:00 UTC)", async () => {
    await runInDurableObject(freshAccount(), (_instance: Account, state) => {
      let now = at("2026-12-01T16:30:00Z"); // 23:30 in Jakarta
      const ledger = new Ledger(state.storage.sql, () => now);
      state.storage.transactionSync(() => ledger.credit({ idempotencyKey: "grant", amount: 1000, kind: "grant", reference: null, description: "t" }));
      state.storage.transactionSync(() => ledger.applyPlan({ idempotencyKey: "order:p1", ...PRO }));
      expect(state.storage.transactionSync(() => reserve(ledger, "g1", 2))).toMatchObject({ ok: true, hold: { freeItems: 2, amount: 0 } });
      now = at("2026-12-01T16:59:59Z");
      expect(state.storage.transactionSync(() => reserve(ledger, "g2", 1))).toMatchObject({ ok: true, hold: { freeItems: 0, amount: 30 } });
      expect(ledger.balance().dailyQuota).toMatchObject({ limit: 2, used: 2 });
      now = at("2026-12-01T17:00:01Z"); // 00:00:01 the next day in Jakarta, the same day in UTC
      expect(ledger.balance().dailyQuota).toMatchObject({ limit: 2, used: 0 });
      expect(state.storage.transactionSync(() => reserve(ledger, "g3", 1))).toMatchObject({ ok: true, hold: { freeItems: 1, amount: 0 } });
    });
  });

  it("returns the user to free when the period ends, with every credit kept", async () => {
    await runInDurableObject(freshAccount(), (_instance: Account, state) => {
      let now = at("2026-12-01T08:00:00Z");
      const ledger = new Ledger(state.storage.sql, () => now);
      state.storage.transactionSync(() => ledger.credit({ idempotencyKey: "grant", amount: 500, kind: "grant", reference: null, description: "t" }));
      state.storage.transactionSync(() => ledger.applyPlan({ idempotencyKey: "order:p1", ...PRO }));
      expect(state.storage.transactionSync(() => reserve(ledger, "g1", 1, { requiredTier: "pro" }))).toMatchObject({ ok: true });
      now = at("2026-12-31T08:00:01Z");
      expect(ledger.activePlan()).toBeNull();
      expect(ledger.balance()).toMatchObject({ balance: 500, dailyQuota: null, plan: null });
      expect(state.storage.transactionSync(() => reserve(ledger, "g2", 1, { requiredTier: "pro" }))).toEqual({ ok: false, reason: "plan_required", tier: "free", required: "pro" });
      expect(state.storage.transactionSync(() => reserve(ledger, "g3", 1))).toMatchObject({ ok: true, hold: { freeItems: 0, amount: 30 } });
    });
  });

  it("extends the same plan bought again, and a replayed order never extends twice", async () => {
    await runInDurableObject(freshAccount(), (_instance: Account, state) => {
      const now = at("2026-12-01T08:00:00Z");
      const ledger = new Ledger(state.storage.sql, () => now);
      const first = state.storage.transactionSync(() => ledger.applyPlan({ idempotencyKey: "order:p1", ...PRO }));
      const replay = state.storage.transactionSync(() => ledger.applyPlan({ idempotencyKey: "order:p1", ...PRO }));
      expect(replay).toEqual({ ...first, replayed: true });
      const second = state.storage.transactionSync(() => ledger.applyPlan({ idempotencyKey: "order:p2", ...PRO }));
      expect(second).toMatchObject({ ok: true, plan: { startsAt: "2026-12-01T08:00:00.000Z", endsAt: "2027-01-30T08:00:00.000Z" } });
      expect(state.storage.transactionSync(() => ledger.applyPlan({ idempotencyKey: "order:p2", ...PRO, periodDays: 7 }))).toMatchObject({ ok: false, reason: "conflict" });
    });
  });
});
