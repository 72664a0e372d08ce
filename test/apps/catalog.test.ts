/** GET /api/apps publishes the limits the server enforces: the studio checks these, never a copy. */
import { describe, expect, it } from "vitest";
import { UPLOAD_POLICY } from "../../worker/media/policy";
import { api, errorOf, register, type Client } from "../support/client";
import { createProject, submit } from "../support/generations";

interface Published {
  apps: Array<{ id: string; enabled: boolean; limits: { maxItems: number; ranges: Record<string, { min: number; max: number }>; options: Record<string, string[]> } }>;
  uploads: { maxBytes: number; minSide: number; maxSide: number; formats: string[] };
}

async function catalog(user: Client): Promise<Published> {
  const res = await api("/api/apps", { token: user.token });
  expect(res.status).toBe(200);
  return res.json<Published>();
}

describe("published limits", () => {
  it("lists every app with its limits, and the upload rule", async () => {
    const user = await register();
    const { apps, uploads } = await catalog(user);
    expect(apps.map((a) => a.id)).toEqual(expect.arrayContaining(["avatar-creator", "pose-generator"]));
    expect(uploads).toEqual({ maxBytes: 10 * 1024 * 1024, minSide: 256, maxSide: 4096, formats: [...UPLOAD_POLICY.formats] });
    const pose = apps.find((a) => a.id === "pose-generator")!;
    expect(pose.limits.ranges).toMatchObject({ batch: { min: 1, max: 10 }, poses: { min: 1, max: 20 }, prompt: { min: 3, max: 500 }, variations: { min: 1, max: 20 } });
    expect(pose.limits.options.exportSizes).toContain("instagram_post");
  });

  it("refuses one past each published maximum and accepts the maximum itself", async () => {
    const user = await register();
    const pose = (await catalog(user)).apps.find((a) => a.id === "pose-generator")!;
    const projectId = await createProject(user, "pose-generator");
    const { max: variations } = pose.limits.ranges.variations!;
    const { max: promptMax } = pose.limits.ranges.prompt!;
    const body = (variationCount: number, textPrompt: string) => ({ projectId, generationType: "TEXT_DESCRIPTION", textPrompt, variationCount });
    const tooMany = await submit(user, body(variations + 1, "standing with arms crossed"), undefined, "pose-generator");
    expect(tooMany.status).toBe(400);
    expect((await errorOf(tooMany)).code).toBe("VALIDATION_ERROR");
    // Plain words, under the word limit, exactly as long as allowed.
    const longest = `${"standing tall with arms crossed, ".repeat(20).slice(0, promptMax - 1)}x`;
    expect(longest).toHaveLength(promptMax);
    const tooLong = await submit(user, body(1, `${longest}b`), undefined, "pose-generator");
    expect(tooLong.status).toBe(400);
    // At the maximum the body passes validation; 402 says it got as far as the money (20 × 30 > 100).
    const atMax = await submit(user, body(variations, longest), undefined, "pose-generator");
    expect(atMax.status, await atMax.clone().text()).toBe(402);
  });
});
