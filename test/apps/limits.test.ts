/**
 * Every advertised maximum is accepted, processed and paid item by item: the largest
 * batch of each app runs to the end through the real queue.
 */
import { describe, expect, it } from "vitest";
import { AVATAR_COST } from "../../worker/apps/avatar-creator/app";
import { TEST_PIPELINE_COST } from "../support/test-pipeline";
import { MAX_SELECTED_POSES } from "../../worker/apps/pose-generator/schema";
import { api, register, type Client } from "../support/client";
import { balanceOf, createProject, funded, submit, waitForFinal } from "../support/generations";

const SIGNUP = 100;
const POSE_COST = 30;

async function runToEnd(user: Client, appId: string, body: Record<string, unknown>, items: number, unitCost: number) {
  const res = await submit(user, { projectId: await createProject(user, appId), ...body }, undefined, appId);
  expect(res.status, await res.clone().text()).toBe(202);
  const { generation } = await res.json<{ generation: { id: string; total: number; cost: number } }>();
  expect(generation).toMatchObject({ total: items, cost: items * unitCost });
  const done = await waitForFinal(user, generation.id, 180_000);
  expect(done).toMatchObject({ status: "completed", total: items, completed: items, charged: items * unitCost, refunded: 0 });
  expect(done.items!.every((i) => i.status === "completed" && i.outputUrl !== null)).toBe(true);
  return done;
}

describe("every app at its advertised maximum", () => {
  it(`Pose Generator: ${MAX_SELECTED_POSES} gallery poses × 10 images = 200 items, each charged`, async () => {
    const items = MAX_SELECTED_POSES * 10;
    const user = await funded(items * POSE_COST);
    const library = await (await api(`/api/apps/pose-generator/library?limit=${MAX_SELECTED_POSES}`, { token: user.token })).json<{ items: Array<{ id: string }> }>();
    const selectedPoseIds = library.items.map((p) => p.id);
    expect(selectedPoseIds).toHaveLength(MAX_SELECTED_POSES);
    await runToEnd(user, "pose-generator", { generationType: "GALLERY_REFERENCE", selectedPoseIds, batchSize: 10 }, items, POSE_COST);
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP, held: 0 });
  }, 240_000);

  it("Pose Generator: a text prompt with 20 variations", async () => {
    const user = await funded(20 * POSE_COST);
    await runToEnd(user, "pose-generator", { generationType: "TEXT_DESCRIPTION", textPrompt: "standing with arms crossed", variationCount: 20 }, 20, POSE_COST);
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP, held: 0 });
  }, 120_000);

  it("Avatar Creator: 4 avatars", async () => {
    const user = await funded(4 * AVATAR_COST);
    await runToEnd(user, "avatar-creator", { prompt: "a friendly astronaut", count: 4 }, 4, AVATAR_COST);
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP, held: 0 });
  });

  it("the test pipeline: 20 items", async () => {
    const user = await funded(20 * TEST_PIPELINE_COST);
    await runToEnd(user, "test-pipeline", { items: Array.from({ length: 20 }, () => "ok") }, 20, TEST_PIPELINE_COST);
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP, held: 0 });
  });

  it("refuses one past each maximum with a 400 and holds nothing", async () => {
    const user = await register();
    const pose = await createProject(user, "pose-generator");
    const over = [
      submit(user, { projectId: pose, generationType: "TEXT_DESCRIPTION", textPrompt: "a dancer", variationCount: 21 }, undefined, "pose-generator"),
      submit(user, { projectId: pose, generationType: "GALLERY_REFERENCE", selectedPoseIds: ["standing-relaxed"], batchSize: 11 }, undefined, "pose-generator"),
      submit(user, { projectId: await createProject(user, "avatar-creator"), prompt: "a cat", count: 5 }, undefined, "avatar-creator"),
      submit(user, { projectId: await createProject(user), items: Array.from({ length: 21 }, () => "ok") }),
    ];
    for (const res of await Promise.all(over)) expect(res.status).toBe(400);
    expect(await balanceOf(user)).toMatchObject({ balance: SIGNUP, held: 0 });
  });
});
