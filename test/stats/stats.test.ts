import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AccountStats } from "../../worker/stats/routes";
import { login } from "../support/auth-clients";
import { api, register, type Client } from "../support/client";
import { countedD1, newTally } from "../../bench/support/counting";
import { seedGeneration, star } from "../support/gallery";
import { createProject, fetchWith, funded, submit, waitForFinal } from "../support/generations";
import { TEST_PIPELINE_COST } from "../support/test-pipeline";

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function statsOf(user: Client): Promise<AccountStats> {
  const res = await api("/api/account/stats", { token: user.token });
  expect(res.status).toBe(200);
  return res.json();
}

describe("account stats", () => {
  it("is all zeros for a new user, with 30 zero-filled days ending today and no earlier login", async () => {
    const user = await register();
    const stats = await statsOf(user);
    expect(stats).toMatchObject({ creditsSpent: 0, works: 0, projects: 0, favourites: 0, lastLoginAt: null, byApp: {} });
    expect(stats.daily).toHaveLength(30);
    expect(stats.daily.at(-1)).toEqual({ date: isoDay(Date.now()), credits: 0, works: 0 });
    expect(stats.daily[0]!.date).toBe(isoDay(Date.now() - 29 * DAY_MS));
    expect(stats.daily.every((d) => d.credits === 0 && d.works === 0)).toBe(true);
  });

  it("counts exactly what was made and spent, per app and per day, from one D1 batch", async () => {
    const before = Date.now();
    const first = await funded(200);
    const after = Date.now();
    const user = await login(first.email);
    const projectId = await createProject(user);
    await createProject(user, "pose-generator");
    const poseProject = await createProject(user, "pose-generator");

    const res = await submit(user, { projectId, items: ["ok", "ok", "fail"] });
    const { generation } = await res.json<{ generation: { id: string } }>();
    const done = await waitForFinal(user, generation.id);
    expect(done.charged).toBe(2 * TEST_PIPELINE_COST);

    // Older work: 10 days ago on another app (3 outputs, 3 credits), and 40 days ago (outside the chart).
    const tenDaysAgo = Date.now() - 10 * DAY_MS;
    const recent = await seedGeneration(user, poseProject, 3, { appId: "pose-generator", createdAt: tenDaysAgo });
    await seedGeneration(user, projectId, 4, { createdAt: Date.now() - 40 * DAY_MS });
    expect((await star(user, recent.id, "item-0")).status).toBe(204);
    expect((await star(user, generation.id, "item-1")).status).toBe(204);

    // Someone else's work is never counted.
    const other = await register();
    await seedGeneration(other, await createProject(other), 5);

    const tally = newTally();
    const response = await fetchWith({ DB: countedD1(env.DB, tally) }, "/api/account/stats", { token: user.token });
    expect(response.status).toBe(200);
    // The session check, then the whole of the stats: five reads in one batch.
    expect(tally).toMatchObject({ d1RoundTrips: 2, d1Reads: 6, d1Writes: 0 });
    const stats = await response.json<AccountStats>();

    const spent = 2 * TEST_PIPELINE_COST;
    expect(stats).toMatchObject({
      creditsSpent: spent + 3 + 4,
      works: 2 + 3 + 4,
      projects: 3,
      favourites: 2,
      byApp: { "test-pipeline": { works: 6, credits: spent + 4 }, "pose-generator": { works: 3, credits: 3 } },
    });
    expect(Object.keys(stats.byApp).sort()).toEqual(["pose-generator", "test-pipeline"]);
    const lastLogin = Date.parse(stats.lastLoginAt!);
    expect(lastLogin).toBeGreaterThanOrEqual(before - 1000);
    expect(lastLogin).toBeLessThanOrEqual(after);

    expect(stats.daily).toHaveLength(30);
    const nonZero = stats.daily.filter((d) => d.credits !== 0 || d.works !== 0);
    expect(nonZero).toEqual([
      { date: isoDay(tenDaysAgo), credits: 3, works: 3 },
      { date: isoDay(Date.now()), credits: spent, works: 2 },
    ]);
  });
});
