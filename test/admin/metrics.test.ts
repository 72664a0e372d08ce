/** GET /api/admin/metrics: totals and a daily series, counted over storage of this file's own. */
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { adminApi, registerAdmin } from "../support/admin";
import { project } from "../support/account";
import { register } from "../support/client";
import { createProject, submit, submitCaptured, waitForFinal } from "../support/generations";
import { TEST_PIPELINE_COST } from "../support/test-pipeline";
import { buy, notification, postCallback, postCheckout, POPULAR, STARTER } from "../billing/harness";

interface Metrics {
  totals: {
    users: number;
    generations: Record<string, number>;
    itemsFailed24h: number;
    queueBacklog: number;
    openHolds: { accounts: number; credits: number };
    credits: { sold: number; spent: number; granted: number; adjusted: number };
    revenue: Record<string, number>;
  };
  days: {
    date: string;
    newUsers: number;
    generations: Record<string, number>;
    itemsFailed: number;
    creditsSpent: number;
    creditsGranted: number;
    creditsSold: number;
    revenue: Record<string, number>;
  }[];
}

it("counts users, generations by status, failures, backlog, holds and credits, today and in the daily series", async () => {
  const admin = await registerAdmin();
  const user = await register();
  const projectId = await createProject(user);
  const res = await submit(user, { projectId, items: ["ok", "fail", "ok"] });
  await waitForFinal(user, (await res.json<{ generation: { id: string } }>()).generation.id);
  await submitCaptured(user, projectId, ["ok", "ok"]);
  for (const [amount, key] of [
    [40, "metrics-grant-1"],
    [40, "metrics-grant-1"],
    [-5, "metrics-adjust-1"],
  ] as const) {
    expect((await adminApi(admin, `/users/${user.userId}/credits`, { method: "POST", json: { amount, reason: "metrics" }, headers: { "Idempotency-Key": key } })).status).toBe(200);
  }
  await project(user.userId);
  await project(admin.userId);

  const body = await (await adminApi(admin, "/metrics?days=7")).json<Metrics>();
  expect(body.totals).toEqual({
    users: 2,
    generations: { queued: 1, processing: 0, completed: 0, partial: 1, failed: 0, cancelled: 0 },
    itemsFailed24h: 1,
    queueBacklog: 2,
    openHolds: { accounts: 1, credits: 2 * TEST_PIPELINE_COST },
    credits: { sold: 0, spent: 2 * TEST_PIPELINE_COST, granted: 40, adjusted: -5 },
    revenue: {},
  });
  expect(body.days).toHaveLength(7);
  const today = body.days.at(-1)!;
  expect(today).toMatchObject({ date: new Date().toISOString().slice(0, 10), newUsers: 2, itemsFailed: 1, creditsSpent: 2 * TEST_PIPELINE_COST, creditsGranted: 40 });
  expect(today.generations).toMatchObject({ partial: 1, queued: 1 });
  expect(body.days.slice(0, -1).every((d) => d.newUsers === 0 && d.itemsFailed === 0)).toBe(true);
});

it("serves 1 to 90 days, each day once and in order, and refuses anything else with 400", async () => {
  const admin = await registerAdmin();
  for (const days of [1, 90]) {
    const body = await (await adminApi(admin, `/metrics?days=${days}`)).json<Metrics>();
    expect(body.days).toHaveLength(days);
    const dates = body.days.map((d) => d.date);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(days);
  }
  for (const days of ["0", "91", "x", "1.5"]) expect((await adminApi(admin, `/metrics?days=${days}`)).status, days).toBe(400);
});

const DAY_MS = 86_400_000;

/** Checks out and answers with the gateway's notification (`00` paid, `01` failed); moves paidAt back `daysAgo` days. */
async function order(client: Awaited<ReturnType<typeof register>>, body: { packageId: string } | { planId: string }, resultCode: "00" | "01" | null, daysAgo = 0) {
  const res = await postCheckout(client, body);
  expect(res.status).toBe(201);
  const { order } = await res.json<{ order: Parameters<typeof notification>[0] }>();
  if (resultCode) expect((await postCallback(await notification(order, resultCode))).status).toBe(200);
  if (daysAgo)
    await env.DB.prepare("UPDATE orders SET paid_at = paid_at - ? WHERE id = ?")
      .bind(daysAgo * DAY_MS, order.id)
      .run();
  return order;
}

it("counts credits sold and revenue from paid orders only, each on the day it was paid", async () => {
  const admin = await registerAdmin();
  const buyer = await register();
  await order(buyer, { packageId: STARTER.id }, "00");
  await order(buyer, { planId: "pro-monthly" }, "00"); // a plan grants no credits but is revenue
  await order(buyer, { packageId: POPULAR.id }, "00", 1);
  await order(buyer, { packageId: STARTER.id }, "00", 8); // outside a 7-day series, inside the totals
  await order(buyer, { packageId: "studio" }, "01");
  await buy(buyer); // left pending

  const body = await (await adminApi(admin, "/metrics?days=7")).json<Metrics>();
  expect(body.totals.credits.sold).toBe(STARTER.credits + POPULAR.credits + STARTER.credits);
  expect(body.totals.revenue).toEqual({ IDR: STARTER.price + 99_000 + POPULAR.price + STARTER.price });
  const [yesterday, today] = body.days.slice(-2);
  expect(today).toMatchObject({ creditsSold: STARTER.credits, revenue: { IDR: STARTER.price + 99_000 } });
  expect(yesterday).toMatchObject({ creditsSold: POPULAR.credits, revenue: { IDR: POPULAR.price } });
  expect(body.days.slice(0, -2).map((d) => [d.creditsSold, d.revenue])).toEqual(Array.from({ length: 5 }, () => [0, {}]));
  // The 8-day-old payment lands in a 9-day series' first day.
  const nine = await (await adminApi(admin, "/metrics?days=9")).json<Metrics>();
  expect(nine.days[0]).toMatchObject({ creditsSold: STARTER.credits, revenue: { IDR: STARTER.price } });
});
