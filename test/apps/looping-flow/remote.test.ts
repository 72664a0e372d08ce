/** The image-to-video path end to end, against a local fake of the model's HTTP API. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { LOOP_COST } from "../../../worker/apps/looping-flow/schema";
import { GENERATION_QUEUE } from "../../../worker/generations/messages";
import { sniffImage } from "../../../worker/media/sniff";
import { register } from "../../support/client";
import { balanceOf, createProject, deliver, waitForFinal } from "../../support/generations";
import { MP4 } from "../../support/videos";
import { APP, createStill, download, smallLoop, submitRecorded } from "../../support/loops";

const REMOTE = { LOOP_PROVIDER: "huggingface", HF_TOKEN: "hf_test_token", LOOP_MODEL: "acme/loop-video" } as Partial<Env>;

/** Stands in for the model's endpoint: every fetch the Worker makes in this isolate lands here. */
function fakeModel(reply: (req: Request) => Response) {
  const seen: Request[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    seen.push(req);
    return reply(req);
  });
  return seen;
}

afterEach(() => vi.restoreAllMocks());

describe("looping flow with an image-to-video model", () => {
  it("stores the model's clip as it came back, with a poster, and charges 20", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const still = await createStill(alice, projectId);
    const { generation, sent } = await submitRecorded(alice, smallLoop(projectId, { uploadId: still.id }, { effect: "sway", size: 768 }));
    const seen = fakeModel(() => new Response(MP4, { headers: { "Content-Type": "video/mp4" } }));
    await deliver(GENERATION_QUEUE, sent, 1, REMOTE);
    vi.restoreAllMocks();

    const done = await waitForFinal(alice, generation.id);
    expect(done).toMatchObject({ status: "completed", charged: LOOP_COST });
    expect(seen.map((r) => r.url)).toEqual(["https://router.huggingface.co/hf-inference/models/acme/loop-video"]);
    const asked = await seen[0]!.json<{ parameters: Record<string, unknown> }>();
    expect(asked.parameters).toMatchObject({ width: 768, height: 768, num_frames: 24, fps: 12 });
    expect(asked.parameters.prompt).toMatch(/sway/);
    const item = done.items![0]!;
    expect(item.outputs).toEqual([{ format: "mp4", url: expect.any(String), contentType: "video/mp4", width: 768, height: 768, frames: 24, durationMs: 2000 }]);
    expect(await download(item.outputUrl!)).toEqual(MP4);
    expect(sniffImage(await download(item.posterUrl!))).toMatchObject({ format: "jpeg", width: 768, height: 768 });
  });

  it("fails the loop uncharged when the model refuses the still", async () => {
    const alice = await register();
    const projectId = await createProject(alice, APP);
    const still = await createStill(alice, projectId);
    const { generation, sent } = await submitRecorded(alice, smallLoop(projectId, { uploadId: still.id }));
    fakeModel(() => Response.json({ error: "unsupported image" }, { status: 422 }));
    await deliver(GENERATION_QUEUE, sent, 1, REMOTE);
    vi.restoreAllMocks();

    const done = await waitForFinal(alice, generation.id);
    expect(done).toMatchObject({ status: "failed", charged: 0, refunded: LOOP_COST });
    expect(done.items![0]!.error).toMatch(/422 unsupported image/);
    expect(await balanceOf(alice)).toMatchObject({ balance: 100, held: 0 });
  });
});
