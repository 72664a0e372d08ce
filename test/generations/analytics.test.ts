/** Analytics Engine data points: one per finished item and generation, none for a redelivery, none without the binding. */
import { describe, expect, it } from "vitest";
import { GENERATION_QUEUE } from "../../worker/generations/messages";
import { register, uniqueEmail } from "../support/client";
import { createProject, deliver, submitCaptured } from "../support/generations";
import { TEST_PIPELINE_COST } from "../support/test-pipeline";

/** The binding's one method, recorded: the runtime's own dataset writes where a test cannot read. */
function recordingDataset() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { dataset: { writeDataPoint: (p?: AnalyticsEngineDataPoint) => void (p && points.push(p)) } as AnalyticsEngineDataset, points };
}

describe("analytics", () => {
  it("writes one point per finished item and one per generation, with app, model, status and latency", async () => {
    const user = await register(uniqueEmail("analytics"));
    const { sent } = await submitCaptured(user, await createProject(user), ["ok", "fail"]);
    const { dataset, points } = recordingDataset();
    await deliver(GENERATION_QUEUE, sent, 1, { ANALYTICS: dataset });
    // A duplicate delivery finds every item terminal: nothing new to count.
    await deliver(GENERATION_QUEUE, sent, 2, { ANALYTICS: dataset });

    const rows = points.map((p) => ({ kind: p.blobs?.[0], app: p.blobs?.[1], model: p.blobs?.[2], status: p.blobs?.[3], credits: p.doubles?.[1] }));
    expect(rows.sort((a, b) => `${a.kind}${a.status}`.localeCompare(`${b.kind}${b.status}`))).toEqual([
      { kind: "generation", app: "test-pipeline", model: "procedural", status: "partial", credits: TEST_PIPELINE_COST },
      { kind: "item", app: "test-pipeline", model: "procedural", status: "completed", credits: 0 },
      { kind: "item", app: "test-pipeline", model: "procedural", status: "failed", credits: 0 },
    ]);
    for (const p of points) {
      expect(p.indexes).toEqual(["test-pipeline"]);
      expect(p.doubles?.[0]).toBeGreaterThanOrEqual(0);
    }
    expect(points.find((p) => p.blobs?.[3] === "failed")?.blobs?.[5]).toBe("refused by the test provider");
  });

  it("does the work the same without the binding", async () => {
    const user = await register(uniqueEmail("analytics"));
    const { sent } = await submitCaptured(user, await createProject(user), ["ok"]);
    const result = await deliver(GENERATION_QUEUE, sent, 1, { ANALYTICS: undefined });
    expect(result.explicitAcks).toHaveLength(1);
  });
});
