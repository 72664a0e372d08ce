/** GET /api/admin/metrics: totals and a daily series, counted over storage of this file's own. */
import { expect, it } from "vitest";
import { adminApi, registerAdmin } from "../support/admin";
import { project } from "../support/account";
import { register } from "../support/client";
import { createProject, submit, submitCaptured, waitForFinal } from "../support/generations";
import { TEST_PIPELINE_COST } from "../support/test-pipeline";

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
  days: { date: string; newUsers: number; generations: Record<string, number>; itemsFailed: number; creditsSpent: number; creditsGranted: number }[];
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
