/**
 * Analytics Engine data points: one per finished item, generation and order, one per failure
 * (a provider error, a dead letter), none for a redelivery or a repeat, none without the binding.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { EXPIRE_AFTER_MS, pollOrders } from "../../worker/billing/poller";
import { createSandboxGateway } from "../../worker/billing/sandbox";
import { GENERATION_DLQ, GENERATION_QUEUE } from "../../worker/generations/messages";
import { buy, notification, POPULAR, STARTER } from "../billing/harness";
import { register, uniqueEmail } from "../support/client";
import { call, envWith } from "../support/direct";
import { createProject, deliver, submitCaptured } from "../support/generations";
import { TEST_PIPELINE_COST } from "../support/test-pipeline";

/** The binding's one method, recorded: the runtime's own dataset writes where a test cannot read. */
function recordingDataset() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { dataset: { writeDataPoint: (p?: AnalyticsEngineDataPoint) => void (p && points.push(p)) } as AnalyticsEngineDataset, points };
}

/** A point as the README's schema names its fields. */
const fields = (p: AnalyticsEngineDataPoint) => {
  const [kind, app, model, status, id, detail] = p.blobs ?? [];
  const [latencyMs, value, amount] = p.doubles ?? [];
  return { index: p.indexes?.[0], kind, app, model, status, id, detail, latencyMs, value, amount };
};
const byKindAndStatus = (a: { kind?: unknown; status?: unknown }, b: { kind?: unknown; status?: unknown }) => `${a.kind}${a.status}`.localeCompare(`${b.kind}${b.status}`);

describe("analytics of generations", () => {
  it("writes one point per finished item and generation and one per provider failure, with app, model, status and latency", async () => {
    const user = await register(uniqueEmail("analytics"));
    const { sent } = await submitCaptured(user, await createProject(user), ["ok", "fail"]);
    const { dataset, points } = recordingDataset();
    await deliver(GENERATION_QUEUE, sent, 1, { ANALYTICS: dataset });
    // A duplicate delivery finds every item terminal: nothing new to count.
    await deliver(GENERATION_QUEUE, sent, 2, { ANALYTICS: dataset });

    const rows = points.map(fields).map(({ kind, app, model, status, value }) => ({ kind, app, model, status, value }));
    expect(rows.sort(byKindAndStatus)).toEqual([
      { kind: "failure", app: "test-pipeline", model: "procedural", status: "provider-permanent", value: 1 },
      { kind: "generation", app: "test-pipeline", model: "procedural", status: "partial", value: TEST_PIPELINE_COST },
      { kind: "item", app: "test-pipeline", model: "procedural", status: "completed", value: 0 },
      { kind: "item", app: "test-pipeline", model: "procedural", status: "failed", value: 0 },
    ]);
    for (const p of points.map(fields)) {
      expect(p.index).toBe("test-pipeline");
      expect(p.latencyMs).toBeGreaterThanOrEqual(0);
      expect(p.amount).toBe(0);
    }
    const failures = points.map(fields).filter((p) => p.status === "failed" || p.kind === "failure");
    expect(failures.map((p) => p.detail)).toEqual(["refused by the test provider", "refused by the test provider"]);
    expect(new Set(failures.map((p) => p.id)).size).toBe(1);
  });

  it("counts each retryable attempt and the dead letter once, and never a redelivered dead letter", async () => {
    const user = await register(uniqueEmail("analytics"));
    const { sent } = await submitCaptured(user, await createProject(user), ["flaky:1", "retry-forever"]);
    const { dataset, points } = recordingDataset();
    await deliver(GENERATION_QUEUE, sent, 1, { ANALYTICS: dataset });
    expect(points.map(fields).map((p) => [p.kind, p.status, p.value])).toEqual([
      ["failure", "provider-retry", 1],
      ["failure", "provider-retry", 1],
    ]);
    const stuck = await env.DB.prepare("SELECT id FROM generation_items WHERE generation_id = ? AND params LIKE '%retry-forever%'").bind(sent[0]!.generationId).first<{ id: string }>();
    const deadLetter = sent.find((m) => m.itemId === stuck!.id)!;
    points.length = 0;

    await deliver(GENERATION_QUEUE, [sent.find((m) => m !== deadLetter)!], 2, { ANALYTICS: dataset });
    await deliver(GENERATION_DLQ, [deadLetter], 5, { ANALYTICS: dataset });
    await deliver(GENERATION_DLQ, [deadLetter], 6, { ANALYTICS: dataset });
    const rows = points.map(fields).map(({ kind, status, value, detail }) => ({ kind, status, value, detail }));
    expect(rows.sort(byKindAndStatus)).toEqual([
      { kind: "failure", status: "dead-letter", value: 5, detail: "Gave up after 5 attempts" },
      { kind: "generation", status: "partial", value: TEST_PIPELINE_COST, detail: "" },
      { kind: "item", status: "completed", value: 0, detail: "" },
      { kind: "item", status: "failed", value: 0, detail: "Gave up after 5 attempts" },
    ]);
  });

  it("does the work the same without the binding", async () => {
    const user = await register(uniqueEmail("analytics"));
    const { sent } = await submitCaptured(user, await createProject(user), ["ok"]);
    const result = await deliver(GENERATION_QUEUE, sent, 1, { ANALYTICS: undefined });
    expect(result.explicitAcks).toHaveLength(1);
  });
});

describe("analytics of orders", () => {
  it("writes one point when an order is paid, fails or expires, with the gateway, credits, amount and latency", async () => {
    const buyer = await register();
    const { dataset, points } = recordingDataset();
    const measured = envWith({ ANALYTICS: dataset });
    const notify = async (order: Parameters<typeof notification>[0], resultCode: string) =>
      call(measured, "/api/billing/callback", {
        method: "POST",
        body: new URLSearchParams(await notification(order, resultCode)).toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });

    const paid = (await buy(buyer, POPULAR.id)).order;
    const failed = (await buy(buyer)).order;
    const expired = (await buy(buyer)).order;
    for (const [order, code] of [
      [paid, "00"],
      [paid, "00"], // a repeated notification changes nothing and counts nothing
      [failed, "01"],
    ] as const) {
      expect((await notify(order, code)).status).toBe(200);
    }
    await pollOrders(measured, createSandboxGateway(measured), Date.now() + EXPIRE_AFTER_MS + 1000);

    const rows = points.map(fields);
    expect(rows.map(({ index, kind, app, model, status, id, detail, value, amount }) => ({ index, kind, app, model, status, id, detail, value, amount }))).toEqual([
      { index: "billing", kind: "order", app: "billing", model: "sandbox", status: "paid", id: paid.id, detail: "IDR", value: POPULAR.credits, amount: POPULAR.price },
      { index: "billing", kind: "order", app: "billing", model: "sandbox", status: "failed", id: failed.id, detail: "IDR", value: 0, amount: STARTER.price },
      { index: "billing", kind: "order", app: "billing", model: "sandbox", status: "expired", id: expired.id, detail: "IDR", value: 0, amount: STARTER.price },
    ]);
    for (const r of rows) expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  });
});
